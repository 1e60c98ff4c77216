"""Flat tables of scores for statistics packages: one row per article, or one row per match.

``framing score --format jsonl|csv|parquet`` writes :func:`article_row` of each article: the
corpus fields, ``where``, then every score of :meth:`Score.to_dict` except the matches, flattened
with dots as the corpus tables name them (``sides.lna``, ``parties.gna.net``,
``narrator.parties.lna.stance``, ``all_voices.lean`` ...; numbers as computed, not rounded as in
the JSON), with ``matches`` the number of matches and ``warnings`` joined by ``"; "``; with a model, ``model.<party>.label`` and
``model.<party>.<class>`` (probabilities) as in :func:`framing.table.score_corpus`, and the
combined stance ``combined.<party>.stance`` and ``combined.<party>.source``.
``--matches FILE`` writes :func:`match_block`: one row per match with the article's ``where``
(and ``id`` when the corpus has one) and the fields of :meth:`Match.to_dict`.

Rows are written as they come, in batches (flat memory). CSV and Parquet need the columns before
the first row: they are those of the first batch; a corpus field that first appears later is an
error naming its record, never a silently dropped value. In Parquet, corpus fields are strings
(a JSON corpus may give one field a number on one line and text on the next); score columns keep
their types.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import fields
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from .errors import InputError
from .results import SUMMARY_KEYS, Match

FORMATS = ("jsonl", "csv", "parquet")
#: Rows per Parquet row group (written in groups, not per chunk of 64 articles: readers scan groups).
PARQUET_ROWS = 8192
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
# A match's fields in the order of Match.to_dict (tests/test_export.py checks they are its keys).
_MATCH_FIELDS = tuple(f.name for f in fields(Match))
_match_values = attrgetter(*_MATCH_FIELDS)


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value


#: The keys of a flat row that are framing's, not the corpus's: the scores', and the article's place.
_ROW_KEYS = SUMMARY_KEYS | {"where"}


def article_row(score, where: str, stance: dict | None = None, combined: dict | None = None) -> dict:
    """The flat row of one article (see the module docstring). A corpus field named like a score
    (``lean``, ``words`` ...) gives way to the score, as in ``--json``, and keeps its place; one
    named ``where`` gives way to the article's place (the matches table's key, and the order of
    ``compare``'s bootstrap)."""
    row = {"where": where}
    row.update((k, v) for k, v in score.meta.items() if k not in _ROW_KEYS)
    # Written straight from the scores, with each lexicon's column names made once (they are the
    # same objects in every row, so a chunk of rows pickles each name once on its way to the writer).
    # The JSON contract rounds to 3 decimals; a table for statistics keeps the numbers as computed
    # (so that `compare` on this table gives what it gives on the corpus).
    reading, narrator, every = score._reading, score.narrator, score.all_voices
    _voice_columns(row, "", reading)
    row["basis"] = score.basis
    row["words"] = score.words
    _voice_columns(row, "narrator.", narrator)
    _voice_columns(row, "all_voices.", every)
    row["untargeted"] = score.untargeted
    row["lexicon"] = score.lexicon
    row["warnings"] = "; ".join(score.warnings)
    row["matches"] = len(score.matches)
    for party, out in (stance or {}).items():
        row[f"model.{party}.label"] = out["label"]
        for cls, prob in out["proba"].items():
            row[f"model.{party}.{cls}"] = prob
    _flatten("combined", combined or {}, row)
    return row


def _voice_columns(row: dict, prefix: str, voice) -> None:
    """``<prefix>lean``, ``<prefix>sides.<side>`` and ``<prefix>parties.<party>.<field>`` of one voice."""
    lean, sides, parties = _column_names(prefix, tuple(voice.sides), tuple(voice.parties))
    row[lean] = voice.lean
    for name, value in zip(sides, voice.sides.values()):
        row[name] = value
    for (fav, unfav, net, mentions, stance), p in zip(parties, voice.parties.values()):
        favorable, unfavorable = p.favorable, p.unfavorable
        row[fav] = favorable
        row[unfav] = unfavorable
        row[net] = favorable - unfavorable
        row[mentions] = p.mentions
        row[stance] = p.stance


