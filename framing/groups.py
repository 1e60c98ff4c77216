"""Group statistics of a table of scores, and their JSON contract.

:func:`compare` summarises the rows of :func:`framing.table.score_corpus` per group (an outlet,
or any field), optionally per period of a date field, with percentile bootstrap confidence
intervals; :func:`to_records` gives the public JSON contract of ``framing compare --json``.

The slant is one side's framing minus another's: an explicit pair of sides (``slant=``), which
defaults only when the table has exactly two sides. With more sides and no pair, the table has
no slant columns and is ordered by group; the charts that draw a slant then refuse, naming the
option.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from .errors import InputError, check_count, plural
from .lexicon import check_slant
from .schema import field_columns, group_key, parties_in, party_column, side_column, sides_in

#: Period lengths accepted by ``compare(over=...)`` and their pandas frequencies.
PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
#: Fewest articles for which a group gets a confidence interval.
MIN_N = 5
#: Bootstrap resamples drawn per block, in units of articles × resamples (bounds memory).
_BLOCK = 4_000_000


@dataclass(frozen=True)
class CompareSettings:
    """How a :func:`compare` table was made: what its charts and renderers need to read it.

    ``compare`` records these in the table's ``attrs`` for a notebook to look at, but pandas drops
    ``attrs`` in merges and most other operations: every function that reads a compare table
    (the charts, :func:`to_records`, the text and HTML renderers) takes ``settings=`` and, without
    it, reads them from ``attrs`` or refuses (:meth:`of`); it never guesses a lexicon, a slant or a
    confidence level. Take ``CompareSettings.of(table)`` before transforming a table, and pass it.

    Attributes
    ----------
    by, over : str, str or None
        The grouping field and the period (None: not split by period).
    sides, parties : tuple of str
        The lexicon's sides and parties, in its order.
    slant : (str, str) or None
        The pair of sides of the ``slant`` columns, first minus second (None: no slant columns).
    lexicon, voice : str or None
        The lexicon's name, and the voice the table counts (see :data:`framing.schema.VOICES`);
        None when the scored frame no longer said (pass ``schema=`` to :func:`compare`).
    ci, n_boot, seed, min_n : float, int, int, int
        The bootstrap settings.
    articles, undated : int
        Articles in the table, and articles left out for want of a date (with ``over``).
    """

    by: str
    over: str | None
    sides: tuple[str, ...]
    slant: tuple[str, str] | None
    parties: tuple[str, ...]
    lexicon: str | None
    voice: str | None
    ci: float
    n_boot: int
    seed: int
    min_n: int
    articles: int
    undated: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, table, settings: CompareSettings | None = None) -> CompareSettings:
        """``settings`` when given, else the settings ``compare`` recorded in ``table.attrs``.

        Raises
        ------
        InputError
            If ``settings`` is not a CompareSettings, or none is given and ``attrs`` do not hold
            them (a merged, concatenated or rebuilt table).
        """
        if settings is not None:
            if not isinstance(settings, CompareSettings):
                raise InputError(f"settings must be a CompareSettings. Got {type(settings).__name__} instead")
            return settings
        attrs = getattr(table, "attrs", None) or {}
        missing = [f.name for f in fields(cls) if f.name not in attrs]
        if missing:
            raise InputError("how this compare() table was made is not known (pandas drops DataFrame.attrs in merges "
                             "and most operations): pass settings=CompareSettings.of(table), taken from the table "
                             "compare() returned")
        values = {f.name: attrs[f.name] for f in fields(cls)}
        for name in ("sides", "parties"):
            values[name] = tuple(values[name])
        values["slant"] = tuple(values["slant"]) if values["slant"] is not None else None
        return cls(**values)


def slant_pair(df, slant=None, lexicon=None) -> tuple[str, str] | None:
    """The pair of sides of a table's slant: ``slant`` checked against its sides (those of
    ``lexicon``, a :class:`~framing.lexicon.Lexicon`, when given, else its columns'), or its two
    sides, or None when it has more than two and none were named."""
    sides = list(lexicon.sides) if lexicon is not None else sides_in(df)
    if slant is None and len(sides) != 2:
        return None
    return check_slant(sides, slant, lexicon.name if lexicon is not None else None)


def slant_values(df, pair=None) -> np.ndarray:
    """Per-article slant, framing for ``pair[0]`` minus framing for ``pair[1]`` per 1,000 words
    (default: the table's two sides; refused when it has more)."""
    a, b = check_slant(sides_in(df), pair)
    return df[side_column(a)].to_numpy(float) - df[side_column(b)].to_numpy(float)


def group_keys(df, by: str) -> list:
    """The group of every article by field ``by``: the one rule every grouping uses (see ``_key``:
    missing values form one group, None; lists and objects are grouped by their text)."""
    return [_key(v) for v in df[by].tolist()]


def group_codes(df, by: str) -> tuple[np.ndarray, list]:
    """The group of every article by field ``by`` (the rule of :func:`group_keys`) as an array of
    codes, and the group of each code, in order of first appearance."""
    index: dict = {}
    codes = np.fromiter((index.setdefault(_key(v), len(index)) for v in df[by]), dtype=np.int64, count=len(df))
    return codes, list(index)


def mean_slant_by(df, by: str, pair=None) -> dict:
    """Mean per-article slant of the articles of each group of ``by`` (see :func:`group_keys`)."""
    sums: dict = {}
    for group, value in zip(group_keys(df, by), slant_values(df, pair)):
        total, count = sums.get(group, (0.0, 0))
        sums[group] = (total + value, count + 1)
    return {group: total / count for group, (total, count) in sums.items()}


def statistics_columns(by: str = "outlet", over: str | None = None, date_field: str = "date") -> list[str]:
    """The columns :func:`compare` reads, for ``score_corpus(keep=...)``: ``where`` (the order of the
    bootstrap; the line a bad date is on), the grouping field, the date field with ``over``, and the
    scores it summarises (names and :mod:`fnmatch` patterns).

    >>> statistics_columns("outlet", "month")
    ['where', 'outlet', 'date', 'lean', 'sides.*', 'parties.*.net', 'model.*']
    """
    return ["where", by, *([date_field] if over is not None else []), "lean", "sides.*", "parties.*.net", "model.*"]


def records_frame(rows: list[dict]) -> pd.DataFrame:
    """``rows`` (dicts: flat rows of scores, a table's rows) as a DataFrame.

    pandas infers a column of integers that some rows lack as float64 («2019.0», and a group named
    so in ``compare``); such a column keeps the values the rows give (integers, and None where a
    row has none: dtype object), as :func:`framing.frames.as_frame` keeps it."""
    df = pd.DataFrame.from_records(rows)
    for name in df.columns[(df.dtypes == "float64").to_numpy()]:
        # The first value tells a score column (a float) at once: most columns are read no further.
        first = next((v for v in (row.get(name) for row in rows) if v is not None), None)
        if type(first) is int:
            values = [row.get(name) for row in rows]
            if all(v is None or type(v) is int for v in values):
                df[name] = pd.Series(values, dtype=object)
    return df


def compare(df: pd.DataFrame, by: str = "outlet", over: str | None = None, *, date_field: str = "date",
            n_boot: int = 2000, ci: float = 0.95, seed: int = 0, min_n: int = MIN_N, slant=None,
            schema=None) -> pd.DataFrame:
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
    slant : pair of str, optional
        The sides of the slant, first minus second. Default: the two sides of a two-sided
        lexicon; with more sides and no pair, there is no slant.
    schema : Schema, optional
        The table's :class:`~framing.schema.Schema` (default: sides and parties read from its
        columns, the text field from ``attrs``; when they are lost, no column is taken for the
        text, so every column that is not a score may be ``by``).

    Returns
    -------
    pandas.DataFrame
        One row per group (and period): the group value under ``by``, ``period`` and
        ``period_start`` with ``over``, ``n``, then ``<metric>.mean``, ``<metric>.lo`` and
        ``<metric>.hi`` for each metric: ``sides.<side>`` (framing per 1,000 words), ``slant``
        (first side of the pair minus second), ``parties.<party>.net``; ``lean_share.<side>`` and
        ``lean_share.none`` (shares of articles leaning each way, or neither);
        ``model.<party>.<class>`` (mean classifier probabilities) when the frame has them; and
        ``note``. Rows run from the group most slanted toward the first side to the group most
        slanted toward the second (then by period); without a slant, by group. ``attrs`` hold
        its :class:`CompareSettings` (``CompareSettings.of(table)``), one key per field.

    Raises
    ------
    InputError
        If the frame is empty, ``by`` or ``date_field`` is not a field (the message lists the
        fields), ``over`` is unknown, a date cannot be parsed (naming its line) or ``slant`` is not
        two sides of the table.
    """
    if len(df) == 0:
        raise InputError("no articles to compare")
    # The text column is the schema's, else the one attrs recorded; unknown, no column is taken for it.
    fields = field_columns(df, schema.text_field if schema is not None else df.attrs.get("text_field"))
    if by not in df.columns or by not in fields:
        raise InputError(f"no field {by!r} in the corpus; fields are: {', '.join(map(str, fields)) or 'none'}",
                         option="by")
    # Checked here, not where used: the bootstrap runs only for groups of min_n articles or more, so a
    # bad seed would otherwise fail on one corpus and pass on another.
    check_count("n_boot", n_boot)
    check_count("min_n", min_n, positive=False)
    check_count("seed", seed, positive=False)
    n_boot, min_n, seed = int(n_boot), int(min_n), int(seed)  # NumPy integers as plain ints in attrs
    if isinstance(ci, bool) or not isinstance(ci, (int, float, np.number)) or not 0 < ci < 1:
        raise InputError(f"ci must be between 0 and 1. Got {ci!r} instead")
    if schema is not None:
        sides, parties = list(schema.sides), list(schema.parties)
    else:
        sides, parties = sides_in(df), parties_in(df)
    pair = slant_pair(df, slant, schema.lexicon if schema is not None else None)
    metrics = [side_column(s) for s in sides] + (["slant"] if pair else []) + [party_column(p, "net") for p in parties]
    columns = [df[side_column(s)].to_numpy(float) for s in sides]
    if pair:
        columns.append(df[side_column(pair[0])].to_numpy(float) - df[side_column(pair[1])].to_numpy(float))
    columns += [df[party_column(p, "net")].to_numpy(float) for p in parties]
    values = np.column_stack(columns)
    model_cols = [c for c in df.columns if str(c).startswith("model.") and not str(c).endswith(".label")]
    probs = df[model_cols].to_numpy(float) if model_cols else None
    lean = df["lean"].to_numpy(object)

    undated = 0
    codes, groups_of = group_codes(df, by)
    if over is not None:
        # Articles without a date cannot be placed in a period: they are left out, and counted.
        periods, labels, starts = _periods(df, over, date_field, fields)
        dated = np.flatnonzero(periods >= 0)
        undated = len(df) - len(dated)
        if not len(dated):
            raise InputError(f"no article has a date in field {date_field!r}, so none can be placed in a {over}")
        if undated:
            df, values, lean, codes, periods = df.iloc[dated], values[dated], lean[dated], codes[dated], periods[dated]
            probs = probs[dated] if probs is not None else None
        # one code per (group, period), numbered in order of first appearance
        cells, pairs = pd.factorize(codes * len(labels) + periods)
        keys = [(groups_of[c // len(labels)], labels[c % len(labels)], starts[c % len(labels)]) for c in pairs]
    else:
        cells, keys = codes, [(g, None, None) for g in groups_of]
    # The bootstrap draws rows by position: each group's rows are put in the order of a stable key
    # (``where``, else ``id``) first, so that the same articles in another order (another --jobs,
    # Dask partitions) give the same intervals. Arrays of positions, not lists: a million articles.
    sort_keys = [np.arange(len(df))]
    column = next((c for c in ("where", "id") if c in df.columns), None)
    if column is not None:
        sort_keys.append(pd.factorize(df[column].astype(str), sort=True)[0])
    by_cell = np.lexsort([*sort_keys, cells])
    bounds = np.concatenate([[0], np.cumsum(np.bincount(cells, minlength=len(keys)))])

    rows = []
    for cell, (group, period, start) in enumerate(keys):
        pos = by_cell[bounds[cell]:bounds[cell + 1]]
        key = (group, period) if over is not None else group
        n = len(pos)
        row = {by: group}
        if over is not None:
            row["period"] = period
            row["period_start"] = start
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

    table = records_frame(rows)
    table = _order(table, by, over, values, codes, groups_of, metrics)
    settings = CompareSettings(by, over, tuple(sides), pair, tuple(parties),
                               schema.lexicon.name if schema is not None else df.attrs.get("lexicon"),
                               schema.voice if schema is not None else df.attrs.get("voice"),
                               ci, n_boot, seed, min_n, len(df), undated)
    table.attrs.update(settings.to_dict(), sides=list(sides), parties=list(parties))
    return table


def _key(value):
    """Group key of a field value (:func:`framing.schema.group_key`), with pandas' missing values
    (NA, NaT) in the missing group too."""
    key = group_key(value)
    # pd.isna, not ==: pandas' NA refuses to be a bool, and a nullable or datetime column holds NA or NaT
    if not isinstance(key, str) and pd.api.types.is_scalar(key) and pd.isna(key):
        return None
    return key


def _order(table, by, over, values, codes, groups_of, metrics):
    """Sort groups from most toward the first side to most toward the second (overall slant), or by
    group without a slant."""
    if "slant" in metrics:
        j = metrics.index("slant")
        # per group: the sum of its articles' slants in corpus order, over their number
        totals = np.bincount(codes, weights=values[:, j], minlength=len(groups_of))
        counts = np.bincount(codes, minlength=len(groups_of))
        rank = {g: -t / c for g, t, c in zip(groups_of, totals, counts) if c}
    else:
        rank = {}
    sort_key = table[by].map(lambda g: (rank.get(g, 0.0), str(g)))
    order = sorted(range(len(table)), key=lambda i: (sort_key.iloc[i], table["period"].iloc[i] if over else ""))
    return table.iloc[order].reset_index(drop=True)


def _periods(df, over, date_field, fields):
    """The period of every article's date as a code (-1: no date), and each code's label and start;
    raises naming the first bad line (or, when there is no ``date_field``, the ``fields`` there are)."""
    if over not in PERIODS:
        raise InputError(f"over must be one of {', '.join(PERIODS)}. Got {over!r} instead")
    if date_field not in df.columns:
        raise InputError(f"no field {date_field!r} in the corpus to group by {over}; fields are: "
                         f"{', '.join(map(str, fields)) or 'none'}", option="date_field")
    raw = df[date_field]
    missing = np.array([_key(v.strip() if isinstance(v, str) else v) is None for v in raw.tolist()], dtype=bool)
    dates = _wall_clock_dates(raw)
    bad = np.flatnonzero(dates.isna().to_numpy() & ~missing)
    if len(bad):  # a value that is not a date is a mistake to fix; a missing one is only undated
        i = bad[0]
        where = df["where"].iloc[i] if "where" in df.columns else f"row {df.index[i]}"
        more = f" ({plural(len(bad) - 1, 'more bad date')})" if len(bad) > 1 else ""
        raise InputError(f"{where}: field {date_field!r} must be a date like 2020-01-31. "
                         f"Got {_plain(raw.iloc[i])!r} instead{more}")
    periods = dates.dt.to_period(PERIODS[over])
    starts = periods.dt.start_time
    if over == "week":
        labels = starts.dt.strftime("%Y-%m-%d")
    else:
        labels = periods.astype(str)
    codes = pd.factorize(periods)[0]  # 0, 1 ... in order of first appearance; -1 where there is no date
    present, first = np.unique(codes, return_index=True)
    first = first[present >= 0]  # the first article of each code
    return codes, [labels.iloc[i] for i in first], [starts.iloc[i] for i in first]


# An ISO date and time followed by a UTC offset: the offset is dropped (see _wall_clock_dates).
_OFFSET = re.compile(r"\s*(\d{4}-\d{2}-\d{2}[T ]\d{2}(?::\d{2}(?::\d{2}(?:[.,]\d+)?)?)?)\s*(?:Z|[+-]\d{2}(?::?\d{2})?)\s*")


def _wall_clock_dates(raw: pd.Series) -> pd.Series:
    """Parse dates as written: an article dated 2020-01-31T23:00-05:00 was published on January 31
    where it appeared, so its offset is dropped rather than converted to UTC (which would move it into
    February). Values that are not dates (numbers included) become NaT."""
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_localize(None)

    def local(value):
        if isinstance(value, str):
            match = _OFFSET.fullmatch(value)
            return match[1] if match else value
        if getattr(value, "tzinfo", None) is not None:  # datetime or Timestamp
            return value.replace(tzinfo=None)
        if isinstance(value, (int, float, np.number)) and not (isinstance(value, float) and math.isnan(value)):
            return "not a date"  # a number is no date (pandas would count it from 1970)
        return value

    values = raw if pd.api.types.is_datetime64_any_dtype(raw.dtype) else raw.map(local).astype("string")
    return pd.to_datetime(values, errors="coerce", format="ISO8601")


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


def to_records(table: pd.DataFrame, settings: CompareSettings | None = None) -> list[dict]:
    """The public JSON form of a :func:`compare` table (``framing compare --json``).

    One object per group: ``group`` (the value of the grouping field), ``period`` (with
    ``over``), ``n``, ``sides`` {side: {``mean``, ``lo``, ``hi``}}, ``slant`` {``mean``, ``lo``,
    ``hi``}, ``parties`` {party: {``net``: {``mean``, ``lo``, ``hi``}}}, ``lean_share``
    {side or ``none``: share}, ``model`` {party: {class: mean probability}} when a model was
    used, and ``note`` (null, or why ``lo``/``hi`` are null). Numbers are rounded to 4 decimals.
    ``settings`` as in :meth:`CompareSettings.of`.
    """
    settings = CompareSettings.of(table, settings)
    by, over, sides, parties = settings.by, settings.over, settings.sides, settings.parties
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
