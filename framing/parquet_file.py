"""One Parquet file written a row group at a time, its footer kept on disk until it closes, not in memory.

A Parquet file is ``PAR1``, the column chunks of each row group, the footer (a Thrift
``FileMetaData``: the schema, then one ``RowGroup`` entry per group with one ``ColumnChunk`` per
column: offsets, sizes, encodings, statistics), the footer's length and ``PAR1``.
``pyarrow.parquet.ParquetWriter`` keeps every entry as a C++ structure, larger than its bytes in
the file, until it builds the footer, so its memory grows with the number of row groups; pyarrow
has no way to keep them elsewhere.

:class:`RowGroupFile` has pyarrow write each table as a whole small Parquet file in memory, with
the options ``ParquetWriter`` would use, appends its column chunks to the output, and keeps its
one ``RowGroup`` entry, its file offsets moved to where the chunks now are, as Thrift bytes in a
temporary file (``bench_memory.py`` prints their bytes in the file). :meth:`RowGroupFile.close` writes the footer
of the first small file with the row count of all and those entries, read back in blocks. The file
reads as ``ParquetWriter`` would have written it, in the memory of one row group whatever the
number of groups.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
from pathlib import Path

from . import thrift_compact as tc

MAGIC = b"PAR1"
_LENGTH = struct.Struct("<I")
#: Field ids of parquet.thrift (parquet-format) that are read or rewritten here.
FILE_NUM_ROWS, FILE_ROW_GROUPS = 3, 4
GROUP_COLUMNS, GROUP_NUM_ROWS, GROUP_FILE_OFFSET, GROUP_ORDINAL = 1, 3, 5, 7
CHUNK_FILE_OFFSET, CHUNK_META, CHUNK_OFFSET_INDEX, CHUNK_COLUMN_INDEX = 2, 3, 4, 6
#: ColumnMetaData: data_page_offset, index_page_offset, dictionary_page_offset, bloom_filter_offset.
META_OFFSETS = (9, 10, 11, 14)
#: Bytes of spilled row-group entries copied into the footer at a time.
BLOCK = 1 << 20


class RowGroupFile:
    """A Parquet file at ``path`` of the Arrow ``schema``, written a table (one row group) at a time.

    Reads back (``pyarrow.parquet.read_table``, row groups, statistics, Arrow metadata) as the
    file ``pyarrow.parquet.ParquetWriter(path, schema)`` writes with the same tables; its memory
    does not grow with the number of row groups: the footer's entries wait in a temporary file.

    Parameters
    ----------
    path : str or path
        The file to write (created, or truncated, now). It is a complete Parquet file only once
        :meth:`close` returns.
    schema : pyarrow.Schema
        The columns of every table written.
    memory_pool : pyarrow.MemoryPool, optional
        Where pyarrow allocates while it encodes a group (its default pool if None).

    Examples
    --------
    >>> import pyarrow as pa, pyarrow.parquet as pq, tempfile, os
    >>> schema = pa.schema([("n", pa.int64())])
    >>> path = os.path.join(tempfile.mkdtemp(), "n.parquet")
    >>> out = RowGroupFile(path, schema)
    >>> out.write_table(pa.table({"n": [1, 2]}))
    >>> out.write_table(pa.table({"n": [3]}))
    >>> out.close()
    >>> pq.ParquetFile(path).metadata.num_row_groups, pq.read_table(path)["n"].to_pylist()
    (2, [1, 2, 3])
    """

    def __init__(self, path, schema, memory_pool=None):
        self.path, self.schema, self.memory_pool = Path(path), schema, memory_pool
        self._head: dict | None = None  # the first small file's footer, its row groups aside
        self._groups = self._rows = 0
        self._failed: BaseException | None = None
        self._file = open(self.path, "wb")  # noqa: SIM115 (closed in close())
        try:
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
            self._file.write(MAGIC)
        except BaseException:
            self._file.close()
            raise
        self._end = len(MAGIC)  # where the next column chunk goes

    def write_table(self, table) -> None:
        """Append ``table`` as one row group.

        Parameters
        ----------
        table : pyarrow.Table
            Rows of the file's schema (field names and types; its metadata is not compared: the
            file's schema is written, as ``ParquetWriter`` does).

        Raises
        ------
        ValueError
            If the table's schema is not the file's (nothing is written), or the file is closed or
            was left incomplete by an earlier error.
        """
        self._check_open()
        if not table.schema.equals(self.schema, check_metadata=False):
            raise ValueError(f"{self.path}: cannot write a table of another schema to this Parquet file: "
                             f"{_difference(table.schema, self.schema)}")
        import pyarrow as pa
        import pyarrow.parquet as pq

        # The file's own schema (and its metadata, stored as ARROW:schema) over the same arrays.
        table = pa.Table.from_arrays(table.columns, schema=self.schema)
        sink = pa.BufferOutputStream(memory_pool=self.memory_pool)  # the group's bytes from the same pool
        pq.write_table(table, sink, row_group_size=max(len(table), 1), memory_pool=self.memory_pool)
        small = sink.getvalue()
        chunks, footer = _parts(memoryview(small))
        shift = self._end - len(MAGIC)  # the small file's chunks start after its magic, ours at _end
        try:
            entries = bytearray()
            for group in footer.pop(FILE_ROW_GROUPS)[1][1]:
                _move(group, shift, self._groups)
                tc.write_struct(entries, group)
                self._groups += 1
                self._rows += group[GROUP_NUM_ROWS][1]
            self._file.write(chunks)
            self._spill.write(entries)
        except BaseException as exc:  # the file is left without its footer: it must not look complete
            self._fail(exc)
            raise
        self._end += len(chunks)
        if self._head is None:
            footer.pop(FILE_NUM_ROWS, None)
            self._head = footer

    def close(self) -> None:
        """Write the footer: the file is complete (and readable) only now.

        With no table written, the file has the schema and no row group, as ``ParquetWriter``'s.

        Raises
        ------
        ValueError
            If an earlier error left the file incomplete: it stays without a footer, so that no
            reader takes it for a complete file.
        """
        if self._file.closed:
            if self._failed is not None:
                raise self._incomplete() from self._failed
            return
        try:
            head = self._head if self._head is not None else self._empty_footer()
            fields = dict(head)
            fields[FILE_NUM_ROWS] = (tc.I64, self._rows)
            fields[FILE_ROW_GROUPS] = (tc.LIST, None)  # written from the spill file below
            out = bytearray()
            last = length = 0
            for fid in sorted(fields):  # Thrift compact: fields in increasing id order
                kind, value = fields[fid]
                if fid == FILE_ROW_GROUPS:
                    tc.write_field_header(out, fid, tc.LIST, last)
                    tc.write_list_header(out, tc.STRUCT, self._groups)
                    self._file.write(out)
                    length += len(out)
                    out = bytearray()
                    self._spill.seek(0)
                    shutil.copyfileobj(self._spill, self._file, BLOCK)
                    length += self._spill.tell()
                else:
                    tc.write_field(out, fid, kind, value, last)
                last = fid
            out.append(tc.STOP)
            length += len(out)
            if length >= 2**32:
                raise ValueError(f"{self.path}: a Parquet footer of {length} bytes does not fit its 4-byte length")
            self._file.write(out + _LENGTH.pack(length) + MAGIC)
            self._file.close()
        except BaseException as exc:
            self._fail(exc)
            raise
        finally:
            self._spill.close()

    def _empty_footer(self) -> dict:
        """The footer ``ParquetWriter`` writes for the schema and no row group, its row groups aside."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = pa.BufferOutputStream()
        pq.ParquetWriter(sink, self.schema, memory_pool=self.memory_pool).close()
        footer = _parts(memoryview(sink.getvalue()))[1]
        footer.pop(FILE_ROW_GROUPS, None)
        footer.pop(FILE_NUM_ROWS, None)
        return footer

    def _check_open(self) -> None:
        if self._failed is not None:
            raise self._incomplete() from self._failed
        if self._file.closed:
            raise ValueError(f"{self.path}: the Parquet file is closed")

    def _incomplete(self) -> ValueError:
        return ValueError(f"{self.path}: the Parquet file is incomplete: writing it failed ({self._failed!r})")

    def _fail(self, exc: BaseException) -> None:
        self._failed = exc
        self._file.close()
        self._spill.close()


