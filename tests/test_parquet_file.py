"""RowGroupFile writes the Parquet file ParquetWriter writes, its footer kept on disk until it closes;
the compact-protocol codec under it reads and writes every Thrift type, byte for byte."""

import doctest
import math
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import framing.parquet_file
from framing import thrift_compact as tc
from framing.export import RowBlock
from framing.parquet_file import RowGroupFile, _parts
from framing.parquet_rows import ParquetRows

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------- tables of cases


def _mixed(sizes):
    schema = pa.schema([("n", pa.int64()), ("x", pa.float64()), ("b", pa.bool_()), ("text", pa.string())])
    tables, start = [], 0
    for size in sizes:
        rows = range(start, start + size)
        tables.append(pa.table({
            "n": [None if r % 7 == 3 else r - 50 for r in rows],
            "x": [None if r % 5 == 1 else r / 3 - 9 for r in rows],
            "b": [None if r % 4 == 2 else r % 3 == 0 for r in rows],
            "text": [None if r % 6 == 5 else f"الخبر رقم {r} عن ليبيا" for r in rows],
        }, schema=schema))
        start += size
    return schema, tables


def _all_null(sizes):
    schema = pa.schema([("n", pa.int64()), ("s", pa.string()), ("x", pa.float64()), ("b", pa.bool_())])
    return schema, [pa.table({f.name: pa.nulls(size, f.type) for f in schema}, schema=schema) for size in sizes]


def _wide(columns, sizes):
    schema = pa.schema([(f"c{c}", [pa.float64(), pa.int64(), pa.string()][c % 3]) for c in range(columns)])

    def value(kind, r, c):
        if r % (c % 11 + 2) == 0:
            return None
        return r * c / 7 if kind == pa.float64() else r + c if kind == pa.int64() else f"ع{r % 13}:{c}"

    return schema, [pa.table({f.name: [value(f.type, r, c) for r in range(size)] for c, f in enumerate(schema)},
                             schema=schema) for size in sizes]


def _dictionary(sizes):
    schema = pa.schema([("where", pa.dictionary(pa.int32(), pa.string())), ("n", pa.int64())])
    words = ["طرابلس", "بنغازي", "مصراتة", None]
    return schema, [pa.table({"where": pa.array([words[r % 4] for r in range(size)]).dictionary_encode(),
                              "n": list(range(size))}, schema=schema) for size in sizes]


def _with_metadata(sizes):
    schema = pa.schema([pa.field("n", pa.int64(), metadata={"unit": "articles"})], metadata={"framing": "scores v1"})
    return schema, [pa.table({"n": list(range(size))}, schema=schema) for size in sizes]


CASES = {
    "ints, floats, bools, Arabic text": lambda: _mixed([100, 250, 9]),
    "columns all null": lambda: _all_null([10, 3]),
    "one row": lambda: _mixed([1]),
    "groups of different sizes": lambda: _mixed([1, 2000, 17, 5, 300]),
    "45 row groups": lambda: _mixed([3 + k % 5 for k in range(45)]),
    "160 columns": lambda: _wide(160, [40, 7, 64]),
    "dictionary-encoded strings": lambda: _dictionary([50, 8]),
    "Arrow metadata on the schema and a field": lambda: _with_metadata([4, 6]),
    "a table of no rows among others": lambda: _mixed([5, 0, 3]),
}


def _write_both(tmp_path, schema, tables):
    ours, theirs = tmp_path / "ours.parquet", tmp_path / "theirs.parquet"
    out = RowGroupFile(ours, schema)
    for table in tables:
        out.write_table(table)
    out.close()
    with pq.ParquetWriter(theirs, schema) as writer:
        for table in tables:
            writer.write_table(table, row_group_size=max(len(table), 1))
    return ours, theirs


def _statistics(path):
    meta = pq.ParquetFile(path).metadata
    out = []
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            s = meta.row_group(g).column(c).statistics
            out.append(None if s is None else (s.has_min_max and (s.min, s.max), s.null_count, s.num_values))
    return out


