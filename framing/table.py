"""Corpus tables: every article's scores in a DataFrame, then groups compared with bootstrap CIs.

:func:`score_corpus` turns a corpus into one row per article; :func:`compare` summarises those
rows per group (an outlet, or any field), optionally per period of the ``date`` field, and
:func:`to_records` gives the public JSON contract of ``framing compare --json``.

Column names follow the paths of :meth:`framing.results.Score.to_dict` joined with dots, so
``sides.lna`` is the narrator's pro-LNA framing per 1,000 words and ``parties.gna.net`` the net
(favorable − unfavorable) evidence about the GNA.
"""

from __future__ import annotations

import math
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .corpus import read_records
from .errors import InputError, skip_or_raise
from .scorer import Scorer

#: Period lengths accepted by ``compare(over=...)`` and their pandas frequencies.
PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
#: Fewest articles for which a group gets a confidence interval.
MIN_N = 5
VOICES = ("narrator", "all")
#: Bootstrap resamples drawn per block, in units of articles × resamples (bounds memory).
_BLOCK = 4_000_000
_STANCE_FIELDS = ("favorable", "unfavorable", "net", "mentions", "stance")
_SCORE_PREFIXES = ("sides.", "parties.", "model.")
_SCORE_COLUMNS = ("where", "words", "lean", "matches")


# --------------------------------------------------------------------------------------------
# Scoring a corpus


def score_corpus(source, *, lexicon=None, scorer: Scorer | None = None, model=None, text_field: str = "text",
                 encoding: str = "utf-8", skip_bad: bool = False, on_skip=None,
                 progress: bool | None = None, voice: str = "narrator") -> pd.DataFrame:
    """Score every article of a corpus into a DataFrame, one row per article.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A JSONL/CSV corpus, ``"demo"`` (the bundled demo corpus), a single text file, or a
        DataFrame with one article per row.
    lexicon : str, path or Lexicon, optional
        Lexicon to score with (default ``libya-2019-2020``); ignored when ``scorer`` is given.
    scorer : Scorer, optional
        A configured scorer (e.g. with other lean thresholds).
    model : StanceModel or path, optional
        A stance model from ``framing train``; adds its probabilities as ``model.<party>.<class>``
        columns and its labels as ``model.<party>.label``.
    text_field : str, default="text"
        The field (or column) holding the article; the text is kept under that name.
    encoding : str, default="utf-8"
        Encoding of a corpus file.
    skip_bad : bool, default=False
        Skip malformed records (reporting each through ``on_skip``) instead of raising.
    on_skip : callable, optional
        Called with a one-line message for every skipped record.
    progress : bool, optional
        Show a progress bar; None shows one when standard error is a terminal.
    voice : {"narrator", "all"}, default="narrator"
        Whose words the ``lean``, ``sides.*`` and ``parties.*`` columns count: the outlet's own
        (``narrator``), or quoted statements too (``all``: whom an outlet quotes, and how much, is
        framing as well; comparing both shows how much of an outlet's slant is in its sources).

    Returns
    -------
    pandas.DataFrame
        Every corpus field, ``where`` (``file:line`` or ``row N``), the text, ``words``, ``lean``
        (narrator voice; missing, i.e. NaN, when it abstains), ``sides.<side>`` (framing per 1,000 words),
        ``parties.<party>.{favorable, unfavorable, net, mentions, stance}`` and ``matches`` (the
        tuple of :class:`~framing.results.Match` of each article; :func:`long_matches` gives them
        one per row). ``df.attrs`` records the lexicon.

    Raises
    ------
    InputError
        For an empty corpus or a malformed record (naming its file and line, or row).
    """
    from .progress import track, wanted

    check_voice(voice)
    if scorer is None:
        scorer = Scorer(lexicon)
    if model is not None and isinstance(model, (str, Path)):
        from .model import load_model

        model = load_model(model, lexicon=scorer.lexicon)
    items = _articles(source, text_field, encoding, skip_bad, on_skip)
    if progress is None:
        progress = wanted()
    total = _expected_count(source) if progress else None  # counting reads the file once more
    parties = scorer.lexicon.parties
    rows = []
    for text, meta, where in track(items, total, "scoring", enabled=progress):
        s = scorer.score(text, meta)
        scores = s.narrator if voice == "narrator" else s.all_voices
        row = {"where": where, **meta, text_field: text, "words": s.words, "lean": scores.lean}
        for side, value in scores.sides.items():
            row[f"sides.{side}"] = value
        for pid in parties:
            p = scores.parties[pid]
            for name in _STANCE_FIELDS:
                row[f"parties.{pid}.{name}"] = getattr(p, name)
        row["matches"] = s.matches
        rows.append(row)
    if not rows:
        raise InputError(f"{_name(source)}: no articles")
    if model is not None:
        _add_predictions(rows, model, text_field)
    df = pd.DataFrame.from_records(rows)
    df.attrs.update(lexicon=scorer.lexicon.name, lexicon_path=str(scorer.lexicon.path), text_field=text_field,
                    voice=voice)
    return df