@lru_cache(maxsize=64)
def _column_names(prefix: str, sides: tuple, parties: tuple) -> tuple:
    """The column names of one voice of a lexicon (immutable strings, made once per lexicon)."""
    return (f"{prefix}lean", tuple(f"{prefix}sides.{s}" for s in sides),
            tuple(tuple(f"{prefix}parties.{p}.{name}" for name in ("favorable", "unfavorable", "net", "mentions",
                                                                    "stance"))
                  for p in parties))


def match_block(score, where: str) -> RowBlock:
    """The article's rows of the long table of matches, one per match: :func:`match_row_head`, then
    the fields of :meth:`Match.to_dict`, as one :class:`RowBlock` (a tuple per match, no dict: the
    long table has a hundred rows per dense article)."""
    head = match_row_head(score, where)
    values = tuple(head.values())
    return RowBlock((*head, *_MATCH_FIELDS), [values + _match_values(m) for m in score.matches])


def match_row_head(score, where: str) -> dict:
    """The fields of the article before each of its rows in the long table of matches: ``where``,
    and the article's ``id`` if it has one."""
    return {"where": where, "id": score.meta["id"]} if "id" in score.meta else {"where": where}


def format_of(path, given: str | None = None) -> str:
    """The table format of an output: ``given``, else the file's extension (before a ``.gz``: JSON
    Lines and CSV may be written compressed, see :func:`framing.output.output_suffix`)."""
    if given is not None:
        return given
    from .output import output_suffix

    suffix, compressed = output_suffix(path)
    fmt = SUFFIXES.get(suffix)
    if fmt is None:
        raise InputError(f"{path}: the format of a table must be one of {', '.join(FORMATS)}: name the file "
                         f"{', '.join(f'*{s}' for s in SUFFIXES)} (JSON Lines and CSV may end in .gz). "
                         f"Got {suffix or 'no extension'!r}")
    if fmt == "parquet" and compressed:
        raise InputError(f"{path}: Parquet compresses its own columns: name the file {Path(str(path)).stem}")
    return fmt


class RowBlock(NamedTuple):
    """Consecutive rows with the same columns: their names once, then each row's values in that
    order. Rows travel from the scoring processes to the writer this way: the names cross once per
    block, and a block's columns are one ``zip`` away."""

    columns: tuple[str, ...]
    rows: list[tuple]

    @property
    def size(self) -> int:
        return len(self.rows)


class CsvBlock(NamedTuple):
    """:class:`RowBlock` rows as CSV text, rendered where they were made (a worker of ``--jobs``,
    see :func:`csv_blocks`): the writing process writes the text as it is when ``columns`` are the
    table's, and reads the rows back otherwise (:meth:`rows_back`)."""

    columns: tuple[str, ...]
    size: int
    text: str

    def rows_back(self) -> RowBlock:
        """The rows, read back: each field the text of a value, which csv writes again as it did."""
        return RowBlock(self.columns, [tuple(row) for row in csv.reader(io.StringIO(self.text, newline=""))])


def _csv_writer(stream):
    """The CSV dialect of every table: csv's default, lines ended by a newline alone."""
    return csv.writer(stream, lineterminator="\n")


def csv_blocks(blocks: list[RowBlock]) -> list[CsvBlock]:
    """Each block's rows as the CSV text :class:`TableWriter` writes for them in its columns."""
    out = []
    for block in blocks:
        text = io.StringIO(newline="")
        _csv_writer(text).writerows(block.rows)
        out.append(CsvBlock(block.columns, len(block.rows), text.getvalue()))
    return out


def row_blocks(rows: Iterable[dict]) -> list[RowBlock]:
    """Rows (dicts) as :class:`RowBlock` s, a new block wherever the columns change."""
    blocks: list[RowBlock] = []
    for row in rows:
        columns = tuple(row)
        if not blocks or blocks[-1].columns != columns:
            blocks.append(RowBlock(columns, []))
        blocks[-1].rows.append(tuple(row.values()))
    return blocks


