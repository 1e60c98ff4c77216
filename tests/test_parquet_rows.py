"""Parquet rows wait for their row group as compact Arrow arrays, built without pandas, typed as before."""

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from framing.export import PARQUET_ROWS, TableWriter, row_blocks
from framing.parquet_rows import ParquetRows, array

ROOT = Path(__file__).resolve().parent.parent


def test_writing_parquet_imports_no_pandas(tmp_path):
    # pyarrow.array imports pandas (about 45 MiB) to look for pandas objects: `framing score
    # --format parquet` never uses it
    code = f"""
import sys
from framing.export import TableWriter
w = TableWriter({str(tmp_path / "t.parquet")!r}, "parquet", text_columns={{"where"}})
for k in range(0, {2 * PARQUET_ROWS + 100}, 64):
    w.write([{{"where": f"c:{{n}}", "x": n / 3, "n": n, "s": None if n % 3 else "a", "b": n % 2 == 0}}
             for n in range(k, k + 64)])
w.close()
import pyarrow as pa
from framing.parquet_rows import DISTINCT_ROWS, array
array(pa, ["x", None] * DISTINCT_ROWS, pa.string())  # a long column of few values, as the long table's
assert "pandas" not in sys.modules, "pandas was imported"
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    got = pd.read_parquet(tmp_path / "t.parquet")
    assert len(got) == 2 * PARQUET_ROWS + 100 - (2 * PARQUET_ROWS + 100) % 64 + 64
    assert got["x"].dtype == "float64" and got["n"].dtype == "int64" and got["b"].dtype == "bool"


@pytest.mark.parametrize("later", [False, True])
def test_rows_of_a_row_group_wait_as_a_few_bytes_per_value(tmp_path, later):
    # The first row group waited as Python lists (a float object and a pointer per value: 32 bytes
    # and more) until it fixed the columns' types: 40 MiB for 8,192 rows of 155 columns, and
    # arenas of small objects left behind half empty. Now each value waits as 8 bytes of Arrow.
    columns = 100
    writer = TableWriter(tmp_path / "t.parquet", "parquet", text_columns={"where"})

    def batch(start):
        return [{"where": f"c:{n}", **{f"x{c}": n + c / 7 for c in range(columns)}} for n in range(start, start + 64)]

    if later:  # a first group written: the schema is fixed
        for k in range(0, PARQUET_ROWS, 64):
            writer.write(batch(k))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        rows = PARQUET_ROWS // 2
        for k in range(0, rows, 64):
            writer.write(batch(k))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held / (rows * columns) < 16, f"{held / (rows * columns):.1f} bytes per value"
    writer.close()
    assert len(pd.read_parquet(tmp_path / "t.parquet")) == rows + (PARQUET_ROWS if later else 0)


def test_the_first_row_group_types_its_columns_from_all_its_values(tmp_path):
    # converted to Arrow 2 rows at a time, typed by the whole group of 12, as when it waited as lists
    rows = [{"where": f"c:{k}",
             "late_float": k if k < 8 else k + 0.5,  # ints, then floats: float64
             "late_text": k if k < 6 else "x",  # ints, then text: strings, the ints as JSON
             "mixed": [None, 1, 2.5, True][k % 4],  # several types in a batch: strings as JSON
             "none_then_int": None if k < 10 else k,  # int64 with missing values
             "never": None,  # no value at all: strings
             "flag": k % 2 == 0,
             "json": {"a": [k, "é"]}}
            for k in range(12)]
    path = tmp_path / "t.parquet"
    writer = ParquetRows(path, {"where"}, group_rows=12)
    for k in range(0, 12, 2):
        writer.write_blocks(row_blocks(rows[k:k + 2]), list(rows[0]))
    writer.write_blocks(row_blocks(rows[:3]), list(rows[0]))  # a second group, of the first group's types
    writer.close()
    table = pq.read_table(path)
    assert pq.ParquetFile(path).metadata.num_row_groups == 2
    types = {f.name: str(f.type) for f in table.schema}
    assert types == {"where": "string", "late_float": "double", "late_text": "string", "mixed": "string",
                     "none_then_int": "int64", "never": "string", "flag": "bool", "json": "string"}
    got = table.to_pylist()
    assert [r["late_float"] for r in got] == [float(r["late_float"]) for r in rows + rows[:3]]
    assert [r["late_text"] for r in got[:12]] == ["0", "1", "2", "3", "4", "5"] + ["x"] * 6
    assert [r["mixed"] for r in got[:4]] == [None, "1", "2.5", "true"]
    assert [r["none_then_int"] for r in got[:12]] == [None] * 10 + [10, 11]
    assert [r["never"] for r in got] == [None] * 15 and [r["flag"] for r in got[:3]] == [True, False, True]
    assert got[1]["json"] == json.dumps({"a": [1, "é"]}, ensure_ascii=False)


@pytest.mark.parametrize("values,kind", [
    ([0.5, None, 3, 2**70, float("nan")], pa.float64()),
    ([1, None, -(2**63), 2**63 - 1], pa.int64()),
    ([True, None, False], pa.bool_()),
    (["نص", None, "", 7, 1.5, True, [1, "é"], {"k": None}], pa.string()),
    ([None, None], pa.string()),
    (["نص", None, "", None], pa.string()),  # text and missing values: the fast path
    ([12, None, 12, -3, 10**30, True, False, 0], pa.string()),  # ids that are numbers: as JSON writes them
    ([None, [1], "x"], pa.string()),  # unhashable
    (["x", None, "y\ud800"], pa.string()),  # half a character after a missing value
    ([1.5, 2], pa.int64()),  # not ints: pyarrow.array's own conversion, or its error
    ([2**64], pa.int64()),
    (["x\ud800"], pa.string()),  # half a character
    # long columns of few distinct values (the long table's): each distinct value encoded once
    (["نص", None, "", "ب"] * 2000, pa.string()),
    ([None] * 4999 + ["x"], pa.string()),
    (["x\ud800", "y"] * 3000, pa.string()),
    (["a", 7, True, 7.0, 1, 1.0] * 2000, pa.string()),  # 1, 1.0 and True: equal keys, not equal JSON
    ([12, None, "12", 10**30, -3] * 1000, pa.string()),  # ids that are numbers, once per distinct value
    ([f"w{k}" for k in range(6000)], pa.string()),  # many distinct values: encoded one by one
])
def test_arrays_are_what_pyarrow_array_gives(values, kind):
    def reference(values):
        if pa.types.is_string(kind):
            values = [None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                      for v in values]
        elif pa.types.is_floating(kind):
            values = [None if v is None else float(v) for v in values]
        return pa.array(values, type=kind)

    try:
        expected = reference(values)
    except Exception as exc:  # noqa: BLE001
        with pytest.raises(type(exc)):
            array(pa, values, kind)
        return
    got = array(pa, values, kind)
    assert got.type == kind and got.null_count == expected.null_count
    assert got.equals(expected) or got.to_pylist() == pytest.approx(expected.to_pylist(), nan_ok=True)


def _types_rows(k):
    """A row of the first group's type cases (see the test above), and a second group of others."""
    return {"where": f"c:{k}",
            "late_float": k if k < 8 else k + 0.5,
            "late_text": k if k < 6 else "x",
            "mixed": [None, 1, 2.5, True][k % 4],
            "none_then_int": None if k < 10 else k,
            "never": None,
            "flag": k % 2 == 0,
            "json": {"a": [k, "é"]}}