def _add_predictions(rows: list[dict], model, text_field: str) -> None:
    """Add a stance model's labels and probabilities to each row (one batch call: ``StanceModel.predict``
    splits it in chunks itself)."""
    preds = model.predict([row[text_field] for row in rows])
    for row, pred in zip(rows, preds):
        for pid, out in pred.items():
            row[f"model.{pid}.label"] = out["label"]
            for cls, prob in out["proba"].items():
                row[f"model.{pid}.{cls}"] = prob


def _name(source) -> str:
    return "the DataFrame" if isinstance(source, pd.DataFrame) else str(source)


def _expected_count(source) -> int | None:
    if isinstance(source, pd.DataFrame):
        return len(source)
    from .progress import expected_records

    return expected_records(source)


def _articles(source, text_field, encoding, skip_bad, on_skip):
    """Yield ``(text, meta, where)`` for each article of a path or a DataFrame."""
    if isinstance(source, pd.DataFrame):
        yield from _frame_articles(source, text_field, skip_bad, on_skip)
        return
    for record in read_records(str(source), text_field, encoding, skip_bad, on_skip):
        yield record.text, record.meta, record.where


def _frame_articles(frame: pd.DataFrame, text_field, skip_bad, on_skip):
    if text_field not in frame.columns:
        raise InputError(f"the DataFrame has no {text_field!r} column; columns are {', '.join(map(str, frame.columns))}")
    for label, row in zip(frame.index, frame.to_dict("records")):
        where = f"row {label}"
        text = row.pop(text_field)
        if not isinstance(text, str):
            skip_or_raise(InputError(f"{where}: column {text_field!r} must be a string. "
                                     f"Got {type(text).__name__} instead"), skip_bad, on_skip)
        elif not text.strip():
            skip_or_raise(InputError(f"{where}: column {text_field!r} is empty"), skip_bad, on_skip)
        else:
            yield text, row, where


def long_matches(df: pd.DataFrame, keep=None) -> pd.DataFrame:
    """The matches of every article of ``score_corpus``, one row per match.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`score_corpus`.
    keep : list of str, optional
        Article columns to repeat on each match row (default: every corpus field but the text).

    Returns
    -------
    pandas.DataFrame
        ``article`` (the row label in ``df``), the kept fields, then the fields of
        :class:`~framing.results.Match` (``start``, ``end``, ``text``, ``term``, ``kind``,
        ``target``, ``polarity``, ``category``, ``weight``, ``voice``, ``rule``, ``speaker``,
        ``source``). Offsets index each article's original text.
    """
    if keep is None:
        keep = field_names(df)
    fields = ("start", "end", "text", "term", "kind", "target", "polarity", "category", "weight", "voice",
              "rule", "speaker", "source")
    rows = []
    kept = df[list(keep)].to_dict("records") if keep else [{}] * len(df)
    for label, meta, matches in zip(df.index, kept, df["matches"]):
        for m in matches:
            rows.append({"article": label, **meta, **{f: getattr(m, f) for f in fields}})
    return pd.DataFrame.from_records(rows, columns=["article", *keep, *fields])


def field_names(df: pd.DataFrame) -> list[str]:
    """The corpus fields of a ``score_corpus`` frame (what ``--by`` may name): no scores, no text."""
    text_field = df.attrs.get("text_field", "text")
    return [c for c in df.columns
            if c not in _SCORE_COLUMNS and c != text_field and not str(c).startswith(_SCORE_PREFIXES)]


def sides_of(df: pd.DataFrame) -> list[str]:
    """Side ids of a ``score_corpus`` frame, in lexicon order."""
    return [c.split(".", 1)[1] for c in df.columns if str(c).startswith("sides.")]