@pytest.mark.parametrize("case", CASES)
def test_a_file_reads_as_parquetwriters_file_with_the_same_row_groups(tmp_path, case):
    schema, tables = CASES[case]()
    ours, theirs = _write_both(tmp_path, schema, tables)
    got, want = pq.read_table(ours), pq.read_table(theirs)
    assert got.equals(want) and got.schema.equals(want.schema, check_metadata=True)
    assert got.num_rows == sum(map(len, tables))
    ours_file, theirs_file = pq.ParquetFile(ours), pq.ParquetFile(theirs)
    assert ours_file.metadata.num_row_groups == theirs_file.metadata.num_row_groups == len(tables)
    for g, table in enumerate(tables):
        assert ours_file.metadata.row_group(g).num_rows == len(table)
        assert ours_file.read_row_group(g).equals(theirs_file.read_row_group(g))
    assert _statistics(ours) == _statistics(theirs)
    # Not only readable alike: the same bytes, the footer's offsets moved exactly where pyarrow puts them.
    assert ours.read_bytes() == theirs.read_bytes()


@pytest.mark.parametrize("schema", [pa.schema([("n", pa.int64()), ("s", pa.string())]), pa.schema([])],
                         ids=["two columns", "no column"])
def test_no_row_group_at_all_is_a_valid_file_of_the_schema(tmp_path, schema):
    ours, theirs = _write_both(tmp_path, schema, [])
    assert pq.ParquetFile(ours).metadata.num_row_groups == 0
    assert pq.read_table(ours).equals(schema.empty_table())
    assert ours.read_bytes() == theirs.read_bytes()


def test_parquet_rows_with_no_rows_still_writes_todays_empty_table(tmp_path):
    ParquetRows(tmp_path / "t.parquet").close()
    assert pq.read_table(tmp_path / "t.parquet").equals(pa.table({}))


def test_parquet_rows_writes_the_file_parquetwriter_wrote(tmp_path):
    # ParquetRows' groups through RowGroupFile, against the same groups through ParquetWriter
    writer = ParquetRows(tmp_path / "t.parquet", {"where"}, group_rows=64)
    rows = 64 * 5 + 9
    writer.write_blocks([RowBlock(("where", "x", "n", "b"), [(f"c:{n}", n / 3, None if n % 9 == 0 else n, n % 2 == 0)
                                                            for n in range(rows)])], ["where", "x", "n", "b"])
    writer.close()
    got = pq.read_table(tmp_path / "t.parquet")
    with pq.ParquetWriter(tmp_path / "w.parquet", got.schema) as theirs:
        theirs.write_table(got, row_group_size=rows)  # one group: compare the values, not the grouping
    assert got.equals(pq.read_table(tmp_path / "w.parquet"))
    assert got.num_rows == rows and pq.ParquetFile(tmp_path / "t.parquet").metadata.num_row_groups == 1


# --------------------------------------------------------------------------- errors

BAD_TABLES = {
    "another column name": (pa.table({"m": [1]}), "columns are ['m']"),
    "another type": (pa.table({"n": ["1"]}), "column 'n' is string"),
    "a column more": (pa.table({"n": [1], "s": ["a"]}), "columns are ['n', 's']"),
}


@pytest.mark.parametrize("case", BAD_TABLES)
def test_a_table_of_another_schema_raises_and_writes_nothing(tmp_path, case):
    table, message = BAD_TABLES[case]
    schema = pa.schema([("n", pa.int64())])
    out = RowGroupFile(tmp_path / "t.parquet", schema)
    out.write_table(pa.table({"n": [1, 2]}))
    with pytest.raises(ValueError, match="another schema") as raised:
        out.write_table(table)
    assert message in str(raised.value)
    out.write_table(pa.table({"n": [3]}))  # nothing was written: the file goes on
    out.close()
    assert pq.read_table(tmp_path / "t.parquet")["n"].to_pylist() == [1, 2, 3]