ARROW_CASES = {
    # batches of rows, as the writer gets them: converted by the writer (lists) or where they were
    # made (arrow_blocks), they give the same table
    "first group typed by all its values": [[_types_rows(k) for k in range(j, j + 2)] for j in range(0, 12, 2)]
    + [[_types_rows(k) for k in range(3)]],
    "a later group of other types": [[_types_rows(k) for k in range(12)],
                                     [{"where": "d", "late_float": 3, "late_text": 100.0, "mixed": "m",
                                       "none_then_int": None, "never": 2, "flag": None, "json": None}] * 3],  # "100.0"
    "a block without a column": [[{"where": "a", "n": 1, "s": "x"}, {"where": "b", "n": 2}] * 4,
                                 [{"where": "c", "s": "y"}] * 9],
    "several blocks in a batch": [[{"where": "a", "n": 1}, {"where": "b", "n": 2, "s": "x"}, {"where": "c", "n": 2.5}],
                                  [{"where": "d", "n": None, "s": None}] * 12],
    "an int beyond int64": [[{"where": "a", "n": 2**70}] * 3],  # pyarrow's own conversion (or error), either way
    "half a character": [[{"where": "a\ud800", "n": 1}]],
    "no rows but a missing column": [[{"where": "a"}] * 13],
}