def parties_of(df: pd.DataFrame) -> list[str]:
    """Party ids of a ``score_corpus`` frame, in lexicon order."""
    return [c.split(".")[1] for c in df.columns if str(c).startswith("parties.") and str(c).endswith(".net")]


def slant_values(df: pd.DataFrame) -> np.ndarray:
    """Per-article slant: framing for the first side minus framing for the second, per 1,000 words."""
    sides = sides_of(df)
    return df[f"sides.{sides[0]}"].to_numpy(float) - df[f"sides.{sides[1]}"].to_numpy(float)


def group_keys(df: pd.DataFrame, by: str) -> list:
    """The group of every article by field ``by``: the one rule every grouping uses (see ``_key``:
    missing values form one group, None; lists and objects are grouped by their text)."""
    return [_key(v) for v in df[by].tolist()]


def mean_slant_by(df: pd.DataFrame, by: str) -> dict:
    """Mean per-article slant of the articles of each group of ``by`` (see :func:`group_keys`)."""
    sums: dict = {}
    for group, value in zip(group_keys(df, by), slant_values(df)):
        total, count = sums.get(group, (0.0, 0))
        sums[group] = (total + value, count + 1)
    return {group: total / count for group, (total, count) in sums.items()}


def check_voice(voice: str) -> None:
    if voice not in VOICES:
        raise InputError(f"voice must be {' or '.join(VOICES)}. Got {voice!r} instead")


# --------------------------------------------------------------------------------------------
# Comparing groups


def compare(df: pd.DataFrame, by: str = "outlet", over: str | None = None, *, date_field: str = "date",
            n_boot: int = 2000, ci: float = 0.95, seed: int = 0, min_n: int = MIN_N) -> pd.DataFrame:
    """Compare groups of articles: counts, mean scores with bootstrap CIs, lean shares.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`score_corpus`.
    by : str, default="outlet"
        The field whose values form the groups (an outlet, an alignment, a label ...).
    over : {"week", "month", "quarter", "year"}, optional
        Also split each group by period of ``date_field``. Articles without a date (the field
        missing, null or empty) are left out; ``attrs["undated"]`` counts them. A value that is not
        a date is an error.
    date_field : str, default="date"
        The field holding each article's date (ISO 8601, e.g. ``2020-01-31``).
    n_boot : int, default=2000
        Bootstrap resamples per group.
    ci : float, default=0.95
        Confidence level of the percentile bootstrap intervals.
    seed : int, default=0
        Seed of the bootstrap. Each group draws from its own stream derived from ``seed`` and the
        group's value, so adding articles of another group never changes a group's interval.
    min_n : int, default=5
        Groups with fewer articles get means but no interval (``lo``/``hi`` NaN, and a ``note``).

    Returns
    -------
    pandas.DataFrame
        One row per group (and period): the group value under ``by``, ``period`` and
        ``period_start`` with ``over``, ``n``, then ``<metric>.mean``, ``<metric>.lo`` and
        ``<metric>.hi`` for each metric: ``sides.<side>`` (framing per 1,000 words), ``slant``
        (first side minus second), ``parties.<party>.net``; ``lean_share.<side>`` and
        ``lean_share.none`` (shares of articles leaning each way, or neither);
        ``model.<party>.<class>`` (mean classifier probabilities) when the frame has them; and
        ``note``. Rows run from the group most slanted toward the first side to the group most
        slanted toward the second (then by period).

    Raises
    ------
    InputError
        If the frame is empty, ``by`` or ``date_field`` is not a field (the message lists the
        fields), ``over`` is unknown or a date cannot be parsed (naming its line).
    """
    if len(df) == 0:
        raise InputError("no articles to compare")
    fields = field_names(df)
    if by not in df.columns or by not in fields:
        raise InputError(f"no field {by!r} in the corpus; fields are: {', '.join(map(str, fields)) or 'none'}")
    if not isinstance(n_boot, int) or n_boot < 1:
        raise InputError(f"n_boot must be a positive integer. Got {n_boot!r} instead")
    if not 0 < ci < 1:
        raise InputError(f"ci must be between 0 and 1. Got {ci!r} instead")
    sides, parties = sides_of(df), parties_of(df)
    metrics = [f"sides.{s}" for s in sides] + (["slant"] if len(sides) >= 2 else []) + [f"parties.{p}.net" for p in parties]
    columns = [df[f"sides.{s}"].to_numpy(float) for s in sides]
    if len(sides) >= 2:
        columns.append(slant_values(df))
    columns += [df[f"parties.{p}.net"].to_numpy(float) for p in parties]
    values = np.column_stack(columns)
    model_cols = [c for c in df.columns if str(c).startswith("model.") and not str(c).endswith(".label")]
    probs = df[model_cols].to_numpy(float) if model_cols else None
    lean = df["lean"].to_numpy(object)

    undated = 0
    if over is not None:
        # Articles without a date cannot be placed in a period: they are left out, and counted.
        labels, starts = _periods(df, over, date_field)
        dated = np.flatnonzero(np.array([label is not None for label in labels], dtype=bool))
        undated = len(df) - len(dated)
        if not len(dated):
            raise InputError(f"no article has a date in field {date_field!r}, so none can be placed in a {over}")
        if undated:
            df, values, lean = df.iloc[dated], values[dated], lean[dated]
            probs = probs[dated] if probs is not None else None
            labels, starts = [labels[i] for i in dated], [starts[i] for i in dated]
    keys = group_keys(df, by)
    if over is not None:
        keys = list(zip(keys, labels))
    groups: dict = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)

    rows = []
    for key, index in groups.items():
        pos = np.asarray(index)
        n = len(pos)
        group, period = key if over is not None else (key, None)
        row = {by: group}
        if over is not None:
            row["period"] = period
            row["period_start"] = starts[pos[0]]
        row["n"] = n
        X = values[pos]
        means = X.mean(axis=0)
        if n >= min_n:
            rng = np.random.default_rng([seed, zlib.crc32(repr(key).encode("utf-8"))])
            lo, hi = _bootstrap(X, n_boot, ci, rng)
            note = None
        else:
            lo = hi = np.full(len(metrics), np.nan)
            note = f"{n} article{'s' if n != 1 else ''}: too few for a confidence interval (needs {min_n})"
        for j, metric in enumerate(metrics):
            row[f"{metric}.mean"] = means[j]
            row[f"{metric}.lo"] = lo[j]
            row[f"{metric}.hi"] = hi[j]
        leans = lean[pos]
        for s in sides:
            row[f"lean_share.{s}"] = float(np.mean(leans == s))
        row["lean_share.none"] = float(np.mean(pd.isna(leans)))
        if probs is not None:
            for col, m in zip(model_cols, np.nanmean(probs[pos], axis=0)):
                row[col] = m
        row["note"] = note
        rows.append(row)

    table = pd.DataFrame.from_records(rows)
    table = _order(table, by, over, values, keys, metrics)
    table.attrs.update(by=by, over=over, sides=sides, parties=parties, ci=ci, n_boot=n_boot, seed=seed,
                       min_n=min_n, lexicon=df.attrs.get("lexicon"), articles=len(df), undated=undated,
                       voice=df.attrs.get("voice", "narrator"))
    return table


