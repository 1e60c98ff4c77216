"""Corpus tables: scoring a corpus into a frame, and comparing groups with bootstrap CIs."""

import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from framing import InputError, Scorer
from framing.groups import CompareSettings
from framing.table import compare, field_names, group_keys, long_matches, score_corpus, to_records

from .conftest import DATA

MINI = DATA / "mini"
# With the mini lexicon each of these has 2 weighted terms against one side in 7 words.
PRO_LNA = "قصفت ميليشيات الوفاق ومرتزقة الوفاق الأحياء السكنية."  # counts for lna, leans lna
PRO_GNA = "قصفت ميليشيات حفتر ومرتزقة حفتر الأحياء السكنية."  # counts for gna, leans gna
NEUTRAL = "التقى المبعوث الأممي بممثلين عن الطرفين في جنيف."  # no evidence
PER_ARTICLE = 1000 * 2 / 7  # framing per 1,000 words of one loaded article


def corpus_rows():
    rows = [("Dawn", PRO_LNA)] * 4 + [("Dawn", NEUTRAL)] * 2 + [("Noon", PRO_GNA)] * 3 + [("Noon", NEUTRAL)] * 3
    rows.append(("Solo", PRO_LNA))
    return [{"id": f"a{i}", "outlet": o, "date": f"2020-0{1 + i % 3}-1{i % 9}", "text": t} for i, (o, t) in enumerate(rows)]


@pytest.fixture(scope="module")
def scored():
    return score_corpus(pd.DataFrame(corpus_rows()), lexicon=MINI, progress=False)


@pytest.fixture(scope="module")
def table(scored):
    return compare(scored, by="outlet", n_boot=500, min_n=5)


def test_one_row_per_article_with_fields_and_scores(scored):
    assert len(scored) == 13
    assert list(scored["id"]) == [r["id"] for r in corpus_rows()]
    assert {"where", "outlet", "date", "text", "words", "lean", "sides.lna", "sides.gna", "parties.gna.net",
            "parties.lna.stance", "matches"} <= set(scored.columns)
    assert scored.loc[0, "where"] == "row 0"
    assert field_names(scored) == ["id", "outlet", "date"]
    assert scored.attrs["lexicon"] == "mini"


def test_scores_are_the_scorers(scored):
    scorer = Scorer(MINI)
    for _, row in scored.iterrows():
        s = scorer.score(row["text"])
        assert row["sides.lna"] == pytest.approx(s.sides["lna"])
        assert row["parties.gna.net"] == pytest.approx(s.parties["gna"].net)
        assert row["lean"] == s.lean if s.lean else pd.isna(row["lean"])
        assert row["matches"] == s.matches


def test_file_and_frame_give_the_same_scores(tmp_path, scored):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in corpus_rows()) + "\n", encoding="utf-8")
    from_file = score_corpus(path, lexicon=MINI, progress=False)
    assert from_file["where"].iloc[2] == f"{path}:3"
    cols = ["id", "outlet", "sides.lna", "sides.gna", "lean"]
    pd.testing.assert_frame_equal(from_file[cols], scored[cols])


@pytest.mark.parametrize("group,n,lna,gna,lean_lna,lean_gna,lean_none", [
    ("Dawn", 6, 4 * PER_ARTICLE / 6, 0.0, 4 / 6, 0.0, 2 / 6),
    ("Noon", 6, 0.0, 3 * PER_ARTICLE / 6, 0.0, 3 / 6, 3 / 6),
    ("Solo", 1, PER_ARTICLE, 0.0, 1.0, 0.0, 0.0),
])
def test_known_answers(table, group, n, lna, gna, lean_lna, lean_gna, lean_none):
    row = table.set_index("outlet").loc[group]
    assert row["n"] == n
    assert row["sides.lna.mean"] == pytest.approx(lna)
    assert row["sides.gna.mean"] == pytest.approx(gna)
    assert row["slant.mean"] == pytest.approx(lna - gna)
    assert (row["lean_share.lna"], row["lean_share.gna"], row["lean_share.none"]) == pytest.approx((lean_lna, lean_gna, lean_none))