def test_a_failed_write_leaves_a_file_no_reader_takes_for_complete(tmp_path, monkeypatch):
    schema = pa.schema([("n", pa.int64())])
    out = RowGroupFile(tmp_path / "t.parquet", schema)
    out.write_table(pa.table({"n": [1, 2]}))

    def full(data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(out, "_spill", type("Full", (), {"write": staticmethod(full), "close": lambda self=None: None})())
    with pytest.raises(OSError, match="No space"):
        out.write_table(pa.table({"n": [3]}))
    for again in (lambda: out.write_table(pa.table({"n": [4]})), out.close):
        with pytest.raises(ValueError, match="incomplete"):
            again()
    with pytest.raises(pa.ArrowInvalid):  # no footer: not a Parquet file
        pq.read_table(tmp_path / "t.parquet")


def test_writing_after_close_raises(tmp_path):
    out = RowGroupFile(tmp_path / "t.parquet", pa.schema([("n", pa.int64())]))
    out.close()
    out.close()  # a second close does nothing
    with pytest.raises(ValueError, match="closed"):
        out.write_table(pa.table({"n": [1]}))


# --------------------------------------------------------------------------- memory

def test_footer_entries_wait_on_disk_not_in_python_memory(tmp_path):
    # ParquetWriter keeps ~900 bytes of C++ per column and group; here each group's entries (60
    # columns: about 6 KB of Thrift) go to the spill file as they come: 100 groups more would hold
    # 600 KB as bytes, several MB decoded. What remains is CPython's bounded free lists of dicts.
    schema, tables = _wide(60, [4])
    out = RowGroupFile(tmp_path / "t.parquet", schema)
    held = []
    tracemalloc.start()
    try:
        for g in range(120):
            out.write_table(tables[0])
            if g in (19, 119):
                held.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    out.close()
    assert out._spill.closed
    assert held[1] - held[0] < 100_000, held
    assert pq.ParquetFile(tmp_path / "t.parquet").metadata.num_row_groups == 120


def test_memory_of_many_groups_is_that_of_a_few(tmp_path):
    # The whole process's peak (C++ allocations included, which tracemalloc does not see): with
    # ParquetWriter this script peaked at 126 MiB for 20 groups and 226 MiB for 400 (its footer's
    # structures), with RowGroupFile at 124 and 126 MiB.
    code = """
import resource, sys
import pyarrow as pa
from framing.parquet_file import RowGroupFile
schema = pa.schema([(f"c{c}", pa.float64()) for c in range(150)])
table = pa.table({f"c{c}": [c / 3.0] * 8 for c in range(150)}, schema=schema)
groups = int(sys.argv[2])
out = RowGroupFile(sys.argv[1], schema, memory_pool=pa.system_memory_pool())
for _ in range(groups):
    out.write_table(table)
out.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    peak = {}
    for groups in (20, 400):
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{groups}.parquet"), str(groups)],
                              cwd=ROOT, check=True, capture_output=True, text=True)
        peak[groups] = int(done.stdout) * 1024
    assert peak[400] - peak[20] < 8 * 2**20, peak
    assert pq.ParquetFile(tmp_path / "400.parquet").metadata.num_row_groups == 400


# --------------------------------------------------------------------------- the codec

def _footer(path) -> bytes:
    data = Path(path).read_bytes()
    length = int.from_bytes(data[-8:-4], "little")
    return data[-8 - length:-8]


@pytest.mark.parametrize("case", ["ints, floats, bools, Arabic text", "columns all null", "160 columns",
                                  "dictionary-encoded strings", "Arrow metadata on the schema and a field"])
def test_decoding_then_encoding_a_real_footer_gives_its_bytes(tmp_path, case):
    schema, tables = CASES[case]()
    with pq.ParquetWriter(tmp_path / "t.parquet", schema) as writer:
        for table in tables:
            writer.write_table(table)
    raw = _footer(tmp_path / "t.parquet")
    fields, end = tc.decode_struct(raw)
    assert end == len(raw)
    assert fields[3] == (tc.I64, sum(map(len, tables)))  # num_rows: read where it is
    assert len(fields[4][1][1]) == len(tables)  # one RowGroup per table
    assert tc.encode_struct(fields) == raw


VALUES = {
    # name: (field id, type, value, its bytes after the field header)
    "bool true": (1, tc.BOOL, True, b""),
    "bool false": (1, tc.BOOL, False, b""),
    "byte -1": (1, tc.BYTE, -1, b"\xff"),
    "byte 127": (1, tc.BYTE, 127, b"\x7f"),
    "i16 -2": (1, tc.I16, -2, b"\x03"),
    "i32 300": (1, tc.I32, 300, b"\xd8\x04"),
    "i64 min": (1, tc.I64, -(2**63), b"\xff" * 9 + b"\x01"),
    "i64 max": (1, tc.I64, 2**63 - 1, b"\xfe" + b"\xff" * 8 + b"\x01"),
    "double": (1, tc.DOUBLE, -0.5, b"\x00\x00\x00\x00\x00\x00\xe0\xbf"),
    "binary Arabic": (1, tc.BINARY, "نص".encode(), b"\x04" + "نص".encode()),
    "binary empty": (1, tc.BINARY, b"", b"\x00"),
    "list short": (1, tc.LIST, (tc.I32, [1, -1]), b"\x25\x02\x01"),
    "list of 15 (long size)": (1, tc.LIST, (tc.BYTE, [0] * 15), b"\xf3\x0f" + b"\x00" * 15),
    "list empty": (1, tc.LIST, (tc.STRUCT, []), b"\x0c"),
    "list of bools": (1, tc.LIST, (tc.BOOL, [True, False]), b"\x21\x01\x02"),
    "set": (1, tc.SET, (tc.BINARY, [b"a"]), b"\x18\x01a"),
    "map": (1, tc.MAP, (tc.BINARY, tc.I64, [(b"k", 3)]), b"\x01\x86\x01k\x06"),
    "map empty": (1, tc.MAP, (0, 0, []), b"\x00"),
    "struct nested": (1, tc.STRUCT, {1: (tc.I32, 1), 2: (tc.STRUCT, {})}, b"\x15\x02\x1c\x00\x00"),
    "list of structs": (1, tc.LIST, (tc.STRUCT, [{1: (tc.BOOL, True)}]), b"\x1c\x11\x00"),
    "field id 16 (delta beyond 15)": (16, tc.I32, 1, b"\x02"),
    "field id 300": (300, tc.I32, 1, b"\x02"),
    "negative field id": (-1, tc.I32, 1, b"\x02"),
}


@pytest.mark.parametrize("case", VALUES)
def test_each_thrift_type_is_written_and_read_back(case):
    fid, kind, value, body = VALUES[case]
    header = bytearray()
    tc.write_field_header(header, fid, tc.BOOL_FALSE if kind == tc.BOOL and not value else kind, 0)
    expected = bytes(header) + body + b"\x00"
    assert tc.encode_struct({fid: (kind, value)}) == expected
    decoded, end = tc.decode_struct(expected)
    assert end == len(expected)
    got_kind, got = decoded[fid]
    assert got_kind == kind
    assert got == value or (isinstance(value, float) and math.isclose(got, value))


FIELD_HEADERS = {
    # (field id, the id before it): the header's bytes
    "delta 1": ((1, 0), b"\x15"),
    "delta 15": ((15, 0), b"\xf5"),
    "delta 16: long form": ((16, 0), b"\x05\x20"),
    "going back: long form": ((2, 5), b"\x05\x04"),
}


@pytest.mark.parametrize("case", FIELD_HEADERS)
def test_field_headers_are_short_for_a_delta_of_1_to_15(case):
    (fid, last), expected = FIELD_HEADERS[case]
    out = bytearray()
    tc.write_field_header(out, fid, tc.I32, last)
    assert bytes(out) == expected


BROKEN = {
    "empty": (b"", "end before"),
    "no stop byte": (b"\x15\x02", "end before"),
    "binary longer than the bytes": (b"\x18\x05ab", "end before"),
    "unknown type 13": (b"\x1d\x00", "unknown compact-protocol type 13"),
    "varint of 11 bytes": (b"\x16" + b"\xff" * 11 + b"\x01", "varint longer"),
    "nested too deep": (b"\x1c" * 70, "nested more than"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_bytes_that_are_not_a_struct_raise_a_thrift_error(case):
    data, message = BROKEN[case]
    with pytest.raises(tc.ThriftError, match=message):
        tc.decode_struct(data)


@pytest.mark.parametrize("fields, message", [({1: (13, 0)}, "unknown compact-protocol type 13"),
                                             ({2**15: (tc.I32, 0)}, "not an i16"),
                                             ({1: (tc.I64, 2**63)}, "does not fit in an i64")],
                         ids=["unknown type", "field id beyond i16", "i64 overflow"])
def test_values_the_protocol_cannot_hold_raise_a_thrift_error(fields, message):
    with pytest.raises(tc.ThriftError, match=message):
        tc.encode_struct(fields)


def test_parts_of_a_small_file_are_its_chunks_and_its_footer(tmp_path):
    pq.write_table(pa.table({"n": [1, 2, 3]}), tmp_path / "t.parquet")
    data = (tmp_path / "t.parquet").read_bytes()
    chunks, footer = _parts(memoryview(data))
    assert bytes(chunks) == data[4:len(data) - 8 - len(_footer(tmp_path / "t.parquet"))]
    assert footer[3] == (tc.I64, 3)
    with pytest.raises(ValueError, match="not a Parquet file"):
        _parts(memoryview(b"PAR1PAR1"))


def test_the_docstring_example_runs():
    result = doctest.testmod(framing.parquet_file)
    assert result.attempted > 0 and result.failed == 0