def _spec_table(batches, names, text, group_rows):
    """The table the writer's documented rule gives, stated plainly: each column typed by the
    values of the first row group (text columns strings; ints int64; ints and floats float64;
    bools bool; anything else, or no value, strings), every value converted by pyarrow as that
    type (strings that are not text as JSON), and the row groups cut after a batch that reaches
    ``group_rows``; or the error pyarrow raises."""
    first, rows, groups, waiting = [], [], 0, 0
    for batch in batches:
        rows += batch
        if not groups:
            first += batch
        waiting += len(batch)
        if waiting >= group_rows:
            groups, waiting = groups + 1, 0
    groups += bool(waiting)
    arrays = []
    for name in names:
        kinds = {type(r.get(name)) for r in first} - {type(None)}
        kind = (pa.string() if name in text or not kinds else pa.int64() if kinds <= {int} else
                pa.float64() if kinds <= {int, float} else pa.bool_() if kinds == {bool} else pa.string())
        values = [r.get(name) for r in rows]
        if kind == pa.string():
            values = [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
        elif kind == pa.float64():
            values = [None if v is None else float(v) for v in values]
        arrays.append(pa.array(values, type=kind))
    return pa.table(arrays, names=names), groups


@pytest.mark.parametrize("case", ARROW_CASES)
def test_rows_converted_where_they_were_made_give_the_table_of_the_rule(tmp_path, case):
    from framing.export import row_blocks
    from framing.parquet_rows import arrow_blocks

    batches = ARROW_CASES[case]
    names = list(dict.fromkeys(c for row in batches[0] for c in row))
    try:
        want = _spec_table(batches, names, {"where"}, 12)
    except Exception as exc:  # noqa: BLE001 (the writer raises the same)
        want = type(exc)
    for converted in (False, True):  # RowBlocks converted by the writer, or in a worker (ArrowBlocks)
        path = tmp_path / f"{converted}.parquet"
        writer = ParquetRows(path, {"where"}, group_rows=12)
        try:
            for batch in batches:
                blocks = row_blocks(batch)
                writer.write_blocks(arrow_blocks(blocks, {"where"}) if converted else blocks, names)
            writer.close()
        except Exception as exc:  # noqa: BLE001
            assert type(exc) is want
            continue
        got = pq.read_table(path)
        assert got.schema.equals(want[0].schema) and got.equals(want[0])
        assert pq.ParquetFile(path).metadata.num_row_groups == want[1]
        assert got.num_rows == sum(map(len, batches))


def test_converted_blocks_cross_a_process_boundary():
    # they travel from the workers pickled (spawned workers, elsewhere than Linux, get the state so too)
    import pickle

    from framing.commands.score import CorpusFields
    from framing.export import row_blocks
    from framing.parquet_rows import arrow_blocks

    block = arrow_blocks(row_blocks([{"where": "a", "n": 1, "t": None}, {"where": "b", "n": None, "t": "ن"}]), {"where"})[0]
    back = pickle.loads(pickle.dumps(block, protocol=5))
    assert back.columns == ("where", "n", "t") and back.size == 2 and back.kinds == (frozenset({str}), frozenset({int}),
                                                                                     frozenset({str}))
    assert [p.to_pylist() for p in back.pieces] == [["a", "b"], [1, None], [None, "ن"]]
    # a text column comes as text already, whatever its values: the writer has nothing to convert again
    ids = arrow_blocks(row_blocks([{"where": "a", "id": 7}, {"where": "b", "id": None}]), {"where", "id"})[0]
    assert ids.pieces[1].type == pa.string() and ids.pieces[1].to_pylist() == ["7", None]
    fields = pickle.loads(pickle.dumps(CorpusFields(frozenset({"lean"}))))
    assert "outlet" in fields and "lean" not in fields and "model.lna.label" not in fields