def test_groups_run_from_first_side_to_second(table):
    # Solo (all LNA framing) first, Dawn, then Noon (GNA framing).
    assert list(table["outlet"]) == ["Solo", "Dawn", "Noon"]
    dawn, noon = table.set_index("outlet").loc[["Dawn", "Noon"], "parties.gna.net.mean"]
    assert dawn == pytest.approx(-2 * 4 / 6) and noon == 0


def test_intervals_contain_the_mean(table):
    ok = table[table["note"].isna()]
    assert len(ok) == 2
    for metric in ("sides.lna", "sides.gna", "slant", "parties.gna.net", "parties.lna.net"):
        assert (ok[f"{metric}.lo"] <= ok[f"{metric}.mean"] + 1e-9).all()
        assert (ok[f"{metric}.mean"] <= ok[f"{metric}.hi"] + 1e-9).all()
    dawn = ok.set_index("outlet").loc["Dawn"]
    assert dawn["sides.lna.lo"] < dawn["sides.lna.hi"]  # real spread: 4 loaded, 2 neutral articles


def test_small_group_says_so(table):
    solo = table.set_index("outlet").loc["Solo"]
    assert math.isnan(solo["slant.lo"]) and math.isnan(solo["slant.hi"])
    assert solo["note"].startswith("1 article: too few")


def _frame(groups: dict[str, np.ndarray]) -> pd.DataFrame:
    """A scored-like frame with given per-article LNA framing (GNA framing zero)."""
    rows = []
    for g, values in groups.items():
        for i, v in enumerate(values):
            rows.append({"where": f"{g}:{i}", "outlet": g, "lean": None, "sides.lna": float(v), "sides.gna": 0.0,
                         "parties.lna.net": 0.0})
    return pd.DataFrame(rows)


def test_bootstrap_interval_has_the_normal_width():
    # Bernoulli(0.5), n=400: the 95% interval is about mean ± 1.96·0.5/√400 = ± 0.049.
    rng = np.random.default_rng(1)
    values = rng.permutation(np.r_[np.ones(200), np.zeros(200)])
    row = compare(_frame({"X": values}), n_boot=4000).iloc[0]
    assert row["sides.lna.mean"] == pytest.approx(0.5)
    assert row["sides.lna.hi"] - 0.5 == pytest.approx(0.049, abs=0.006)
    assert 0.5 - row["sides.lna.lo"] == pytest.approx(0.049, abs=0.006)


def test_bootstrap_is_seeded_and_per_group():
    rng = np.random.default_rng(2)
    base = {"X": rng.normal(size=30), "Y": rng.normal(size=40)}
    one = compare(_frame(base), seed=3).set_index("outlet")
    again = compare(_frame(base), seed=3).set_index("outlet")
    other_seed = compare(_frame(base), seed=4).set_index("outlet")
    more_groups = compare(_frame({**base, "Z": rng.normal(size=25)}), seed=3).set_index("outlet")
    pd.testing.assert_frame_equal(one, again)
    assert one.loc["X", "sides.lna.lo"] != other_seed.loc["X", "sides.lna.lo"]
    for col in ("sides.lna.lo", "sides.lna.hi"):
        assert one.loc["X", col] == more_groups.loc["X", col]


def test_bootstrap_large_group_in_blocks():
    # More articles × resamples than one block: the interval is still computed over all of them.
    values = np.r_[np.ones(5000), np.zeros(5000)]
    row = compare(_frame({"X": values}), n_boot=1000).iloc[0]
    assert row["sides.lna.lo"] < 0.5 < row["sides.lna.hi"]
    assert row["sides.lna.hi"] - row["sides.lna.lo"] == pytest.approx(2 * 1.96 * 0.5 / 100, rel=0.15)


