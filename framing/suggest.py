"""Candidate terms a lexicon lacks: ``framing lexicon suggest``.

The words and phrases that most separate two groups of articles (an outlet alignment, a stance
label, two outlets) are what the lexicon may be missing. They come from the Fightin' Words
z-scores of :func:`framing.distinctive.distinctive_terms`, with three changes:

* **clitic variants are one candidate**: a term is folded into a shorter term of the corpus of
  which it is a clitic spelling as the matcher reads it (proclitics و ف ب ك ل ال before, an
  enclitic pronoun after, ة as ت before a pronoun), so «قوات», «لقوات» and «للقوات» are counted
  together and reported once, by their shortest form (see :func:`clitic_families`);
* **what the lexicon has is left out**: a candidate that contains an entry (as the scorer reads
  it), or that is a piece of an entry's form («الوطني» of «الجيش الوطني الليبي»), is not new;
* only terms with ``|z| >= 1.96`` (two-sided 5%) are kept, the ``top`` most typical of each group.

Each candidate comes with up to three keyword-in-context lines from its group's articles, so the
analyst sees how it is used before deciding its ``kind``, ``party`` and ``polarity``. Its row for
``terms.tsv`` holds its commonest spelling, without «ال» when some of its uses are indefinite (a
term written with «ال» matches only definite uses; one without matches both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .corpus import ReaderOptions, Skip
from .matcher import ENCLITICS, proclitic_keys

#: Smallest |z| a candidate needs (two-sided 5% under the normal approximation).
MIN_Z = 1.96
#: KWIC lines shown per candidate.
CONTEXT_LINES = 3


def clitic_families(terms: Iterable[str]) -> dict[str, str]:
    """Map each normalised term to the shortest term of ``terms`` it is a clitic spelling of.

    Examples
    --------
    >>> families = clitic_families(["قوات", "لقوات", "للقوات", "قواتها", "القوات", "قوافل", "قواته",
    ...                             "الهدنه", "هدنتها", "للهدنه"])
    >>> sorted(t for t, head in families.items() if head == "قوات")
    ['القوات', 'قوات', 'قواتها', 'لقوات', 'للقوات']
    >>> families["قوافل"], families["قواته"]  # a final ه may be ة: never read as a pronoun
    ('قوافل', 'قواته')
    >>> families["هدنتها"], families["للهدنه"]
    ('الهدنه', 'الهدنه')
    """
    terms = set(terms)
    canon: dict[str, str] = {}
    for head in sorted(terms, key=lambda t: (len(t), t)):
        if head in canon:
            continue
        canon[head] = head
        stems = [head]
        if head.endswith("ه"):  # ة before a pronoun is ت, on the indefinite stem: «الطغمة» → «طغمتها»
            stems += [head[:-1] + "ت"] + ([head[2:-1] + "ت"] if head.startswith("ال") else [])
        for i, stem in enumerate(stems):
            for key in proclitic_keys(stem):
                for suffix in ENCLITICS:
                    if (i and not suffix) or suffix == "ه":
                        # «ت» stands for «ة» only before a pronoun; a final «ه» may be «ة» in the
                        # original (normalised alike), which the matcher never reads as a pronoun.
                        continue
                    spelling = key + suffix
                    if spelling in terms and spelling not in canon:
                        canon[spelling] = head
    return canon


def _definite(term: str) -> bool:
    """Whether a normalised term's first word carries the article (after و ف and ب ك), or is «لل...»."""
    word = term.removeprefix("و").removeprefix("ف")
    return word.startswith("لل") or word.removeprefix("ب").removeprefix("ك").startswith("ال")


@dataclass(frozen=True)
class Candidate:
    """A term the lexicon lacks, typical of ``group``."""

    term: str
    display: str
    group: str
    z: float
    count_a: int
    count_b: int
    variants: str
    context: tuple[str, ...]

    @property
    def entry(self) -> str:
        """The spelling for ``terms.tsv``: as displayed, without «ال» when some variant is
        indefinite (a term written with «ال» matches only definite uses)."""
        members = [v.rsplit(" ", 1)[0] for v in self.variants.split(" | ") if v]
        if self.display.startswith("ال") and len(self.display) > 4 and not all(map(_definite, members)):
            return self.display[2:]
        return self.display

    def row(self) -> str:
        """A ``terms.tsv`` row: the term, then kind, party, polarity, attach, category, weight and
        gloss left empty for the analyst."""
        return self.entry + "\t" * 7

    def to_dict(self) -> dict:
        return {"term": self.term, "display": self.display, "entry": self.entry, "group": self.group, "z": round(self.z, 3),
                "count_a": self.count_a, "count_b": self.count_b, "variants": self.variants,
                "context": list(self.context)}