def block_columns(blocks: Iterable[RowBlock], names) -> dict[str, list]:
    """The values of ``blocks`` as columns ``{name: values}``, for each of ``names`` in order, None
    where a block lacks the column (its rows had no such field)."""
    columns: dict[str, list] = {c: [] for c in names}
    for block in blocks:
        values = dict(zip(block.columns, zip(*block.rows)))
        missing = (None,) * len(block.rows)
        for name, column in columns.items():
            column.extend(values.get(name, missing))
    return columns


def _first_where(block) -> str:
    """The ``where`` of a block's first row, for a message."""
    if "where" not in block.columns:
        return "a record"
    k = block.columns.index("where")
    if isinstance(block, RowBlock):
        return block.rows[0][k]
    first = block.pieces[k][0]  # an ArrowBlock's: an array, or the values themselves
    return first if isinstance(first, str) else first.as_py()


class TableWriter:
    """Writes rows (dicts) to a JSON Lines, CSV or Parquet file, or JSONL/CSV to a text stream.

    Parameters
    ----------
    target : path or text stream
        Where to write (a stream for ``jsonl`` and ``csv`` only).
    fmt : {"jsonl", "csv", "parquet"}
    what : str
        What the rows are, for messages ("the scores", "the matches").
    text_columns : set of str, optional
        Columns written as strings in Parquet whatever their values (corpus fields); the others
        take the type of their values in the first batch.
    """

    def __init__(self, target, fmt: str, what: str = "the table", text_columns=frozenset()):
        if fmt not in FORMATS:
            raise InputError(f"format must be one of {', '.join(FORMATS)}. Got {fmt!r} instead")
        self.fmt, self.what, self.text_columns = fmt, what, text_columns
        self._columns: list[str] | None = None
        self._parquet = self._stream = None
        if fmt == "parquet":
            if not isinstance(target, (str, Path)):
                raise InputError("Parquet is a binary file format: name the output file with -o FILE.parquet")
            from .parquet_rows import ParquetRows  # rows wait for their row group as Arrow arrays

            self._parquet = ParquetRows(target, text_columns, PARQUET_ROWS)
        elif isinstance(target, (str, Path)):
            self._stream = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed in close())
            self._owned = True
        else:
            self._stream, self._owned = target, False
        self._csv = None

    def write(self, rows: list[dict]) -> None:
        """Write a batch of rows."""
        self.write_blocks(row_blocks(rows))

    def write_blocks(self, blocks: list[RowBlock]) -> None:
        """Write a batch of rows given as :class:`RowBlock` s (as :func:`row_blocks` makes them), or
        for CSV as :class:`CsvBlock` s, for Parquet as :class:`~framing.parquet_rows.ArrowBlock` s."""
        if not blocks:
            return
        if self.fmt == "jsonl":
            self._stream.write("".join(json.dumps(dict(zip(b.columns, v)), ensure_ascii=False) + "\n"
                                       for b in blocks for v in b.rows))
            return
        if self._columns is None:  # the columns of the first batch's rows, whichever way they came
            blocks = [b.rows_back() if isinstance(b, CsvBlock) else b for b in blocks]
            self._columns = list(dict.fromkeys(c for b in blocks for c in b.columns))
            self._known = set(self._columns)
        # Text in the table's columns is written as it is; other text is read back into rows.
        blocks = [b.rows_back() if isinstance(b, CsvBlock) and list(b.columns) != self._columns else b
                  for b in blocks]
        for block in blocks:
            if not self._known.issuperset(block.columns):
                new = next(c for c in block.columns if c not in self._known)
                where = _first_where(block)
                raise InputError(f"{where}: field {new!r} first appears after the {self.fmt} columns of {self.what} "
                                 "were written; write JSON Lines (--format jsonl), or give every record the same "
                                 "fields")
        if self.fmt == "csv":
            if self._csv is None:
                self._csv = _csv_writer(self._stream)
                self._csv.writerow(self._columns)
            for block in blocks:
                # Each row in the table's column order, a missing field empty (csv writes None as
                # an empty field): tuples straight to the C writer, not a dict per row.
                if isinstance(block, CsvBlock):
                    self._stream.write(block.text)
                elif list(block.columns) == self._columns:
                    self._csv.writerows(block.rows)
                else:
                    where = {c: k for k, c in enumerate(block.columns)}
                    picks = [where.get(c) for c in self._columns]
                    self._csv.writerows([None if k is None else row[k] for k in picks] for row in block.rows)
            return
        # One write for the batch: row groups are cut between batches.
        self._parquet.write_blocks(blocks, self._columns)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._stream is not None:
            self._stream.flush()
            if self._owned:
                self._stream.close()