@pytest.mark.parametrize("over,labels", [
    ("month", ["2020-01", "2020-02", "2020-03"]),
    ("quarter", ["2020Q1"]),
    ("year", ["2020"]),
    ("week", ["2019-12-30", "2020-02-10", "2020-03-09"]),
])
def test_periods(over, labels):
    rows = [{"outlet": "X", "date": d, "text": PRO_LNA} for d in ("2020-01-01", "2020-02-12", "2020-03-15", "2020-01-03")]
    table = compare(score_corpus(pd.DataFrame(rows), lexicon=MINI, progress=False), over=over, min_n=1, n_boot=50)
    assert sorted(table["period"]) == labels
    assert table["n"].sum() == 4
    assert all(r["period"] in labels for r in to_records(table))


@pytest.mark.parametrize("dates,message", [
    (["2020-01-01", "yesterday"], "row 1: field 'date' must be a date like 2020-01-31. Got 'yesterday' instead"),
    (["2020-13-45", None, "soon"], "row 0: field 'date' must be a date like 2020-01-31. Got '2020-13-45' instead (1 more"),
    ([None, "", "  "], "no article has a date in field 'date', so none can be placed in a month"),
])
def test_bad_dates_name_the_row(dates, message):
    df = score_corpus(pd.DataFrame({"outlet": "X", "date": dates, "text": PRO_LNA}), lexicon=MINI, progress=False)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        compare(df, over="month")


def test_undated_articles_are_left_out_and_counted():
    dates = ["2020-01-01", None, "", "2020-02-03", float("nan"), "2020-01-20"]
    frame = pd.DataFrame({"outlet": ["X", "X", "Y", "Y", "Y", "Y"], "date": dates, "text": PRO_LNA})
    table = compare(score_corpus(frame, lexicon=MINI, progress=False), over="month", min_n=1, n_boot=50)
    assert table.attrs["undated"] == 3 and table.attrs["articles"] == 3 and table["n"].sum() == 3
    assert sorted(zip(table["outlet"], table["period"])) == [("X", "2020-01"), ("Y", "2020-01"), ("Y", "2020-02")]
    assert compare(score_corpus(frame, lexicon=MINI, progress=False), n_boot=50).attrs["undated"] == 0


@pytest.mark.parametrize("kwargs,message", [
    ({"by": "outlett"}, "no field 'outlett' in the corpus; fields are: id, outlet, date"),
    ({"by": "sides.lna"}, "no field 'sides.lna'"),
    ({"over": "decade"}, "over must be one of week, month, quarter, year. Got 'decade'"),
    ({"over": "month", "date_field": "published"}, "no field 'published' in the corpus to group by month"),
    ({"n_boot": 0}, "n_boot must be a positive integer"),
    ({"ci": 1.5}, "ci must be between 0 and 1"),
    # refused whatever the groups' sizes: a bad seed crashed in NumPy only when a group was large enough
    ({"n_boot": 10.0}, r"^n_boot must be a positive integer\. Got 10\.0 instead$"),
    ({"n_boot": True}, r"^n_boot must be a positive integer\. Got True instead$"),
    ({"min_n": None}, r"^min_n must be a non-negative integer\. Got None instead$"),
    ({"min_n": "5"}, r"^min_n must be a non-negative integer\. Got '5' instead$"),
    ({"seed": None}, r"^seed must be a non-negative integer\. Got None instead$"),
    ({"seed": -1}, r"^seed must be a non-negative integer\. Got -1 instead$"),
    ({"seed": "x", "min_n": 100}, r"^seed must be a non-negative integer\. Got 'x' instead$"),
    ({"ci": None}, r"^ci must be between 0 and 1\. Got None instead$"),
    ({"ci": "0.9"}, r"^ci must be between 0 and 1\. Got '0\.9' instead$"),
])
def test_bad_arguments(scored, kwargs, message):
    with pytest.raises(InputError, match=message):
        compare(scored, **kwargs)


