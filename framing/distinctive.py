"""Distinctive terms of two groups: weighted log-odds with an informative Dirichlet prior.

Monroe, Colaresi & Quinn (2008), "Fightin' Words", *Political Analysis* 16(4), eqs. 16 and 22.
For a term ``w`` with counts ``y_a``/``y_b`` in groups totalling ``n_a``/``n_b`` tokens and prior
pseudo-counts ``α_w`` summing to ``α_0``::

    δ_w = log((y_a + α_w) / (n_a + α_0 − y_a − α_w)) − log((y_b + α_w) / (n_b + α_0 − y_b − α_w))
    σ²(δ_w) ≈ 1 / (y_a + α_w) + 1 / (y_b + α_w)
    z_w = δ_w / σ(δ_w)

The prior is informative: ``α_w = α_0 · π_w`` with ``π_w`` the term's share of a background
corpus (by default every article in the frame), so frequent words need much more evidence than
rare ones and no stop list is needed. Positive ``z`` means the term is typical of the first group.

Tokens are the project's own: :func:`framing.normalize.normalize` (hamza, teh marbuta, alef
maksura, diacritics) then runs of letters. Arabic stays Arabic; nothing is transliterated.
Terms already in the lexicon are marked, so the rest of the list is where an analyst looks for
loaded words the lexicon lacks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

import numpy as np

from .errors import InputError, check_count
from .normalize import tokens as word_tokens


def tokens(text: str, max_n: int = 1) -> list[str]:
    """Normalised word tokens of ``text``, plus n-grams up to ``max_n`` words (joined by a space).

    Words are :func:`framing.normalize.tokens` of two letters or more (a lone letter is a clitic
    cut off by a typo, not a word). An n-gram never spans punctuation: its words are separated
    by white space only.

    Examples
    --------
    >>> tokens("قال: الميليشيات المسلحة", max_n=2)
    ['قال', 'الميليشيات', 'المسلحه', 'الميليشيات المسلحه']
    """
    return _terms(text, max_n, None)


def _terms(text: str, max_n: int, surfaces: dict | None) -> list[str]:
    """Terms of ``text``; with ``surfaces``, also count how each term was written in the original."""
    found = [(t.start, t.end, t.text) for t in word_tokens(text) if len(t.text) > 1 and t.text.isalpha()]
    grams = list(found)
    for n in range(2, max_n + 1):
        for i in range(len(found) - n + 1):
            parts = found[i:i + n]
            if all(not text[a[1]:b[0]].strip() for a, b in pairwise(parts)):
                grams.append((parts[0][0], parts[-1][1], " ".join(p[2] for p in parts)))
    if surfaces is not None:
        for start, end, term in grams:
            surfaces.setdefault(term, Counter())[" ".join(text[start:end].split())] += 1
    return [g[2] for g in grams]


def count_terms(texts: Iterable[str], max_n: int = 1, surfaces: dict | None = None) -> Counter:
    """Term counts over ``texts`` (see :func:`tokens`).

    With a ``surfaces`` dict, also fills ``{term: Counter(original spelling)}``: normalised forms
    (teh marbuta as heh, bare alef) are what is counted, the commonest spelling is what is shown.
    """
    counts: Counter = Counter()
    for text in texts:
        counts.update(_terms(text, max_n, surfaces))
    return counts


def log_odds(counts_a, counts_b, prior) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted log-odds ratio of each term between two groups, its standard error and z-score.

    Parameters
    ----------
    counts_a, counts_b : array-like of shape (n_terms,)
        Term counts in each group (``n_a``, ``n_b`` are their sums).
    prior : array-like of shape (n_terms,)
        Dirichlet pseudo-counts ``α_w`` (all positive); ``α_0`` is their sum.

    Returns
    -------
    delta, se, z : ndarray of shape (n_terms,)
    """
    ya, yb, alpha = (np.asarray(x, dtype=float) for x in (counts_a, counts_b, prior))
    if not (ya.shape == yb.shape == alpha.shape and ya.ndim == 1):
        raise InputError(f"counts and prior must be 1-D arrays of one length. Got shapes {ya.shape}, {yb.shape}, {alpha.shape}")
    if np.any(alpha <= 0):
        raise InputError("prior pseudo-counts must all be positive")
    if np.any(ya < 0) or np.any(yb < 0):
        raise InputError("counts must not be negative")
    a0 = alpha.sum()
    na, nb = ya.sum(), yb.sum()
    delta = np.log((ya + alpha) / (na + a0 - ya - alpha)) - np.log((yb + alpha) / (nb + a0 - yb - alpha))
    se = np.sqrt(1 / (ya + alpha) + 1 / (yb + alpha))
    return delta, se, delta / se


