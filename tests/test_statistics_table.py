"""Tables for statistics: `compare` and `chart` keep only the columns their statistics read.

A corpus table with every text and match costs kilobytes per article; `score_corpus(keep=...)`
drops the rest of each article as soon as it is scored (in the worker), and
`read_scores(keep=...)` reads only those columns of a Parquet table. The statistics must be the
same as on the whole table.
"""

import json

import pandas as pd
import pytest

import framing.export
import framing.table
from framing import InputError
from framing.cli import main
from framing.export import read_scores
from framing.table import compare, score_corpus, statistics_columns

from .conftest import DATA

MINI = str(DATA / "mini")
PRO_LNA = "قصفت ميليشيات الوفاق ومرتزقة الوفاق الأحياء السكنية."
PRO_GNA = "قصفت ميليشيات حفتر ومرتزقة حفتر الأحياء السكنية."
NEUTRAL = "التقى المبعوث الأممي بممثلين عن الطرفين في جنيف."


def _rows(n=60):
    texts = [PRO_LNA, PRO_GNA, NEUTRAL]
    return [{"id": f"a{k}", "outlet": ["Dawn", "Noon", "Dusk"][k % 3], "date": f"2020-0{1 + k % 4}-15",
             "title": "عنوان طويل " * 5, "text": texts[(k // 3 + k) % 3]} for k in range(n)]


def _corpus(tmp_path, rows):
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def frame():
    return pd.DataFrame(_rows())


@pytest.fixture(scope="module")
def full(frame):
    return score_corpus(frame, lexicon=MINI, progress=False)


SIDES = ["sides.lna", "sides.gna"]
NETS = ["parties.lna.net", "parties.gna.net", "parties.turkey.net", "parties.russia.net"]


@pytest.mark.parametrize("keep,columns", [
    (statistics_columns("outlet"), ["where", "outlet", "lean", *SIDES, *NETS]),
    (statistics_columns("outlet", "month"), ["where", "outlet", "date", "lean", *SIDES, *NETS]),
    (statistics_columns("title", "week", "id"), ["where", "id", "title", "lean", *SIDES, *NETS]),
    (["where", "text", "matches"], ["where", "text", "matches"]),
    (["sides.*"], SIDES),
    (["parties.?na.net", "model.*"], NETS[:2]),  # a pattern that matches nothing is no error
    ("outlet", ["outlet"]),
])
def test_only_the_kept_columns_in_corpus_order(frame, keep, columns):
    df = score_corpus(frame, lexicon=MINI, progress=False, keep=keep)
    assert list(df.columns) == columns and len(df) == len(frame)


@pytest.mark.parametrize("keep", [statistics_columns("outlet"), statistics_columns("outlet", "month")])
def test_what_must_not_be_kept(frame, keep):
    df = score_corpus(frame, lexicon=MINI, progress=False, keep=keep)
    for column in ("text", "matches", "title", "id", "words", "parties.lna.favorable", "parties.gna.stance"):
        assert column not in df.columns


@pytest.mark.parametrize("kwargs", [{}, {"over": "month"}, {"by": "id"}, {"over": "quarter", "slant": ("gna", "lna")}])
def test_compare_on_the_statistics_table_is_compare_on_the_whole_table(frame, full, kwargs):
    by = kwargs.get("by", "outlet")
    slim = score_corpus(frame, lexicon=MINI, progress=False, keep=statistics_columns(by, kwargs.get("over")))
    got, want = compare(slim, n_boot=300, **kwargs), compare(full, n_boot=300, **kwargs)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs == want.attrs


@pytest.mark.parametrize("keep,message", [
    (["where", "outlett"], "no field 'outlett' in the corpus; fields are: id, outlet, date, title"),
    (statistics_columns("outlet", "month", "published"), "no field 'published' in the corpus"),
])
def test_a_kept_field_no_article_has_is_an_error(frame, keep, message):
    with pytest.raises(InputError, match=message):
        score_corpus(frame, lexicon=MINI, progress=False, keep=keep)


@pytest.mark.parametrize("keep", [None, statistics_columns("outlet", "month")])
def test_blocks_and_processes_give_the_same_table(frame, monkeypatch, keep):
    whole = score_corpus(frame, lexicon=MINI, progress=False, keep=keep)
    monkeypatch.setattr(framing.table, "_BLOCK", 7)  # many blocks, the last one short
    for n_jobs in (1, 2):
        got = score_corpus(frame, lexicon=MINI, progress=False, keep=keep, n_jobs=n_jobs)
        pd.testing.assert_frame_equal(got, whole, check_exact=True)


def test_a_field_missing_from_some_articles_is_kept_as_missing(monkeypatch):
    rows = _rows(20)
    for r in rows[:9]:
        del r["date"]
    monkeypatch.setattr(framing.table, "_BLOCK", 4)  # two blocks without the field at all
    frame = pd.DataFrame(rows)
    slim = score_corpus(frame, lexicon=MINI, progress=False, keep=statistics_columns("outlet", "month"))
    assert slim["date"].isna().tolist() == [True] * 9 + [False] * 11
    table = compare(slim, over="month", n_boot=50)
    assert table.attrs["undated"] == 9


class _Model:
    """A stand-in with the StanceModel interface; records the size of each batch it predicts."""

    def __init__(self):
        self.batches = []

    def predict(self, texts):
        self.batches.append(len(texts))
        return [{"gna": {"label": "favorable", "proba": {"favorable": 0.9 if t == PRO_GNA else 0.3, "unfavorable": 0.1}}}
                for t in texts]


def test_a_models_probabilities_are_kept_and_averaged(frame, full, monkeypatch):
    monkeypatch.setattr(framing.table, "_MODEL_CHUNK", 25)  # predicted chunk by chunk, beside the scoring
    model = _Model()
    slim = score_corpus(frame, lexicon=MINI, progress=False, model=model, keep=statistics_columns("outlet"))
    assert model.batches == [25, 25, 10]
    assert [c for c in slim.columns if c.startswith("model.")] == ["model.gna.label", "model.gna.favorable",
                                                                   "model.gna.unfavorable"]
    table = compare(slim, n_boot=100).set_index("outlet")
    for outlet, group in frame.groupby("outlet"):
        want = sum(0.9 if t == PRO_GNA else 0.3 for t in group["text"]) / len(group)
        assert table.loc[outlet, "model.gna.favorable"] == pytest.approx(want)


class _SeenByCompare:
    """Wraps score_corpus and read_scores to record the columns the commands get."""

    def __init__(self, monkeypatch):
        self.columns = []
        for module, name in ((framing.table, "score_corpus"), (framing.export, "read_scores")):
            real = getattr(module, name)
            monkeypatch.setattr(module, name, self._wrap(real))

    def _wrap(self, real):
        def wrapped(*args, **kwargs):
            df = real(*args, **kwargs)
            self.columns.append(list(df.columns))
            return df
        return wrapped


KEPT_BY = {
    "compare": ["where", "outlet", "lean", *SIDES, *NETS],
    "compare-over": ["where", "outlet", "date", "lean", *SIDES, *NETS],
    "outlets": ["where", "outlet", "lean", *SIDES, *NETS],
    "trend": ["where", "outlet", "date", "lean", *SIDES, *NETS],
    "terms": ["where", "outlet", "words", *SIDES, "matches"],
    "distinctive": ["where", "outlet", "text", *SIDES],
}


# A table of scores has no matches or texts: terms and distinctive charts refuse it (see test_export).
@pytest.mark.parametrize("command,source", [(c, "corpus") for c in KEPT_BY]
                         + [(c, "parquet") for c in KEPT_BY if c not in ("terms", "distinctive")])
def test_commands_keep_only_what_their_statistics_read(tmp_path, capsys, monkeypatch, command, source):
    corpus = _corpus(tmp_path, _rows())
    path = corpus
    if source == "parquet":
        path = tmp_path / "s.parquet"
        assert main(["score", str(corpus), "--lexicon", MINI, "--format", "parquet", "-o", str(path)]) == 0
    seen = _SeenByCompare(monkeypatch)
    if command.startswith("compare"):
        argv = ["compare", str(path), "--json", *(["--over", "month"] if command == "compare-over" else [])]
    else:
        argv = ["chart", str(path), "--kind", command, "-o", str(tmp_path / "c.png"), "--groups", "Dawn", "Noon"]
    assert main([*argv, "--lexicon", MINI, "--boot", "50"] if command.startswith("compare")
                else [*argv, "--lexicon", MINI]) == 0, capsys.readouterr().err
    assert seen.columns == [KEPT_BY[command]]


@pytest.mark.parametrize("voice", ["narrator", "reading", "all"])
def test_read_scores_reads_only_the_kept_columns_of_the_voice(tmp_path, capsys, frame, voice):
    path = tmp_path / "s.parquet"
    assert main(["score", str(_corpus(tmp_path, _rows())), "--lexicon", MINI, "--format", "parquet",
                 "-o", str(path)]) == 0
    whole = read_scores(path, voice)
    slim = read_scores(path, voice, statistics_columns("outlet", "month"))
    assert list(slim.columns) == ["where", "outlet", "date", "lean", *SIDES, *NETS]
    assert slim.attrs == {"voice": voice, "lexicon": "mini"}
    pd.testing.assert_frame_equal(slim, whole[slim.columns])
    scored = score_corpus(frame, lexicon=MINI, progress=False, voice=voice)
    assert slim["lean"].fillna("-").tolist() == scored["lean"].fillna("-").tolist()
    assert slim["sides.gna"].tolist() == pytest.approx(scored["sides.gna"].tolist())
    with pytest.raises(InputError, match="no field 'outle' in the corpus; fields are: id, outlet, date, title"):
        read_scores(path, voice, ["where", "outle"])


@pytest.mark.parametrize("group_rows,groups", [(10_000, [60]), (60, [60]), (50, [52, 8]), (7, [8] * 7 + [4])])
def test_parquet_rows_are_written_in_row_groups_of_at_least_parquet_rows(tmp_path, monkeypatch, group_rows, groups):
    import pyarrow.parquet as pq

    from framing.export import TableWriter

    rows = [{"where": f"c:{k}", "outlet": "X" if k % 2 else 7, "x": k / 2, "n": k, "f": k if k % 2 else k + 0.5,
             "s": None if k % 3 else "a"} for k in range(60)]
    for row in rows[::5]:
        del row["s"]  # a row without a column has None there
    monkeypatch.setattr(framing.export, "PARQUET_ROWS", group_rows)
    writer = TableWriter(tmp_path / "t.parquet", "parquet", text_columns={"where", "outlet"})
    for k in range(0, 60, 4):
        writer.write(rows[k:k + 4])
    writer.close()
    meta = pq.ParquetFile(tmp_path / "t.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == groups
    got = pd.read_parquet(tmp_path / "t.parquet")
    assert got["where"].tolist() == [f"c:{k}" for k in range(60)]
    assert got["outlet"].tolist() == ["7", "X"] * 30  # a corpus field is text whatever its values
    assert got["x"].tolist() == [k / 2 for k in range(60)] and got["n"].dtype == "int64"
    assert got["f"].dtype == "float64" and got["f"].tolist() == [k if k % 2 else k + 0.5 for k in range(60)]
    assert got["s"].fillna("-").tolist() == ["-" if k % 3 or k % 5 == 0 else "a" for k in range(60)]


@pytest.mark.parametrize("values,codes,groups", [
    (["A", "B", "A"], [0, 1, 0], ["A", "B"]),
    ([None, float("nan"), "", "A"], [0, 0, 0, 1], [None, "A"]),  # missing values form one group
    ([True, 1, 1.0, False], [0, 1, 1, 2], ["true", 1, "false"]),  # JSON's true is not the number 1
    ([["x"], ["x"], {"a": 1}], [0, 0, 1], ["['x']", "{'a': 1}"]),  # lists and objects by their text
])
def test_group_codes_follow_the_one_grouping_rule(values, codes, groups):
    from framing.groups import group_codes, group_keys

    df = pd.DataFrame({"g": pd.Series(values, dtype=object)})
    got_codes, got_groups = group_codes(df, "g")
    assert got_codes.tolist() == codes and got_groups == groups
    assert [got_groups[c] for c in got_codes] == group_keys(df, "g")