def _key(value):
    """Group key of a field value: missing values (None, NaN, an empty CSV cell) form one group, None."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (list, dict)):
        return str(value)
    if isinstance(value, bool):  # True == 1 for dicts: keep JSON's true apart from the number 1
        return "true" if value else "false"
    return value


def _order(table, by, over, values, keys, metrics):
    """Sort groups from most toward the first side to most toward the second (overall slant)."""
    if "slant" in metrics:
        j = metrics.index("slant")
        overall: dict = {}
        for key, v in zip(keys, values[:, j]):
            g = key[0] if over is not None else key
            total, count = overall.get(g, (0.0, 0))
            overall[g] = (total + v, count + 1)
        rank = {g: -t / c for g, (t, c) in overall.items()}
    else:
        rank = {}
    sort_key = table[by].map(lambda g: (rank.get(g, 0.0), str(g)))
    order = sorted(range(len(table)), key=lambda i: (sort_key.iloc[i], table["period"].iloc[i] if over else ""))
    return table.iloc[order].reset_index(drop=True)


def _periods(df, over, date_field):
    """Period label and start of every article's date; raises naming the first bad line."""
    if over not in PERIODS:
        raise InputError(f"over must be one of {', '.join(PERIODS)}. Got {over!r} instead")
    if date_field not in df.columns:
        raise InputError(f"no field {date_field!r} in the corpus to group by {over}; fields are: "
                         f"{', '.join(map(str, field_names(df)))}")
    raw = df[date_field]
    missing = np.array([_key(v.strip() if isinstance(v, str) else v) is None for v in raw.tolist()], dtype=bool)
    dates = pd.to_datetime(raw.astype("string") if raw.dtype == object else raw, errors="coerce",
                           format="ISO8601", utc=True)
    bad = np.flatnonzero(dates.isna().to_numpy() & ~missing)
    if len(bad):  # a value that is not a date is a mistake to fix; a missing one is only undated
        i = bad[0]
        where = df["where"].iloc[i] if "where" in df.columns else f"row {df.index[i]}"
        more = f" ({len(bad) - 1} more bad dates)" if len(bad) > 1 else ""
        raise InputError(f"{where}: field {date_field!r} must be a date like 2020-01-31. "
                         f"Got {raw.iloc[i]!r} instead{more}")
    periods = dates.dt.tz_convert(None).dt.to_period(PERIODS[over])
    starts = periods.dt.start_time
    if over == "week":
        labels = starts.dt.strftime("%Y-%m-%d")
    else:
        labels = periods.astype(str)
    labels, starts = labels.tolist(), starts.tolist()
    return ([None if m else x for x, m in zip(labels, missing)], [None if m else x for x, m in zip(starts, missing)])