@dataclass(frozen=True)
class Suggestions:
    """What :func:`suggest` found: the two ``groups`` compared, the ``candidates`` (those of the
    first group first, each list strongest first) and the corpus records left out with
    ``skip_bad`` (``skips``, in corpus order: the caller reports them)."""

    groups: tuple[str, str]
    candidates: tuple[Candidate, ...]
    skips: tuple[Skip, ...] = ()

    def to_dict(self) -> dict:
        return {"groups": list(self.groups), "candidates": [c.to_dict() for c in self.candidates],
                "skips": [s.to_dict() for s in self.skips]}


def pieces(lexicon) -> set[str]:
    """Every run of whole words inside an entry's forms (shorter than the form)."""
    out = set()
    for entry in lexicon.entries:
        for form in entry.forms:
            words = form.split(" ")
            for n in range(1, len(words)):
                for start in range(len(words) - n + 1):
                    out.add(" ".join(words[start:start + n]))
    return out


def suggest(source, by: str, groups=None, *, lexicon=None, top: int = 20, max_n: int = 2, min_count: int = 3,
            text_field: str = "text", encoding: str = "utf-8", skip_bad: bool = False,
            options: ReaderOptions | None = None) -> Suggestions:
    """Candidate terms typical of each of two groups of ``source`` that the lexicon lacks.

    Parameters
    ----------
    source : str or pandas.DataFrame
        A corpus (``demo``, JSONL, CSV) or a frame from :func:`framing.table.score_corpus`.
    by, groups
        As in :func:`framing.distinctive.distinctive_terms`: the field, and the two values (default:
        its two values, or the two most opposite groups by slant).
    top : int, default=20
        Candidates per group.
    max_n : int, default=2
        Longest phrase, in words.
    text_field, encoding, skip_bad, options
        How to read ``source`` (``options``, a :class:`~framing.corpus.ReaderOptions`, replaces
        the other three).

    Returns
    -------
    Suggestions
        The two groups compared (``groups``), the candidates (``candidates``: those of the first
        group, z > 0, first, each list strongest first) and the records left out (``skips``).
    """
    from .concordance import lines
    from .corpus import Record
    from .distinctive import distinctive_terms
    from .errors import InputError
    from .schema import group_name
    from .scorer import scorer_for
    from .table import group_keys

    options = options or ReaderOptions(text_field, encoding, skip_bad)
    scorer = scorer_for(lexicon)
    skips: list[Skip] = []
    if isinstance(source, str) or not hasattr(source, "columns"):
        source = _scored(source, scorer, options, skips)
    if by not in source.columns:
        fields = [c for c in source.columns if not str(c).startswith(("sides.", "parties.", "model."))
                  and c not in ("words", "lean", "matches")]
        raise InputError(f"no field {by!r} in the corpus; fields are: {', '.join(map(str, fields))}", option="by")
    table = distinctive_terms(source, by, groups, text_field=options.text_field, lexicon=scorer.lexicon.path,
                              max_n=max_n, min_count=min_count, fold=clitic_families)
    a, b = table.attrs["groups"]
    known = pieces(scorer.lexicon)
    # A piece spelt with clitics («للقيادة» of «القيادة العامة») is a piece too.
    head = clitic_families(set(table["term"]) | known)
    known_heads = {head[p] for p in known}
    fresh = table[table["lexicon_term"].isna() & ~table["term"].map(lambda t: head[t] in known_heads)]
    texts = source[options.text_field].tolist()
    keys = group_keys(source, by)
    where = source["where"].tolist() if "where" in source.columns else [f"row {i}" for i in range(len(texts))]
    ids = source["id"].tolist() if "id" in source.columns else where
    out = []
    for group, rows in ((a, fresh[fresh["z"] >= MIN_Z]), (b, fresh[fresh["z"] <= -MIN_Z].iloc[::-1])):
        records = [Record(t, {"id": i}, w) for t, k, i, w in zip(texts, keys, ids, where) if k == group]
        for row in rows.head(top).itertuples():
            context = []
            for line in lines(records, row.display, scorer=scorer, width=30):
                context.append(f"{line.right}[{line.match}]{line.left}  ({line.where})")
                if len(context) == CONTEXT_LINES:
                    break
            out.append(Candidate(row.term, row.display, group_name(group), float(row.z), int(row.count_a), int(row.count_b),
                                 row.variants, tuple(context)))
    return Suggestions((group_name(a), group_name(b)), tuple(out), tuple(skips))


def _scored(source, scorer, options: ReaderOptions, skips: list):
    """The corpus ``source`` scored, one row per article (as :func:`framing.table.score_corpus`
    gives it); the records left out are appended to ``skips``."""
    import pandas as pd

    from .corpus import keep_skips
    from .errors import InputError
    from .rows import score_rows
    from .schema import Schema
    from .table import read_articles

    items = score_rows(read_articles(source, options), scorer, Schema(scorer.lexicon, options.text_field, "narrator"))
    rows = list(keep_skips(items, skips))
    if not rows:
        raise InputError(f"{source}: no articles")
    return pd.DataFrame.from_records(rows)
