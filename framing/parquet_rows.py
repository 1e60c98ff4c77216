"""Flat rows into one Parquet file, in row groups, in flat memory: what ``TableWriter`` writes for Parquet.

Parquet writes a row group at a time, and pyarrow needs a whole group in Arrow arrays before it
writes it, so the rows of a group wait here as compact Arrow arrays (8 bytes per number, not a
Python object and a pointer), converted a block of rows at a time (:func:`arrow_blocks`, in the
workers of ``--jobs`` where the rows are made): the first group too, whose columns' types
are fixed only when it is complete (:meth:`ParquetRows._field`, from the values of the whole
group); a batch whose values had another type is converted again to the column's. The arrays are
built from NumPy buffers: ``pyarrow.array`` would import pandas (about 45 MiB in a process that
never uses it). The writer allocates from the system allocator, so that memory freed by one group
is reused by the next and by the footer, not kept aside by another pool.

Nothing kept in memory grows with the number of rows: the Parquet footer, one entry per row group
and column (its offsets, sizes, encodings, statistics), which ``pyarrow.parquet.ParquetWriter``
keeps as C++ structures until it closes, waits instead as its Thrift bytes in a temporary file
(:class:`framing.parquet_file.RowGroupFile`), read back in blocks into the footer at the end.
"""

from __future__ import annotations

import json
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from .errors import InputError


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet output needs pyarrow: pip install 'framing[parquet]'") from None
    return pa, pq


class ParquetRows:
    """Writes batches of rows (:meth:`write_blocks`) to the Parquet file ``path`` in row groups of
    at least ``group_rows`` rows.

    Columns in ``text_columns`` are strings whatever their values (values that are not strings
    written as JSON); the others take the type of their values in the first row group: integers
    int64, numbers float64, booleans bool, anything else (and no value at all) strings.
    """

    def __init__(self, path, text_columns=frozenset(), group_rows: int = 8192):
        self.path, self.text_columns, self.group_rows = Path(path), text_columns, group_rows
        # Imported now: a missing pyarrow is said before any work, and worker processes forked
        # after this (--jobs) convert their rows to Arrow without importing it each.
        _pyarrow()
        self._schema = self._writer = None
        self._kinds: dict[str, set] = {}  # the types of each column's values in the first group
        self._pieces: list[dict] = []  # the first group's batches: {column: array, list or a count of nulls}
        self._batches: list = []  # later groups' batches, as RecordBatches of the schema
        self._waiting = 0

    def write_blocks(self, blocks: list, names: list[str]) -> None:
        """Add rows, as the table's columns ``names`` (a column a block lacks is missing in its
        rows): :class:`~framing.export.RowBlock` s, converted here, or :class:`ArrowBlock` s,
        converted where they were made (:func:`arrow_blocks`)."""
        pa = _pyarrow()[0]
        for block in blocks:
            if not isinstance(block, ArrowBlock):
                block = arrow_blocks([block], self.text_columns)[0]
            given = dict(zip(block.columns, zip(block.pieces, block.kinds)))
            none = (block.size, frozenset())  # a column the block lacks: as many missing values
            pieces = {name: given.get(name, none) for name in names}
            if self._schema is None:
                for name, (_, kinds) in pieces.items():
                    self._kinds.setdefault(name, set()).update(kinds)
                self._pieces.append({name: piece for name, (piece, _) in pieces.items()})
            else:
                self._batches.append(pa.RecordBatch.from_arrays(
                    [self._retyped(pa, pieces[f.name][0], f.type) for f in self._schema], schema=self._schema))
            self._waiting += block.size
        if self._waiting >= self.group_rows:
            self._flush()

    def close(self) -> None:
        if self._waiting:
            self._flush()
        if self._writer is not None:
            self._writer.close()
        else:  # no rows: an empty file is still a valid table
            pa, pq = _pyarrow()
            pq.write_table(pa.table({}), self.path)

    def _flush(self) -> None:
        """Write the rows waiting as one row group (the first one fixes the columns' types)."""
        pa = _pyarrow()[0]
        if self._schema is None:
            self._schema = pa.schema([self._field(pa, name, kinds) for name, kinds in self._kinds.items()])
            from .parquet_file import RowGroupFile  # the footer waits on disk, not in memory

            self._writer = RowGroupFile(self.path, self._schema, memory_pool=pa.system_memory_pool())
            pieces, self._pieces = self._pieces, []
            self._batches = [pa.RecordBatch.from_arrays([self._retyped(pa, piece[f.name], f.type) for f in self._schema],
                                                        schema=self._schema) for piece in pieces]
        self._writer.write_table(pa.Table.from_batches(self._batches, schema=self._schema))
        self._batches, self._waiting = [], 0

    def _field(self, pa, name: str, kinds: set):
        if name in self.text_columns:
            kind = pa.string()
        elif kinds and kinds <= {int}:
            kind = pa.int64()
        elif kinds and kinds <= {int, float}:
            kind = pa.float64()
        elif kinds == {bool}:
            kind = pa.bool_()
        else:
            kind = pa.string()
        return pa.field(name, kind)

    @staticmethod
    def _retyped(pa, piece, kind):
        """A batch of one column (see :func:`provisional`) as the type of the table's column."""
        if isinstance(piece, int):
            return pa.nulls(piece, kind)
        if isinstance(piece, list):
            return array(pa, piece, kind)
        if piece.type == kind:
            return piece
        return array(pa, piece.to_pylist(), kind)  # the Python values, converted as any later value