def _bootstrap(X: np.ndarray, n_boot: int, ci: float, rng: np.random.Generator):
    """Percentile bootstrap interval of the column means of ``X`` (articles × metrics)."""
    n = len(X)
    means = np.empty((n_boot, X.shape[1]))
    block = max(1, _BLOCK // n)
    for a in range(0, n_boot, block):
        b = min(n_boot, a + block)
        draws = rng.integers(0, n, size=(b - a, n))
        # How often each article is drawn in each resample: a resample's mean is then a matrix product.
        counts = np.bincount((draws + (np.arange(b - a) * n)[:, None]).ravel(), minlength=(b - a) * n)
        means[a:b] = counts.reshape(b - a, n).astype(float) @ X / n
    tail = (1 - ci) / 2
    lo, hi = np.quantile(means, [tail, 1 - tail], axis=0)
    return lo, hi


# --------------------------------------------------------------------------------------------
# The JSON contract


def to_records(table: pd.DataFrame) -> list[dict]:
    """The public JSON form of a :func:`compare` table (``framing compare --json``).

    One object per group: ``group`` (the value of the grouping field), ``period`` (with
    ``over``), ``n``, ``sides`` {side: {``mean``, ``lo``, ``hi``}}, ``slant`` {``mean``, ``lo``,
    ``hi``}, ``parties`` {party: {``net``: {``mean``, ``lo``, ``hi``}}}, ``lean_share``
    {side or ``none``: share}, ``model`` {party: {class: mean probability}} when a model was
    used, and ``note`` (null, or why ``lo``/``hi`` are null). Numbers are rounded to 4 decimals.
    """
    by = table.attrs.get("by", table.columns[0])
    over = table.attrs.get("over")
    sides = table.attrs.get("sides") or [c.split(".")[1] for c in table.columns if c.startswith("sides.") and c.endswith(".mean")]
    parties = table.attrs.get("parties") or [c.split(".")[1] for c in table.columns
                                             if c.startswith("parties.") and c.endswith(".net.mean")]
    model_cols = [c for c in table.columns if c.startswith("model.")]
    out = []
    for row in table.to_dict("records"):
        rec = {"group": _plain(row[by])}
        if over is not None:
            rec["period"] = row["period"]
        rec["n"] = int(row["n"])
        rec["sides"] = {s: _interval(row, f"sides.{s}") for s in sides}
        if "slant.mean" in row:
            rec["slant"] = _interval(row, "slant")
        rec["parties"] = {p: {"net": _interval(row, f"parties.{p}.net")} for p in parties}
        rec["lean_share"] = {**{s: _num(row[f"lean_share.{s}"]) for s in sides}, "none": _num(row["lean_share.none"])}
        if model_cols:
            model: dict = {}
            for c in model_cols:
                _, pid, cls = c.split(".", 2)
                model.setdefault(pid, {})[cls] = _num(row[c])
            rec["model"] = model
        rec["note"] = row["note"] if isinstance(row["note"], str) else None
        out.append(rec)
    return out


def _interval(row: dict, metric: str) -> dict:
    return {"mean": _num(row[f"{metric}.mean"]), "lo": _num(row[f"{metric}.lo"]), "hi": _num(row[f"{metric}.hi"])}


def _num(x):
    x = float(x)
    return None if math.isnan(x) else round(x, 4)


def _plain(value):
    """A group value as JSON can hold it (NumPy scalars to Python, missing to null)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value