def _parts(small: memoryview) -> tuple[memoryview, dict]:
    """A whole Parquet file in memory as its column chunks (between the magic and the footer) and
    its decoded footer."""
    size = len(small)
    if size < 12 or bytes(small[:4]) != MAGIC or bytes(small[-4:]) != MAGIC:
        raise ValueError("pyarrow wrote something that is not a Parquet file")
    length = _LENGTH.unpack_from(small, size - 8)[0]
    start = size - 8 - length
    footer, end = tc.decode_struct(bytes(small[start:size - 8]))
    if end != length:
        raise ValueError(f"a Parquet footer of {length} bytes ends after {end}")
    return small[4:start], footer


def _move(group: dict, shift: int, ordinal: int) -> None:
    """Move the file offsets of a ``RowGroup`` entry by ``shift`` bytes (its ordinal, if it has one, to ``ordinal``)."""
    _shift(group, (GROUP_FILE_OFFSET,), shift)
    for chunk in group[GROUP_COLUMNS][1][1]:
        if CHUNK_OFFSET_INDEX in chunk:
            # An offset index holds page offsets of its own, which this does not rewrite; pyarrow
            # writes none unless asked (write_page_index), and nothing here asks.
            raise ValueError("cannot move a column chunk with an offset index (write_page_index)")
        _shift(chunk, (CHUNK_FILE_OFFSET, CHUNK_COLUMN_INDEX), shift)
        if CHUNK_META in chunk:
            _shift(chunk[CHUNK_META][1], META_OFFSETS, shift)
    if GROUP_ORDINAL in group:
        # pyarrow writes an ordinal only for encrypted files (and ParquetWriter none here): one
        # given is the small file's 0, and becomes the group's place in this file.
        if ordinal >= 2**15:
            raise ValueError(f"row group {ordinal}: a Parquet row group ordinal is an i16 (at most 32767 groups)")
        group[GROUP_ORDINAL] = (group[GROUP_ORDINAL][0], ordinal)


def _shift(fields: dict, offsets, shift: int) -> None:
    """Move the file offsets among ``fields`` by ``shift`` bytes: those present and not 0, which is
    no position (the magic is there) but what pyarrow writes for none (a ColumnChunk's file_offset,
    the data_page_offset of a chunk of no rows): ParquetWriter leaves it 0 too."""
    for fid in offsets:
        if fid in fields and fields[fid][1]:
            fields[fid] = (fields[fid][0], fields[fid][1] + shift)


def _difference(got, want) -> str:
    """The first difference between two Arrow schemas, in words."""
    if got.names != want.names:
        return f"its columns are {got.names[:5]}{'...' if len(got) > 5 else ''}, the file's {want.names[:5]}" \
               f"{'...' if len(want) > 5 else ''}"
    for a, b in zip(got, want):
        if not a.equals(b):
            return f"column {b.name!r} is {a.type} (nullable={a.nullable}), the file's {b.type} (nullable={b.nullable})"
    return "their fields differ"