@pytest.mark.parametrize("kwargs", [{"n_boot": 20}, {"n_boot": np.int64(20)}, {"n_boot": 20, "min_n": np.int32(0)},
                                    {"n_boot": 20, "seed": np.uint8(3)}, {"n_boot": 20, "ci": np.float32(0.9)}])
def test_numpy_numbers_are_numbers(scored, kwargs):
    table = compare(scored, **kwargs)
    settings = CompareSettings.of(table)
    assert type(settings.n_boot) is int and type(settings.min_n) is int and type(settings.seed) is int


def test_empty_inputs(tmp_path):
    with pytest.raises(InputError, match="no articles to compare"):
        compare(pd.DataFrame())
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty.jsonl: no articles"):
        score_corpus(empty, lexicon=MINI, progress=False)


def test_missing_group_values_form_their_own_group():
    df = score_corpus(pd.DataFrame({"outlet": ["X", None, "X", ""], "text": [PRO_LNA, PRO_GNA, NEUTRAL, PRO_GNA]}),
                      lexicon=MINI, progress=False)
    records = to_records(compare(df, min_n=1, n_boot=50))
    assert sorted((r["group"] or "", r["n"]) for r in records) == [("", 2), ("X", 2)]
    assert next(r for r in records if r["group"] is None)["sides"]["gna"]["mean"] == pytest.approx(PER_ARTICLE)


def test_an_integer_field_some_records_lack_stays_integer(tmp_path):
    """«2019», not «2019.0»: pandas would infer the column as floats, in the table and the groups."""
    from framing.schema import group_name

    corpus = tmp_path / "c.jsonl"
    records = [{"year": 2019, "rating": 0.5, "text": PRO_LNA}, {"year": 2020, "rating": 1.5, "text": PRO_GNA},
               {"text": NEUTRAL}]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    df = score_corpus(corpus, lexicon=MINI, progress=False)
    assert df["year"].tolist() == [2019, 2020, None] and [type(v) for v in df["year"][:2]] == [int, int]
    # must NOT: a field of floats stays numbers, NaN where missing; the scores keep their dtypes
    assert df["rating"].dtype == np.float64 and math.isnan(df["rating"][2])
    assert df["sides.lna"].dtype == np.float64 and df["words"].dtype == np.int64
    table = compare(df, by="year", min_n=1, n_boot=20)
    assert sorted(map(group_name, group_keys(table, "year"))) == ["(missing)", "2019", "2020"]
    assert sorted(r["group"] for r in to_records(table) if r["group"] is not None) == [2019, 2020]


# A table's columns after a notebook's conversions: missing values are None, NaN, NaT or pandas' NA.
@pytest.mark.parametrize("values,sizes", [
    (["X", None, "X", ""], {"X": 2, None: 2}),
    ([1, 2, 1, 2], {1: 2, 2: 2}),
    (pd.array(["X", pd.NA, "X", "Y"], dtype="string"), {"X": 2, None: 1, "Y": 1}),
    (pd.array([1, pd.NA, 1, 2], dtype="Int64"), {1: 2, None: 1, 2: 1}),
    (np.array([1, np.nan, 1, np.nan], dtype=np.float32), {1.0: 2, None: 2}),
    (pd.to_datetime(["2020-01-01", None, "2020-01-01", "2020-02-01"]),
     {pd.Timestamp("2020-01-01"): 2, None: 1, pd.Timestamp("2020-02-01"): 1}),
])
def test_missing_group_values_of_every_dtype_form_one_group(values, sizes):
    df = score_corpus(pd.DataFrame({"text": [PRO_LNA, PRO_GNA, NEUTRAL, PRO_GNA]}), lexicon=MINI, progress=False)
    df["outlet"] = values
    table = compare(df, min_n=1, n_boot=20)
    assert dict(zip(group_keys(table, "outlet"), table["n"])) == sizes


