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

from .corpus import ReaderOptions, check_source, directory_files, is_directory, read_items
from .errors import InputError
from .export import article_row
from .frames import as_frame, meta, score_frame, text_fields
from .lexicon import Lexicon, load_lexicon
from .parallel import chunks
from .scorer import scorer_for

__all__ = ["compare", "expand", "meta", "score"]


#: Articles made into a frame at a time in a partition: a worker holds the partition's frame and
#: this many rows as dicts, not every row of a large file as a dict.
FRAME_ROWS = 4096


def _score_file(file: tuple[str, str | None], lexicon: Lexicon, text_field: str, encoding: str,
                empty: pd.DataFrame) -> pd.DataFrame:
    scorer = scorer_for(lexicon)
    # Corpus fields that are not text become their JSON text here, as --format parquet writes them:
    # Dask keeps object columns as strings, and would make them Python's str ("True", "{'a': 1}").
    frames = [text_fields(as_frame([article_row(scorer.score(r.text, r.meta), r.where) for r in chunk], empty))
              for chunk in chunks(_records(file, text_field, encoding), FRAME_ROWS)]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0] if frames else as_frame([], empty)


def _records(file: tuple[str, str | None], text_field: str, encoding: str):
    path, within = file
    return read_items(path, ReaderOptions(text_field, encoding), within=within)


def expand(paths) -> list[tuple[str, str | None]]:
    """Corpus files named by paths and glob patterns (``big/*.jsonl``), in sorted order per pattern;
    a directory, as the files under it (:func:`framing.corpus.directory_files`). Each file comes
    with the directory input it was found in (None for a file named), which names a text file's
    article as the one-process reader names it (:func:`framing.corpus.text_id`)."""
    out = []
    for pattern in [paths] if isinstance(paths, (str, Path)) else paths:
        found = sorted(glob.glob(str(pattern))) if glob.has_magic(str(pattern)) else [str(pattern)]
        if not found:
            raise InputError(f"{pattern}: no such file")
        for path in found:
            if is_directory(path):
                check_source(path)  # a directory with no file to read
                out += ((str(file), path) for file in directory_files(path))
            else:
                out.append((path, None))
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
        From files, a corpus field's value that is not text comes as its JSON text (``true``, a
        list or an object as JSON), as ``framing score --format parquet`` writes it.
    """
    lexicon = load_lexicon(lexicon)
    shipped = dask.delayed(lexicon, pure=True)  # sent once per worker, not once per partition
    if isinstance(source, dd.DataFrame):
        if text_field not in source.columns:
            raise InputError(f"the DataFrame has no {text_field!r} column (columns: {', '.join(map(str, source.columns))})")
        empty = meta(lexicon, [c for c in source.columns if c != text_field])
        return source.map_partitions(score_frame, shipped, text_field, None, empty, meta=empty)
    files = expand(source)
    if fields is None:
        first = next((r for f in files for r in _records(f, text_field, encoding)), None)
        fields = list(first.meta) if first is not None else []
    empty = meta(lexicon, fields)
    parts = [dask.delayed(_score_file, pure=True)(f, shipped, text_field, encoding, empty) for f in files]
    return dd.from_delayed(parts, meta=empty, verify_meta=False)



def compare(scores: dd.DataFrame, by: str = "outlet", over: str | None = None, *, date_field: str = "date",
            voice: str = "narrator", **options) -> pd.DataFrame:
    """:func:`framing.groups.compare` of the scores :func:`score` computes on Dask.

    Only the columns the statistics read (:func:`framing.groups.statistics_columns`: ``where``, the
    grouping and date fields, the voice's ``lean``, ``sides.*`` and ``parties.*.net``) are computed
    and brought to this process: a few numbers per article, never its text or matches. The
    bootstrap then runs here on those per-group arrays, each group's rows in ``where`` order, so the
    table is the one :func:`framing.table.compare` gives on the same corpus scored in one process.

    Parameters
    ----------
    scores : dask.dataframe.DataFrame
        The result of :func:`score` (or ``dask.dataframe.read_parquet`` of a directory of scores).
    by, over, date_field
        As :func:`framing.groups.compare`.
    voice : {"narrator", "reading", "all"}, default="narrator"
        Whose words the statistics count (see :func:`framing.table.score_corpus`).
    **options
        ``n_boot``, ``ci``, ``seed``, ``min_n``, ``slant``: as :func:`framing.groups.compare`.
    """
    from .export import as_table, score_columns
    from .groups import compare as compare_groups
    from .groups import statistics_columns

    keep = statistics_columns(by, over, date_field)
    columns = score_columns(list(scores.columns), voice, keep)
    df = as_table(scores[list(columns)].compute().reset_index(drop=True), columns, voice, keep)
    return compare_groups(df, by=by, over=over, date_field=date_field, **options)