class ArrowBlock(NamedTuple):
    """Consecutive rows with the same columns (a :class:`~framing.export.RowBlock`), their values
    converted to Arrow where the rows were made (a worker of ``--jobs``, see :func:`arrow_blocks`):
    the writing process puts them in their row group as they are, instead of converting every
    value of every worker by itself. For each column, in ``pieces``, what :func:`provisional`
    made of its values, and in ``kinds`` their types (None apart), which type the first row group."""

    columns: tuple[str, ...]
    size: int
    pieces: tuple
    kinds: tuple[frozenset, ...]


def arrow_blocks(blocks, text_columns=frozenset()) -> list[ArrowBlock]:
    """:class:`~framing.export.RowBlock` s as :class:`ArrowBlock` s for :meth:`ParquetRows.write_blocks`;
    ``text_columns`` as :class:`ParquetRows`'."""
    pa = _pyarrow()[0]
    out = []
    for block in blocks:
        pieces, kinds = [], []
        for name, values in zip(block.columns, zip(*block.rows)):
            values = list(values)
            kinds.append(frozenset(map(type, values)) - _NONE)
            try:
                pieces.append(provisional(pa, values, kinds[-1], name in text_columns))
            except Exception:  # noqa: BLE001 (converted, or its error raised, by the writer as any later value)
                pieces.append(values)
        out.append(ArrowBlock(block.columns, len(block.rows), tuple(pieces), tuple(kinds)))
    return out


def provisional(pa, values: list, kinds: set, text: bool):
    """A batch of one column before the type of its row group is known: an array of the one type
    of its values (strings for a ``text`` column), the number of values when all are missing, the
    values themselves when mixed (:meth:`ParquetRows._retyped` makes each the group's type)."""
    if text:
        return array(pa, values, pa.string())
    if not kinds:
        return len(values)
    if len(kinds) == 1:
        kind = next(iter(kinds))
        if kind in _ARROW_TYPES:
            return array(pa, values, getattr(pa, _ARROW_TYPES[kind])())
    return values


_NONE = {type(None)}
_ARROW_TYPES = {int: "int64", float: "float64", bool: "bool_", str: "string"}