@pytest.mark.parametrize("dates,periods,undated", [
    (["2020-01-01", None, "2020-02-03", ""], ["2020-01", "2020-02"], 2),
    (pd.to_datetime(["2020-01-01", None, "2020-02-03", "2020-02-04"]), ["2020-01", "2020-02"], 1),
    (pd.array(["2020-01-01", pd.NA, "2020-02-03", pd.NA], dtype="string"), ["2020-01", "2020-02"], 2),
])
def test_missing_dates_of_every_dtype_are_undated(dates, periods, undated):
    df = score_corpus(pd.DataFrame({"outlet": "X", "text": [PRO_LNA] * 4}), lexicon=MINI, progress=False)
    df["date"] = dates
    table = compare(df, over="month", min_n=1, n_boot=20)
    assert list(table["period"]) == periods and table.attrs["undated"] == undated


def test_bad_rows_raise_or_are_counted():
    frame = pd.DataFrame({"outlet": ["X", "X", "X"], "text": [PRO_LNA, "  ", 3]})
    with pytest.raises(InputError, match="row 1: column 'text' is empty"):
        score_corpus(frame, lexicon=MINI, progress=False)
    skipped = []
    df = score_corpus(frame, lexicon=MINI, progress=False, skip_bad=True, on_skip=skipped.append)
    assert len(df) + len(skipped) == 3
    assert skipped[1] == "row 2: column 'text' must be a string. Got int instead"
    with pytest.raises(InputError, match="no 'body' column; columns are outlet, text"):
        score_corpus(frame, lexicon=MINI, text_field="body")


def test_json_contract(table):
    records = to_records(table)
    text = json.dumps(records, allow_nan=False)  # no NaN may leak into the JSON
    assert json.loads(text) == records
    first = records[0]
    assert set(first) == {"group", "n", "sides", "slant", "parties", "lean_share", "note"}
    assert set(first["sides"]) == {"lna", "gna"} and set(first["sides"]["lna"]) == {"mean", "lo", "hi"}
    assert set(first["parties"]) == {"lna", "gna", "turkey", "russia"}
    assert set(first["parties"]["gna"]) == {"net"} and set(first["parties"]["gna"]["net"]) == {"mean", "lo", "hi"}
    assert set(first["lean_share"]) == {"lna", "gna", "none"}
    assert math.isclose(sum(first["lean_share"].values()), 1.0, abs_tol=1e-3)
    solo = next(r for r in records if r["group"] == "Solo")
    assert solo["sides"]["lna"]["lo"] is None and solo["note"]


class _FixedModel:
    """A stand-in with the StanceModel interface: 'favorable' probability 0.8 when the text is PRO_GNA."""

    def predict_one(self, text):
        p = 0.8 if text == PRO_GNA else 0.2
        return {"gna": {"label": "favorable" if p > 0.5 else "unfavorable",
                        "proba": {"favorable": p, "neutral": 0.0, "unfavorable": 1 - p}}}

    def predict(self, texts):
        return [self.predict_one(t) for t in texts]


def test_model_probabilities_are_averaged():
    df = score_corpus(pd.DataFrame(corpus_rows()), lexicon=MINI, model=_FixedModel(), progress=False)
    assert list(df.loc[:1, "model.gna.label"]) == ["unfavorable", "unfavorable"]
    table = compare(df, n_boot=50)
    assert table.set_index("outlet").loc["Noon", "model.gna.favorable"] == pytest.approx((3 * 0.8 + 3 * 0.2) / 6)
    noon = next(r for r in to_records(table) if r["group"] == "Noon")
    assert noon["model"] == {"gna": {"favorable": 0.5, "neutral": 0.0, "unfavorable": 0.5}}


class _BatchModel(_FixedModel):
    """Counts the calls of the batch ``predict``: score_corpus must not predict one article at a time."""

    def __init__(self):
        self.calls = []

    def predict(self, texts):
        self.calls.append(len(texts))
        return super().predict(texts)