def read_scores(path, voice: str = "narrator", keep=None):
    """A Parquet table of scores (a file from ``--format parquet`` or a directory from ``--engine
    dask``) as :func:`framing.table.score_corpus` gives it for ``voice``, for ``compare`` and
    ``chart`` without scoring again: that voice's ``lean``/``sides.*``/``parties.*`` columns
    (``narrator.*``, ``all_voices.*``, or the top-level reading for ``reading``), the others left
    out; ``matches`` is the number of matches (terms charts need the matches themselves).

    ``keep`` (names and patterns, as ``score_corpus(keep=...)``) reads only those columns from the
    file, so that a table of a million articles costs what the statistics need, not every score.
    """
    import pandas as pd

    try:
        import pyarrow.parquet as pq

        names = pq.ParquetDataset(path).schema.names
    except ImportError:
        raise InputError("reading a table of scores needs pyarrow: pip install 'framing[parquet]'") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet table of scores ({exc})") from None
    if "where" not in names or not any(n.startswith("narrator.") for n in names):
        raise InputError(f"{path}: not a table of scores written by `framing score --format parquet` or "
                         "`--engine dask` (no where and no narrator.* columns)")
    read = score_columns(names, voice, keep)
    try:
        df = pd.read_parquet(path, columns=list(read))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet table of scores ({exc})") from None
    return as_table(df, read, voice, keep)


def score_columns(names: list[str], voice: str = "narrator", keep=None) -> dict[str, str]:
    """Which columns of a flat table of scores (:func:`article_row`'s, in order) make the table of
    ``voice`` that :func:`framing.table.score_corpus` gives: ``{column in the flat table: column of
    the table}``. That voice's ``lean``/``sides.*``/``parties.*`` (``narrator.*``, ``all_voices.*``,
    or the top-level reading for ``reading``), the rest but the other voices as they are; with
    ``keep`` (names and patterns), only those, and ``lexicon`` (see :func:`as_table`).

    Raises
    ------
    InputError
        When ``keep`` names a field the table does not have (the message lists its corpus fields).
    """
    from .schema import Keep, check_voice

    check_voice(voice)
    prefix = {"narrator": "narrator.", "all": "all_voices.", "reading": ""}[voice]
    renamed = {}
    for name in names:
        if name.startswith(("narrator.", "all_voices.")):
            if prefix and name.startswith(prefix):
                renamed[name] = name[len(prefix):]
        elif not (prefix and (name == "lean" or name.startswith(("sides.", "parties.")))):
            renamed[name] = name
    if keep is None:
        return renamed
    wanted = Keep(keep)
    # article_row writes where, the corpus fields, then the scores (from lean on)
    fields = names[1:names.index("lean")] if names and names[0] == "where" and "lean" in names else []
    chosen = {name: column for name, column in renamed.items() if wanted.wants(column) or name == "lexicon"}
    wanted.check(set(chosen.values()), fields)
    return chosen


def as_table(df, columns: dict[str, str], voice: str, keep=None):
    """A frame of the flat columns :func:`score_columns` chose, renamed, strings with pd.NA made
    plain; ``attrs`` record the voice and the lexicon's name (its column is dropped when ``keep``
    does not name it)."""
    import pandas as pd

    from .schema import Keep

    df = df.rename(columns=columns)
    for column in df.columns:  # pyarrow strings (Dask writes them) have pd.NA for missing: plain values, None
        if isinstance(df[column].dtype, pd.StringDtype) and df[column].dtype.na_value is pd.NA:
            df[column] = df[column].astype(object).where(df[column].notna(), None)
    df.attrs.update(voice=voice, lexicon=df["lexicon"].iloc[0] if "lexicon" in df.columns and len(df) else None)
    if keep is not None and "lexicon" in df.columns and not Keep(keep).wants("lexicon"):
        df = df.drop(columns="lexicon")
    return df