def array(pa, values: list, kind):
    """``values`` as an Arrow array of type ``kind`` (None is a missing value): in a string column,
    values that are not strings as JSON; in a float column, numbers as floats. Built from NumPy
    buffers for the types of the flat table (no pandas); others, or a value the fast path cannot
    take (an integer beyond int64, half a character ...), go through ``pyarrow.array``, which
    converts or raises as it does."""
    import numpy as np

    n = len(values)
    if n >= DISTINCT_ROWS and pa.types.is_string(kind) and set(map(type, values)) <= _KEYS:
        distinct = dict.fromkeys(values)  # in C: str hashes are cached
        if len(distinct) * 4 <= n:
            return _from_distinct(pa, np, values, distinct, kind)
    nulls = values.count(None)  # in C: most columns have no missing value, and need no mask made
    validity = pa.py_buffer(np.packbits(np.array([v is not None for v in values], dtype=bool),
                                        bitorder="little")) if nulls else None
    try:
        if pa.types.is_string(kind):
            try:  # a column of text and missing values (most are): encoded without a Python call per value
                encoded = list(map(str.encode, map(_EMPTY.get, values, values) if nulls else values))
            except TypeError:  # a value written as JSON (an id that is a number ...)
                encoded = [b"" if v is None else (v if v.__class__ is str else json_text(v)).encode() for v in values]
            offsets = np.array([0, *accumulate(map(len, encoded))], dtype=np.int64)
            if offsets[-1] >= 2**31:  # beyond a string array's 32-bit offsets
                raise OverflowError
            buffers = [validity, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(encoded))]
            return pa.Array.from_buffers(kind, n, buffers, null_count=nulls)
        if pa.types.is_float64(kind):
            data = np.array([0.0 if v is None else float(v) for v in values] if nulls else values, dtype=np.float64)
        # The types of a column's values, counted in C (map and set), not by a generator.
        elif pa.types.is_int64(kind) and set(map(type, values)) <= {int, type(None)}:
            data = np.array([0 if v is None else v for v in values] if nulls else values, dtype=np.int64)
        elif pa.types.is_boolean(kind) and set(map(type, values)) <= {bool, type(None)}:
            data = np.packbits(np.array([v is True for v in values], dtype=bool), bitorder="little")
        else:
            return _converted(pa, values, kind)
    except (OverflowError, UnicodeEncodeError):
        return _converted(pa, values, kind)
    return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(data)], null_count=nulls)


_EMPTY = {None: ""}  # _EMPTY.get(v, v): "" for a missing value, the value itself otherwise
# Values that are equal as keys only when their text is equal: not bools and floats (True == 1 == 1.0).
_KEYS = {str, int, type(None)}
#: Values of a text column from which its few distinct values are encoded once each (see
#: :func:`_from_distinct`): the long table's columns (a term, a target, an article's id on each of
#: its matches, even a number), not the flat table's batches of a few hundred rows.
DISTINCT_ROWS = 4096


def _from_distinct(pa, np, values: list, distinct: dict, kind):
    """A text column of few distinct values: each distinct value encoded once, each row its
    position among them (looked up in C), expanded by Arrow into the same array of strings: no
    value encoded again, and no mask made for the missing ones."""
    position = dict(zip(distinct, range(len(distinct))))
    positions = np.fromiter(map(position.__getitem__, values), dtype=np.int32, count=len(values))
    indices = pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(positions)])
    return pa.DictionaryArray.from_arrays(indices, array(pa, list(distinct), kind)).cast(kind)


def json_text(value) -> str:
    """A value that is not a string, as a text column of Parquet holds it: its JSON
    (``json.dumps(value, ensure_ascii=False)``; an int's without the call: an article's id is
    written once per match in the long table)."""
    return int.__repr__(value) if value.__class__ is int else json.dumps(value, ensure_ascii=False)


def _converted(pa, values: list, kind):
    """``pyarrow.array`` of the values as the fast path would have converted them."""
    if pa.types.is_string(kind):
        values = [None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
    elif pa.types.is_floating(kind):
        values = [None if v is None else float(v) for v in values]
    return pa.array(values, type=kind)
