"""Scoring past one machine, on Dask: one flat row of scores per article, as a Dask DataFrame.

:func:`score` takes JSONL/CSV corpus files (one partition per file, each read with the project's
own streaming reader) or a Dask DataFrame with a text column, and returns a lazy Dask DataFrame of
:func:`framing.export.article_row` rows: ``where``, the corpus fields, then every score column
(``lean``, ``sides.<side>``, ``parties.<party>.<field>``, ``narrator.*``, ``all_voices.*``,
``words``, ``untargeted``, ``matches`` (their number) ...), the same as ``framing score --format``
writes. Its ``meta`` (the empty frame Dask plans with) is given explicitly by :func:`meta`.

The lexicon is validated once, on the client, and shipped to each worker once; each worker
process builds its :class:`~framing.scorer.Scorer` from it once and reuses it for every partition
(a pickled Scorer is as costly to ship as to build). Nothing here is imported by ``import
framing``: ``pip install 'framing[dask]'``.

Examples
--------
Point it at a running cluster with ``distributed.Client("tcp://scheduler:8786")`` before calling
:func:`score` (or ``framing score 'big/*.jsonl' --engine dask --scheduler tcp://scheduler:8786 -o
scores.parquet``); without a client, Dask runs it on this machine.
"""

from __future__ import annotations

import glob
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd

from .corpus import read_records
from .errors import InputError
from .export import article_row
from .lexicon import Lexicon, load_lexicon
from .scorer import Scorer, scorer_for

_INT = "int64"
_FLOAT = "float64"


def _score_columns(scorer: Scorer) -> dict[str, str]:
    """The score columns of a row and their dtypes (the same for every article of a lexicon)."""
    row = article_row(scorer.score("نص"), "")
    del row["where"]
    return {c: (_INT if type(v) is int else _FLOAT if type(v) is float else "object") for c, v in row.items()}


def meta(lexicon=None, fields=()) -> pd.DataFrame:
    """The empty frame of :func:`score`'s result: ``where``, the corpus ``fields``, the score columns."""
    columns = {"where": "object", **{f: "object" for f in fields}}
    for column, dtype in _score_columns(scorer_for(lexicon)).items():
        columns.setdefault(column, dtype)
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def _frame(rows: list[dict], empty: pd.DataFrame) -> pd.DataFrame:
    if not rows:
        return empty.iloc[:0].copy()
    known = set(empty.columns)
    for row in rows:
        if not known.issuperset(row):
            new = next(k for k in row if k not in known)
            raise InputError(f"{row['where']}: field {new!r} is not one of the corpus fields {list(empty.columns[1:])} "
                             "of this table (pass fields=[...] to score())")
    return pd.DataFrame.from_records(rows, columns=empty.columns).astype(empty.dtypes.to_dict())


def _score_file(path: str, lexicon: Lexicon, text_field: str, encoding: str, empty: pd.DataFrame) -> pd.DataFrame:
    scorer = scorer_for(lexicon)  # one per lexicon in each process: a worker builds it on its first partition
    rows = [article_row(scorer.score(r.text, r.meta), r.where) for r in read_records(path, text_field, encoding)]
    return _frame(rows, empty)


def _score_partition(df: pd.DataFrame, lexicon: Lexicon, text_field: str, empty: pd.DataFrame) -> pd.DataFrame:
    scorer = scorer_for(lexicon)  # one per lexicon in each process: a worker builds it on its first partition
    rows = []
    for index, record in zip(df.index, df.to_dict("records")):
        text = record.pop(text_field)
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"row {index}: field {text_field!r} must be a non-empty string. Got {text!r} instead")
        rows.append(article_row(scorer.score(text, record), f"row {index}"))
    out = _frame(rows, empty)
    out.index = df.index  # aligned with the input frame
    return out


def expand(paths) -> list[str]:
    """Corpus files named by paths and glob patterns (``big/*.jsonl``), in sorted order per pattern."""
    out = []
    for pattern in [paths] if isinstance(paths, (str, Path)) else paths:
        found = sorted(glob.glob(str(pattern))) if glob.has_magic(str(pattern)) else [str(pattern)]
        if not found:
            raise InputError(f"{pattern}: no such file")
        out += found
    return out


def score(source, *, lexicon=None, text_field: str = "text", encoding: str = "utf-8", fields=None) -> dd.DataFrame:
    """Score a corpus on Dask: one flat row of scores per article (see the module docstring).

    Parameters
    ----------
    source : str, path, list of them, or dask.dataframe.DataFrame
        JSONL/CSV corpus files or glob patterns (one partition per file), or a Dask DataFrame with
        one article per row in ``text_field`` (its other columns are kept).
    lexicon : str, path or Lexicon, optional
        Default ``libya-2019-2020``; validated here, before any work is sent.
    text_field : str, default="text"
    encoding : str, default="utf-8"
    fields : list of str, optional
        The corpus fields to keep, in order (files only); by default those of the first record.
        A record with any other field stops the computation with its ``file:line``
        (never a silently dropped value).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; ``.compute()``, ``.to_parquet(...)``. Rows in file order (partition order), one
        partition per file. A bad record raises :class:`~framing.errors.InputError` naming it.
    """
    lexicon = load_lexicon(lexicon)
    shipped = dask.delayed(lexicon, pure=True)  # sent once per worker, not once per partition
    if isinstance(source, dd.DataFrame):
        if text_field not in source.columns:
            raise InputError(f"the DataFrame has no {text_field!r} column (columns: {', '.join(map(str, source.columns))})")
        empty = meta(lexicon, [c for c in source.columns if c != text_field])
        return source.map_partitions(_score_partition, shipped, text_field, empty, meta=empty)
    files = expand(source)
    if fields is None:
        first = next((r for f in files for r in read_records(f, text_field, encoding)), None)
        fields = list(first.meta) if first is not None else []
    empty = meta(lexicon, fields)
    parts = [dask.delayed(_score_file, pure=True)(f, shipped, text_field, encoding, empty) for f in files]
    return dd.from_delayed(parts, meta=empty, verify_meta=False)

