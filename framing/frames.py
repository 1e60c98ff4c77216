"""Pandas frames of articles to flat frames of scores: the unit a Dask partition or a Spark batch runs.

:func:`score_frame` scores every row of a pandas DataFrame (one article per row, in
``text_field``) into :func:`framing.export.article_row` rows: ``where``, the other columns, then
every score column, with the dtypes :func:`meta` gives (the same for every article of a lexicon,
so a distributed engine can plan with it). :func:`score_batches` is the same over an iterator of
frames, the shape of Spark's ``DataFrame.mapInPandas``, and :func:`spark_schema` its output schema.
Each process builds its :class:`~framing.scorer.Scorer` once (:func:`framing.scorer.scorer_for`):
ship the validated lexicon, not a scorer (a pickled Scorer costs as much to ship as to build).
No engine is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pandas as pd

from .errors import InputError
from .export import article_row, block_columns, row_blocks
from .lexicon import load_lexicon
from .scorer import scorer_for

_INT = "int64"
_FLOAT = "float64"


def score_dtypes(lexicon=None) -> dict[str, str]:
    """The score columns of a flat row and their dtypes (the same for every article of a lexicon)."""
    row = article_row(scorer_for(load_lexicon(lexicon)).score("نص"), "")
    del row["where"]
    return {c: (_INT if type(v) is int else _FLOAT if type(v) is float else "object") for c, v in row.items()}


def meta(lexicon=None, fields: Sequence[str] = ()) -> pd.DataFrame:
    """The empty frame of a flat table of scores: ``where``, the corpus ``fields``, the score columns."""
    columns = {"where": "object", **{f: "object" for f in fields}}
    for column, dtype in score_dtypes(lexicon).items():
        columns.setdefault(column, dtype)
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def as_frame(rows: list[dict], empty: pd.DataFrame) -> pd.DataFrame:
    """Flat rows as a frame with the columns and dtypes of ``empty``; a row with another field is refused.

    Each column is made at once in its dtype (numbers through NumPy, other values kept as they
    are), not inferred by pandas and converted again: a corpus field keeps its values (an integer
    with some records missing it stays an integer, where an inferred float column made it 3.0).
    A missing value is None in an ``object`` column and NaN in a float one."""
    import numpy as np

    if not rows:
        return empty.iloc[:0].copy()
    known = set(empty.columns)
    blocks = row_blocks(rows)
    for block in blocks:
        if not known.issuperset(block.columns):
            new = next(c for c in block.columns if c not in known)
            where = block.rows[0][block.columns.index("where")]
            raise InputError(f"{where}: field {new!r} is not one of the corpus fields {list(empty.columns[1:])} "
                             "of this table (pass fields=[...] to score())")
    columns = block_columns(blocks, empty.columns)
    data = {}
    for name, dtype in empty.dtypes.items():
        values = columns[name]
        if dtype == object:
            # NaN (a float a record gave) is a missing value too, as pandas reads it back
            data[name] = pd.Series([None if v != v else v for v in values] if _has_nan(values) else values,  # noqa: PLR0124 (NaN)
                                   dtype=object)
        elif dtype == np.float64 or set(map(type, values)) <= {int}:
            data[name] = np.array(values, dtype=dtype)  # a missing value in a float column is NaN
        else:  # a value an int64 column cannot hold (never in a score column): pandas' own conversion or error
            data[name] = pd.Series(values).astype(dtype)
    return pd.DataFrame(data, columns=empty.columns)


def text_fields(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with each value of its ``object`` columns that is not a string (nor missing) as
    ``--format parquet`` writes it in a text column: its JSON (:func:`framing.parquet_rows.json_text`:
    True as ``true``, a list or a dict as JSON), where Dask, which keeps object columns as strings,
    would make it Python's ``str`` (``True``, ``{'a': 1}``). The partitions of
    :func:`framing.dask.score` over corpus files go through it."""
    from .parquet_rows import json_text

    out = df
    for name in df.columns[(df.dtypes == object).to_numpy()]:
        values = df[name].tolist()
        if set(map(type, values)) <= _TEXT:  # in C: a column of text (most are) stays as it is
            continue
        if out is df:
            out = df.copy(deep=False)
        out[name] = pd.Series([v if v is None or v.__class__ is str else json_text(v) for v in values],
                              index=df.index, dtype=object)
    return out


_TEXT = {str, type(None)}


def _has_nan(values: list) -> bool:
    return float in set(map(type, values)) and any(v != v for v in values if type(v) is float)  # noqa: PLR0124 (NaN)


def score_frame(df: pd.DataFrame, lexicon=None, text_field: str = "text", where_field: str | None = None,
                empty: pd.DataFrame | None = None) -> pd.DataFrame:
    """Score each row of ``df`` (one article per row, in ``text_field``) into a flat row of scores.

    Parameters
    ----------
    df : pandas.DataFrame
    lexicon : str, path or Lexicon, optional
    text_field : str, default="text"
    where_field : str, optional
        The column that names each article in ``where`` (an id, a URL); default ``row <index>``.
        ``compare`` orders each group's rows by ``where`` before its bootstrap, so give a unique,
        stable name when batches come in no fixed order (Spark).
    empty : pandas.DataFrame, optional
        The frame of the result's columns and dtypes (default: :func:`meta` of ``df``'s columns).

    Raises
    ------
    InputError
        For an article that is not a non-empty string, naming its ``where``.
    """
    lexicon = load_lexicon(lexicon)
    if text_field not in df.columns:
        raise InputError(f"the DataFrame has no {text_field!r} column (columns: {', '.join(map(str, df.columns))})")
    if empty is None:
        empty = meta(lexicon, [c for c in df.columns if c != text_field])
    scorer = scorer_for(lexicon)
    rows = []
    for index, record in zip(df.index, df.to_dict("records")):
        text = record.pop(text_field)
        where = f"row {index}" if where_field is None else str(record[where_field])
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{where}: field {text_field!r} must be a non-empty string. Got {text!r} instead")
        rows.append(article_row(scorer.score(text, record), where))
    out = as_frame(rows, empty)
    out.index = df.index  # aligned with the input frame
    return out


def score_batches(batches: Iterable[pd.DataFrame], lexicon=None, text_field: str = "text",
                  where_field: str | None = None, fields: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
    """:func:`score_frame` of each frame of ``batches``: the function Spark's ``mapInPandas`` runs.

    ``fields`` are the corpus columns in the input (default: each batch's columns but the text);
    give them for Spark, whose output schema (:func:`spark_schema`) must be fixed in advance.
    """
    lexicon = load_lexicon(lexicon)
    for batch in batches:
        columns = fields if fields is not None else [c for c in batch.columns if c != text_field]
        yield score_frame(batch, lexicon, text_field, where_field, meta(lexicon, columns)).reset_index(drop=True)


_SPARK_TYPES = {"object": "string", _FLOAT: "double", _INT: "bigint"}


def spark_schema(lexicon=None, fields: Sequence[str] = ()) -> str:
    """The output schema of :func:`score_batches` in Spark's DDL (``mapInPandas(fn, schema)``):
    corpus fields as strings, then every score column. Column names are quoted with backticks
    (they hold dots)."""
    dtypes = meta(lexicon, fields).dtypes
    return ", ".join(f"`{name}` {_SPARK_TYPES[str(dtype)]}" for name, dtype in dtypes.items())