def distinctive_terms(df, by: str, groups=None, *, text_field: str | None = None, lexicon=None,
                      prior_strength: float | None = None, max_n: int = 1, min_count: int = 3, slant=None,
                      fold=None):
    """The terms that most separate two groups of articles, with z-scores.

    Parameters
    ----------
    df : pandas.DataFrame
        Articles, e.g. from :func:`framing.table.score_corpus` (any frame with a text column and
        the ``by`` column works).
    by : str
        The field whose values form the groups (``outlet``, ``outlet_alignment``, a stance label).
    groups : pair of values, optional
        The two groups, first vs second; the articles without a value are ``None`` or «(missing)»,
        as tables name them (a value written so in the corpus is that value). Default: the two
        values of ``by`` when it has two; otherwise the two groups with the most opposite mean
        slant (needs a scored frame; see ``slant``).
    text_field : str, optional
        Column holding the text (default: the one ``score_corpus`` used, or ``text``).
    lexicon : str, path or Lexicon, optional
        Lexicon whose entries are marked. Default: the one a scored frame's ``attrs`` record
        (refused when a scored frame has lost them, as after a merge); the default lexicon for a
        frame that was never scored.
    prior_strength : float, optional
        ``α_0``, the prior's total pseudo-count. Default: the token count of the two groups, so
        that each term's prior equals its expected count in them at the background rate.
    max_n : int, default=1
        Longest n-gram counted (1: single words; 2 adds two-word phrases).
    min_count : int, default=3
        Terms used fewer times in the two groups together are left out of the result (they are
        still part of the statistic's totals).
    slant : pair of str, optional
        The two sides whose difference ranks the groups when ``groups`` is not given (default:
        the sides of a two-sided lexicon; needed with more sides).
    fold : callable, optional
        Maps a set of terms to ``{term: canonical term}`` (e.g.
        :func:`framing.suggest.clitic_families`); the counts of the terms of one canonical term
        are added up before the statistic, and a ``variants`` column lists them with their counts.

    Returns
    -------
    pandas.DataFrame
        One row per term, most typical of the first group first: ``term`` (normalised),
        ``display`` (its commonest spelling in the articles), ``count_a``,
        ``count_b``, ``per_1000_a``, ``per_1000_b`` (rate per 1,000 tokens), ``delta``, ``se``,
        ``z``, ``in_lexicon`` (the whole term is a lexicon entry, through clitics),
        ``lexicon_term`` (canonical lexicon terms found in it; missing if none), ``kind`` and ``gloss``
        (of the first entry found). ``attrs`` hold ``by``, ``groups`` and the token totals.
    """
    import pandas as pd

    from .groups import group_keys
    from .lexicon import load_lexicon

    # Checked first: max_n=0 counted no term, and min_count=None compared as False, each leaving
    # an empty result that looked like two groups without a word apart.
    check_count("max_n", max_n)
    check_count("min_count", min_count, positive=False)
    if text_field is None:
        text_field = df.attrs.get("text_field", "text")
    for column in (by, text_field):
        if column not in df.columns:
            raise InputError(f"no field {column!r} in the corpus; fields are: {', '.join(map(str, df.columns))}")
    a, b = _choose_groups(df, by, groups, slant)
    texts = df[text_field].tolist()
    for label, text in zip(df.index, texts):  # every text counts: the prior is the whole frame's
        if not isinstance(text, str):
            raise InputError(f"row {label}: column {text_field!r} must be a string. Got {type(text).__name__} instead")
    values = group_keys(df, by)
    in_a = [v == a for v in values]
    in_b = [v == b for v in values]
    surfaces: dict = {}
    ca = count_terms((t for t, k in zip(texts, in_a) if k), max_n, surfaces)
    cb = count_terms((t for t, k in zip(texts, in_b) if k), max_n, surfaces)
    # The prior is the whole corpus: both groups, already counted, and every other article.
    background = ca + cb + count_terms((t for t, x, y in zip(texts, in_a, in_b) if not (x or y)), max_n)
    variants = None
    if fold is not None:
        canon = fold(background.keys())
        variants = {}
        for term, n in (ca + cb).most_common():
            variants.setdefault(canon.get(term, term), []).append(f"{term} {n}")
        ca, cb, background = (_folded(c, canon) for c in (ca, cb, background))
        # A canonical term is shown as it is written itself; a family without it, as its commonest member.
        seen = set(surfaces)
        for term, spellings in list(surfaces.items()):
            head = canon.get(term, term)
            if head != term and head not in seen:
                surfaces.setdefault(head, Counter()).update(spellings)
    vocab = sorted(ca.keys() | cb.keys())
    if not vocab:
        raise InputError(f"groups {a!r} and {b!r} of {by!r} have no words to compare")
    ya = np.array([ca[w] for w in vocab], dtype=float)
    yb = np.array([cb[w] for w in vocab], dtype=float)
    bg = np.array([background[w] for w in vocab], dtype=float)
    a0 = float(ya.sum() + yb.sum()) if prior_strength is None else float(prior_strength)
    if a0 <= 0:
        raise InputError(f"prior_strength must be positive. Got {prior_strength!r} instead")
    alpha = a0 * bg / bg.sum()
    delta, se, z = log_odds(ya, yb, alpha)
    shown = [min(surfaces[w].items(), key=lambda kv: (-kv[1], kv[0]))[0] for w in vocab]
    frame = pd.DataFrame({"term": vocab, "display": shown, "count_a": ya.astype(int), "count_b": yb.astype(int),
                          "per_1000_a": 1000 * ya / max(ya.sum(), 1), "per_1000_b": 1000 * yb / max(yb.sum(), 1),
                          "delta": delta, "se": se, "z": z})
    if variants is not None:
        frame["variants"] = [" | ".join(variants.get(w, [])) for w in vocab]
    frame = frame[frame["count_a"] + frame["count_b"] >= min_count]
    frame = frame.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)

    if _scored(df):
        from .schema import recorded_lexicon

        lex = recorded_lexicon(df, lexicon)  # never the default lexicon for a frame that lost its attrs
    else:
        lex = load_lexicon(lexicon)
    from .scorer import scorer_for

    scorer = scorer_for(lex)
    marks = [_lexicon_mark(term, lex, scorer) for term in frame["term"]]
    frame["in_lexicon"] = [m[0] for m in marks]
    frame["lexicon_term"] = [m[1] for m in marks]
    frame["kind"] = [m[2] for m in marks]
    frame["gloss"] = [m[3] for m in marks]
    frame.attrs.update(by=by, groups=(a, b), tokens=(int(ya.sum()), int(yb.sum())), prior_strength=a0,
                       lexicon=lex.name)
    return frame


