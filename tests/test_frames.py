"""Frames of articles to frames of scores: the batch function Dask partitions and Spark's mapInPandas run."""

import math

import pandas as pd
import pytest

from framing import InputError
from framing.export import article_row
from framing.frames import meta, score_batches, score_frame, spark_schema
from framing.scorer import Scorer

from .conftest import DATA

MINI = str(DATA / "mini")
TEXTS = ["قصفت ميليشيات حفتر الأحياء.", "تقدمت ميليشيات الوفاق ومرتزقتها.", "التقى المبعوث الأممي بالطرفين."]


def _frame(n, start=0):
    return pd.DataFrame({"id": [f"a{k}" for k in range(start, start + n)], "outlet": ["X", "Y"] * (n // 2) + ["X"] * (n % 2),
                         "text": [TEXTS[k % 3] for k in range(start, start + n)]}, index=range(start, start + n))


def _plain(row):
    return {k: None if v is None or (isinstance(v, float) and math.isnan(v)) else v for k, v in row.items()}


@pytest.mark.parametrize("where_field,wheres", [(None, ["row 4", "row 5", "row 6"]), ("id", ["a4", "a5", "a6"])])
def test_each_row_is_article_row_of_its_article(where_field, wheres):
    got = score_frame(_frame(3, start=4), MINI, where_field=where_field)
    scorer = Scorer(MINI)
    assert got["where"].tolist() == wheres and got.index.tolist() == [4, 5, 6]
    for k, (label, row) in enumerate(got.iterrows()):
        want = article_row(scorer.score(TEXTS[label % 3], {"id": f"a{label}", "outlet": row["outlet"]}), wheres[k])
        assert _plain(row.to_dict()) == pytest.approx(_plain(want))
    assert list(got.dtypes) == list(meta(MINI, ["id", "outlet"]).dtypes)


@pytest.mark.parametrize("sizes", [[5, 0, 3], [1], []])
def test_batches_give_one_frame_each_empty_ones_too(sizes):
    batches, start = [], 0
    for n in sizes:
        batches.append(_frame(n, start))
        start += n
    out = list(score_batches(iter(batches), MINI, where_field="id", fields=["id", "outlet"]))
    assert [len(f) for f in out] == sizes
    assert all(list(f.columns) == list(meta(MINI, ["id", "outlet"]).columns) for f in out)
    assert [w for f in out for w in f["where"]] == [f"a{k}" for k in range(sum(sizes))]


@pytest.mark.parametrize("text,message", [("", "a0: field 'text' must be a non-empty string"),
                                          (None, "a0: field 'text' must be a non-empty string. Got None")])
def test_a_bad_article_is_named(text, message):
    frame = pd.DataFrame({"id": ["a0"], "text": [text]})
    with pytest.raises(InputError, match=message):
        score_frame(frame, MINI, where_field="id")


def test_a_field_outside_the_schema_is_refused_not_dropped():
    frame = _frame(2).assign(extra="x")
    with pytest.raises(InputError, match="row 0: field 'extra' is not one of the corpus fields"):
        next(score_batches([frame], MINI, fields=["id", "outlet"]))


def test_spark_schema_names_every_column_with_its_type():
    schema = spark_schema(MINI, ["id", "outlet"])
    columns = [part.rsplit(" ", 1) for part in schema.split(", ")]
    assert [c.strip("`") for c, _ in columns] == list(meta(MINI, ["id", "outlet"]).columns)
    types = {c.strip("`"): t for c, t in columns}
    assert (types["where"], types["id"], types["sides.lna"], types["words"], types["lean"]) == (
        "string", "string", "double", "bigint", "string")


def _rows(*rows):
    return [{"where": f"f:{k}", **r} for k, r in enumerate(rows)]


@pytest.mark.parametrize("rows, column, want", [
    # a corpus field keeps its values as the records gave them, a missing one None
    (_rows({"page": 3}, {}, {"page": 12}), "page", [3, None, 12]),
    (_rows({"page": "3"}, {"page": 4.5}), "page", ["3", 4.5]),
    (_rows({"tags": ["a", "b"]}, {"tags": ["c", "d"]}), "tags", [["a", "b"], ["c", "d"]]),
    (_rows({"page": float("nan")}, {"page": 1.5}), "page", [None, 1.5]),  # NaN is missing, as pandas reads it
    (_rows({"page": True}, {"page": None}), "page", [True, None]),
    # score columns in their dtype; a row without one has NaN there (float), never a value made up
    (_rows({"sides.lna": 1}, {"sides.lna": 0.5}, {}), "sides.lna", [1.0, 0.5, "nan"]),
    (_rows({"words": 3}, {"words": 0}), "words", [3, 0]),
])
def test_as_frame_keeps_each_value_in_its_column_dtype(rows, column, want):
    from framing.frames import as_frame

    dtype = {"sides.lna": "float64", "words": "int64"}.get(column, object)
    empty = pd.DataFrame({"where": pd.Series(dtype=object), column: pd.Series(dtype=dtype)})
    got = as_frame(rows, empty)
    assert list(got.columns) == list(empty.columns) and list(got.dtypes) == list(empty.dtypes)
    assert got["where"].tolist() == [f"f:{k}" for k in range(len(rows))]
    values = ["nan" if isinstance(v, float) and math.isnan(v) else v for v in got[column].tolist()]
    assert values == want and [type(v) for v in values] == [type(v) for v in want]


@pytest.mark.parametrize("rows, error", [
    (_rows({"words": 1}, {"words": None}), r"NA|NaN|integer|non-finite"),  # int64 holds no missing value
    (_rows({"words": 1}, {}), r"NA|NaN|integer|non-finite"),
])
def test_as_frame_refuses_what_an_integer_column_cannot_hold(rows, error):
    from framing.frames import as_frame

    empty = pd.DataFrame({"where": pd.Series(dtype=object), "words": pd.Series(dtype="int64")})
    with pytest.raises((ValueError, TypeError), match=error):
        as_frame(rows, empty)