def test_model_is_called_in_batches():
    model = _BatchModel()
    df = score_corpus(pd.DataFrame(corpus_rows()), lexicon=MINI, model=model, progress=False)
    assert model.calls == [13]
    noon = df[df["outlet"] == "Noon"]
    assert noon["model.gna.favorable"].tolist() == [0.8, 0.8, 0.8, 0.2, 0.2, 0.2]


def test_long_matches(scored):
    long = long_matches(scored)
    assert len(long) == sum(len(m) for m in scored["matches"])
    assert {"article", "id", "outlet", "term", "target", "voice", "start", "end"} <= set(long.columns)
    for _, m in long.iterrows():
        text = scored.loc[m["article"], "text"]
        assert text[m["start"]:m["end"]] == m["text"]


def test_progress_bar_only_where_wanted(monkeypatch):
    from framing.progress import track, wanted

    class Tty(io.StringIO):
        def isatty(self):
            return True

    out = Tty()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wanted(out) and not wanted(io.StringIO())
    assert list(track(range(5), total=5, stream=out)) == list(range(5))
    assert "scoring: 100%" in out.getvalue() and "5/5" in out.getvalue()
    silent = io.StringIO()
    assert list(track(range(5), total=5, stream=silent)) == list(range(5))
    assert silent.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    assert not wanted(out)


def test_all_voices_count_what_an_outlet_quotes():
    # The narrator says nothing loaded; the quoted spokesman attacks the GNA (speaker rule).
    quoting = "وقال المسماري: «ميليشيات الوفاق ومرتزقة الوفاق فرت من المدينة»"
    frame = pd.DataFrame([{"outlet": "Echo", "text": quoting}] * 5 + [{"outlet": "Plain", "text": NEUTRAL}] * 5)
    narrator = compare(score_corpus(frame, lexicon=MINI, progress=False), by="outlet", n_boot=200)
    every = compare(score_corpus(frame, lexicon=MINI, progress=False, voice="all"), by="outlet", n_boot=200)
    echo = every.set_index("outlet").loc["Echo"]
    assert narrator.set_index("outlet").loc["Echo", "sides.lna.mean"] == 0
    assert echo["sides.lna.mean"] > 0 and echo["lean_share.lna"] == 1.0
    assert (narrator.attrs["voice"], every.attrs["voice"]) == ("narrator", "all")


def test_unknown_voice_is_an_error():
    with pytest.raises(InputError, match="voice must be narrator, reading or all. Got 'quoted' instead"):
        score_corpus(pd.DataFrame(corpus_rows()), lexicon=MINI, progress=False, voice="quoted")


def test_the_same_articles_in_another_order_give_the_same_intervals():
    # Distributed or parallel scoring may return articles in another order: the bootstrap orders
    # each group's rows by `where` (else `id`) before drawing rows by position.
    rng = np.random.default_rng(5)
    frame = _frame({"X": rng.normal(size=60), "Y": rng.exponential(size=45)})
    shuffled = frame.sample(frac=1, random_state=1).reset_index(drop=True)
    one = compare(frame, seed=2).set_index("outlet").sort_index()
    other = compare(shuffled, seed=2).set_index("outlet").sort_index()
    pd.testing.assert_frame_equal(one, other, check_exact=True)
    # without a stable key the order matters: the test above would catch a bootstrap that ignores it
    bare = compare(frame.drop(columns="where"), seed=2).set_index("outlet").sort_index()
    bare_shuffled = compare(shuffled.drop(columns="where"), seed=2).set_index("outlet").sort_index()
    assert bare.loc["X", "sides.lna.lo"] != bare_shuffled.loc["X", "sides.lna.lo"]


def test_n_jobs_gives_the_same_table():
    frame = pd.DataFrame(corpus_rows() * 20)
    one = score_corpus(frame, lexicon=MINI, progress=False)
    two = score_corpus(frame, lexicon=MINI, progress=False, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert len(two) == len(frame) and two["matches"].map(len).sum() > 0