def _folded(counts: Counter, canon: dict[str, str]) -> Counter:
    out: Counter = Counter()
    for term, n in counts.items():
        out[canon.get(term, term)] += n
    return out


def _lexicon_mark(term: str, lexicon, scorer):
    """``(whole term is an entry, canonical entries inside it, kind, gloss)`` for one term."""
    matches = scorer.matches(term)
    if not matches:
        return False, None, None, None
    whole = len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(term)
    first = matches[0]
    return whole, " | ".join(dict.fromkeys(m.term for m in matches)), first.kind, lexicon.gloss(first.term)


def _choose_groups(df, by: str, groups, slant=None):
    from .groups import group_keys
    from .schema import group_name, named_groups

    keys = dict.fromkeys(group_keys(df, by))  # the articles without a value are a group too, None
    present = [v for v in keys if v is not None]
    if groups is not None:
        groups = tuple(groups)
        named, absent = named_groups(groups, keys)
        if len(groups) != 2 or len(set(named)) < len(named):
            raise InputError(f"groups must be two different values of {by!r}. "
                             f"Got {' '.join(map(str, groups))} instead", option="groups")
        if absent:
            values = ", ".join(map(group_name, present + [None] * (None in keys)))
            raise InputError(f"no articles with {by} = {absent[0]!r}; values are: {values}")
        return tuple(named)
    if len(present) == 2:
        from .schema import sides_in

        slanted = _scored(df) and (slant is not None or len(sides_in(df)) == 2)
        return _by_slant(df, by, present, slant) if slanted else tuple(present)
    if len(present) < 2:
        raise InputError(f"field {by!r} has {'one value' if present else 'no values'}; "
                         "distinctive terms need two groups")
    if not _scored(df):
        raise InputError(f"field {by!r} has {len(present)} values ({', '.join(map(str, present))}); choose two")
    from .schema import sides_in

    sides = sides_in(df)
    if slant is None and len(sides) != 2:  # which groups are most opposite depends on a pair of sides
        raise InputError(f"groups must name two values of {by!r}: with {len(sides)} sides ({', '.join(sides)}), "
                         "the most opposite groups need a slant pair (slant=)", option="groups")
    return _by_slant(df, by, present, slant)


def _scored(df) -> bool:
    from .schema import sides_in

    return len(sides_in(df)) >= 2


def _by_slant(df, by, present, slant=None):
    """The two values of ``by`` whose articles are most slanted toward the first and second side."""
    from .groups import mean_slant_by

    mean = mean_slant_by(df, by, slant)
    ranked = sorted(present, key=lambda g: (-mean[g], str(g)))
    return ranked[0], ranked[-1]
