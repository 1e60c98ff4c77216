"""`framing evaluate`: every figure against a small corpus computed by hand (tests/data/labelled.jsonl).

With the mini lexicon the six labelled texts read as follows (gold text stance -> lean):
t1 pro_gna -> gna, t2 pro_gna -> gna, t3 neutral -> none, t4 pro_lna -> none (0.5 of evidence is
below the threshold; the weak name reads neutral), t5 neutral -> lna, t6 pro_gna -> lna (wrong
side; «مرتزقة تركيا» also counts against the GNA camp, Turkey's side); t7 carries no label.
"""

import json

import pytest

from framing import load_lexicon
from framing.cli import main
from framing.evaluate import Reading, evaluate, figures, model_reading, text_stance

from .conftest import DATA

CORPUS = str(DATA / "labelled.jsonl")
MINI = str(DATA / "mini")


@pytest.fixture(scope="module")
def mini():
    return load_lexicon(MINI)


@pytest.fixture(scope="module")
def three_sides(tmp_path_factory):
    """A lexicon with three sides a, b, c (and a backer of c)."""
    path = tmp_path_factory.mktemp("three")
    rows = ["id\tside\tname\tname_ar\tgloss"] + [f"{p}\t{s}\t{p}\t\t{p}" for p, s in
                                                    (("a", "a"), ("b", "b"), ("c", "c"), ("d", "c"))]
    (path / "parties.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (path / "terms.tsv").write_text("term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\n"
                                    "الفريق\tactor\ta\t\t\t\t\tteam\n", encoding="utf-8")
    return load_lexicon(path)


@pytest.fixture(scope="module")
def result():
    return evaluate(CORPUS, lexicon=MINI, by="outlet")


@pytest.mark.parametrize("labels,expected", [
    ({"lna": "favorable", "gna": "unfavorable"}, "pro_lna"),
    ({"lna": "neutral", "gna": "unfavorable"}, "pro_lna"),
    ({"lna": "unfavorable", "gna": "neutral"}, "pro_gna"),
    ({"lna": "favorable", "gna": "favorable"}, "neutral"),       # a tie is neutral
    ({"lna": "unfavorable", "gna": "unfavorable"}, "neutral"),
    ({"lna": "neutral", "gna": "neutral"}, "neutral"),
    ({}, "neutral"),
    ({"turkey": "unfavorable"}, "pro_lna"),                      # a backer's label counts for its side
    ({"russia": "favorable", "gna": "favorable"}, "neutral"),
])
def test_text_stance_two_sides(mini, labels, expected):
    assert text_stance(labels, mini) == expected


@pytest.mark.parametrize("labels,expected", [
    ({"a": "favorable"}, "pro_a"),
    ({"a": "unfavorable"}, "neutral"),                            # b and c get 0.5 each: a tie
    ({"a": "unfavorable", "b": "neutral", "c": "favorable"}, "pro_c"),
    ({"a": "unfavorable", "b": "unfavorable"}, "pro_c"),          # c 1.0, a 0.5, b 0.5
    ({"d": "favorable", "a": "favorable"}, "neutral"),            # d is on side c
])
def test_text_stance_three_sides(three_sides, labels, expected):
    assert text_stance(labels, three_sides) == expected


def test_lean_figures(result):
    f = result.figures["lexicon"]
    assert (f.n, f.sided, f.neutral) == (6, 4, 2)
    assert (f.lean_right, f.lean_given, f.neutral_given_lean) == (2, 3, 1)
    assert f.lean_accuracy == 0.5 and f.lean_coverage == 0.75
    assert f.lean_precision == pytest.approx(2 / 3) and f.neutral_lean_share == 0.5
    assert result.unlabelled == 1 and len(result.items) == 6


def test_three_way_macro_f1(result):
    # pro_lna F1 0 (its one text unread, two false leans); pro_gna P 1 R 2/3; neutral P 1/2 R 1/2
    assert result.figures["lexicon"].text_stance.macro_f1 == pytest.approx((0 + 0.8 + 0.5) / 3)
    assert result.counts() == {"pro_lna": 1, "pro_gna": 3, "neutral": 2}


def test_per_party_macro_f1_falls_back_to_the_sign_of_net(result):
    parties = result.figures["lexicon"].parties
    # lna: t4's weak name reads neutral (gold favorable); t6 abstains with net 0 -> neutral (wrong):
    # favorable F1 0, neutral P 3/5 R 1, unfavorable P 1 R 1/2
    assert parties["lna"].macro_f1 == pytest.approx((0 + 0.75 + 2 / 3) / 3)
    # gna: t5 and t6 read unfavorable (gold neutral), t4 abstains (gold unfavorable) -> neutral
    # P 2/3 R 1/2, unfavorable F1 0
    assert parties["gna"].macro_f1 == pytest.approx((1 + 4 / 7 + 0) / 3)
    assert set(parties) == {"lna", "gna"}  # only labelled parties


def test_confusion_keeps_abstention_as_a_column(result):
    lna = result.figures["lexicon"].parties["lna"].confusion
    assert lna["favorable"] == {"favorable": 0, "neutral": 1, "unfavorable": 0, "abstain": 0}
    assert lna["neutral"]["abstain"] == 3
    assert lna["unfavorable"] == {"favorable": 0, "neutral": 0, "unfavorable": 1, "abstain": 1}
    assert result.figures["lexicon"].parties["gna"].confusion["neutral"]["unfavorable"] == 2


def test_evidence_recall(result):
    f = result.figures["lexicon"]
    # sided texts: 6 phrases, 4 overlapped («حيا سكنيا» and «الى الميناء» are not; the latter is
    # found only after normalisation); the neutral t5 adds «حظر التجول», also unmatched
    assert (f.evidence_sided_matched, f.evidence_sided) == (4, 6)
    assert (f.evidence_matched, f.evidence) == (4, 7)
    assert f.evidence_recall == pytest.approx(4 / 6)


def test_groups(result):
    assert set(result.groups) == {"Coast Post", "Desert Wire", "(missing)"}
    coast = result.groups["Coast Post"]["lexicon"]
    assert (coast.n, coast.lean_accuracy, coast.evidence_recall) == (2, 1.0, 0.5)
    desert = result.groups["Desert Wire"]["lexicon"]
    assert (desert.n, desert.sided, desert.neutral_given_lean) == (3, 1, 1)


def test_misses_rank_wrong_side_and_false_leans_first(result):
    worst = result.misses(3)
    # t6 (wrong side, both parties wrong) first; then t4 and t5
    assert [it.id for it in worst] == ["t6", "t4", "t5"]
    assert result.misses(10)[-1].id == "t2" and "t3" not in [it.id for it in result.misses(10)]
    t1 = next(it for it in result.items if it.id == "t1").to_dict()
    assert t1["unmatched_evidence"] == ["حيا سكنيا"]


def test_model_reading_uses_the_text_stance_rule(mini):
    predicted = {"lna": {"label": "neutral"}, "gna": {"label": "unfavorable"}}
    reading = model_reading(predicted, mini)
    assert reading.lean == "lna" and reading.stances == reading.resolved == {"lna": "neutral", "gna": "unfavorable"}


def test_figures_of_a_second_reader(result):
    # A reader that gives every text the lean its labels imply scores 1 everywhere.
    items = []
    for it in result.items:
        lean = it.lean
        perfect = Reading(lean, dict(it.labels), dict(it.labels))
        items.append(type(it)(it.id, it.where, it.group, it.labels, it.stance,
                              {**it.readings, "oracle": perfect}))
    f = figures(items, "oracle", ("lna", "gna"), ("pro_lna", "pro_gna", "neutral"))
    assert (f.lean_accuracy, f.lean_precision, f.neutral_lean_share) == (1.0, 1.0, 0.0)
    assert f.text_stance.macro_f1 == 1.0 and f.parties["gna"].macro_f1 == 1.0
    assert f.evidence is None  # only the scorer has matches


def test_cli_text(capsys):
    code = main(["evaluate", CORPUS, "--lexicon", MINI, "--misses", "3", "--by", "outlet"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "lean accuracy (abstain = wrong)         0.500 (2/4)" in out
    assert "3-way text stance macro-F1              0.433" in out
    assert "evidence recall (sided texts)           0.667 (4/6)" in out
    assert "by outlet (lexicon)" in out and "Desert Wire" in out
    assert "- t5 (" in out and "unmatched evidence: «حظر التجول»" in out
    assert "framing: warning: 1 record without any stance_<party> label left out" in err


def test_cli_json(capsys):
    code = main(["evaluate", CORPUS, "--lexicon", MINI, "--json", "--misses", "1"])
    out, _ = capsys.readouterr()
    data = json.loads(out)
    lexicon = data["figures"]["lexicon"]
    assert code == 0 and data["n"] == 6 and data["unlabelled"] == 1
    assert lexicon["lean_accuracy"] == 0.5 and lexicon["parties"]["lna"]["confusion"]["neutral"]["abstain"] == 3
    assert [m["id"] for m in data["misses"]] == ["t6"]


def test_cli_several_files_are_one_corpus(tmp_path, capsys):
    # The labelled corpus cut in two files, the second gzipped: the same figures and the same misses.
    import gzip

    lines = (DATA / "labelled.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl.gz"
    first.write_text("".join(lines[:3]), encoding="utf-8")
    second.write_bytes(gzip.compress("".join(lines[3:]).encode()))
    assert main(["evaluate", CORPUS, "--lexicon", MINI, "--json", "--misses", "6", "--by", "outlet"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert main(["evaluate", str(first), str(second), "--lexicon", MINI, "--json", "--misses", "6", "--by", "outlet"]) == 0
    several = json.loads(capsys.readouterr().out)
    assert several["n"] == whole["n"] == 6 and several["unlabelled"] == whole["unlabelled"] == 1
    assert several["figures"] == whole["figures"] and several["by"] == whole["by"]
    assert [m["id"] for m in several["misses"]] == [m["id"] for m in whole["misses"]]
    assert several["source"] == f"{first}, {second}"


@pytest.mark.parametrize("lines,args,message", [
    ([], [], "framing: error: {path}: no articles\n"),
    ([{"id": "a", "text": "هاجمت ميليشيات حفتر الحي."}], [], "framing: error: {path}: no record has a stance label;"),
    ([{"id": "a", "stance_lna": "hostile", "text": "هاجمت ميليشيات حفتر الحي."}], [], "field 'stance_lna' must be one of"),
    ([{"id": "a", "stance_egypt": "neutral", "text": "هاجمت ميليشيات حفتر الحي."}], [], "names no party of the lexicon"),
    ([{"id": "a", "stance_lna": "neutral", "evidence": "حفتر", "text": "هاجمت ميليشيات حفتر الحي."}], [],
     "field 'evidence' must be a list"),
    ([{"id": "a", "stance_lna": "neutral", "text": "هاجمت ميليشيات حفتر الحي."}], ["--by", "outlet"],
     "no record has a field 'outlet'"),
])
def test_bad_input_is_one_line(tmp_path, capsys, lines, args, message):
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    code = main(["evaluate", str(path), "--lexicon", MINI, *args])
    _, err = capsys.readouterr()
    assert code == 2 and message.format(path=path) in err and len(err.strip().splitlines()) == 1


UNLABELLED = {"id": "u", "text": "هاجمت ميليشيات حفتر الحي."}


@pytest.mark.parametrize("contents,message", [
    ([[], []], "no articles"),
    ([[UNLABELLED], []], "no record has a stance label;"),
    ([[], [], [], []], "no articles"),
])
def test_several_inputs_are_named_as_text(tmp_path, capsys, contents, message):
    paths = [tmp_path / f"c{i}.jsonl" for i in range(len(contents))]
    for path, lines in zip(paths, contents):
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    code = main(["evaluate", *map(str, paths), "--lexicon", MINI])
    _, err = capsys.readouterr()
    named = ", ".join(map(str, paths)) if len(paths) <= 3 else f"{paths[0]}, {paths[1]} and {len(paths) - 2} more"
    assert code == 2 and err.startswith(f"framing: error: {named}: {message}") and err.count("\n") == 1


def test_an_empty_file_among_labelled_ones_is_no_error(tmp_path, capsys):
    empty, labelled = tmp_path / "e.jsonl", tmp_path / "l.jsonl"
    empty.write_text("", encoding="utf-8")
    labelled.write_text(json.dumps(dict(UNLABELLED, stance_lna="unfavorable"), ensure_ascii=False) + "\n",
                        encoding="utf-8")
    assert main(["evaluate", str(empty), str(labelled), "--lexicon", MINI, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 1 and result["unlabelled"] == 0


def test_single_article_is_refused(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("هاجمت ميليشيات حفتر الحي.", encoding="utf-8")
    assert main(["evaluate", str(path), "--lexicon", MINI]) == 2
    assert "needs a labelled corpus" in capsys.readouterr().err


def test_skip_bad_counts_the_skipped(tmp_path, capsys):
    path = tmp_path / "c.jsonl"
    rows = [{"id": "a", "stance_lna": "unfavorable", "text": "هاجمت ميليشيات حفتر الحي."},
            {"id": "b", "stance_lna": "hostile", "text": "هاجمت ميليشيات حفتر الحي."}]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows), encoding="utf-8")
    code = main(["evaluate", str(path), "--lexicon", MINI, "--skip-bad", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["n"] == 1
    assert "c.jsonl:2" in err and "1 skipped" in err


def test_model_is_evaluated_beside_the_lexicon(tmp_path, capsys):
    from framing.corpus import read_records
    from framing.labels import read_labelled
    from framing.model import StanceModel, save_model

    train = read_labelled(read_records(str(DATA / "stance.jsonl")))
    model = StanceModel(MINI).fit(train.texts, train.labels)
    result = evaluate(CORPUS, lexicon=MINI, model=model)
    texts = [r.text for r in read_records(CORPUS) if "stance_lna" in r.meta]
    predicted = model.predict(texts)
    lna = [row["lna"]["label"] for row in predicted]
    assert [it.readings["model"].stances["lna"] for it in result.items] == lna
    confusion = result.figures["model"].parties["lna"].confusion
    assert sum(row["abstain"] for row in confusion.values()) == 0  # a model never abstains
    assert result.figures["model"].evidence is None

    path = tmp_path / "m.skops"
    save_model(model, path)
    assert main(["evaluate", CORPUS, "--lexicon", MINI, "--model", str(path)]) == 0
    out = capsys.readouterr().out
    assert "lna (model): gold rows, reading columns" in out
    assert "lna (combined): gold rows, reading columns" in out


@pytest.mark.parametrize("value", ["-1", "many"])
def test_misses_must_be_a_count(capsys, value):
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", CORPUS, "--lexicon", MINI, "--misses", value])
    assert exc.value.code == 2 and "--misses" in capsys.readouterr().err


def test_any_number_of_sides(three_sides, tmp_path):
    rows = [{"id": "1", "stance_a": "favorable", "text": "فاز الفريق بالمباراة."},
            {"id": "2", "stance_a": "unfavorable", "stance_b": "unfavorable", "text": "خسر الفريق مرة أخرى."},
            {"id": "3", "stance_d": "neutral", "text": "تأجلت المباراة."}]
    path = tmp_path / "three.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = evaluate(str(path), lexicon=str(three_sides.path))
    assert result.counts() == {"pro_a": 1, "pro_b": 0, "pro_c": 1, "neutral": 1}
    assert result.parties == ("a", "b", "d")
    f = result.figures["lexicon"]
    assert (f.sided, f.lean_given, f.neutral_given_lean) == (2, 0, 0)  # the lexicon has no evaluative words
    assert f.text_stance.labels == ("pro_a", "pro_c", "neutral")


# A field's value and the group it puts a text in, as evaluate and compare both name it; the
# must-nots: true is not the number 1, nor false 0, and an empty value is no group of its own.
GROUP_KEYS = [
    ("Benghazi Courier", "Benghazi Courier"),
    ("", "(missing)"),
    (None, "(missing)"),
    (True, "true"),
    (False, "false"),
    (1, "1"),
    (0, "0"),
    (2019, "2019"),
    (2.5, "2.5"),
    (["a", "b"], "['a', 'b']"),
]


@pytest.mark.parametrize("value,name", GROUP_KEYS)
def test_evaluate_and_compare_name_a_group_alike(tmp_path, value, name):
    from framing.schema import group_name
    from framing.table import group_keys, score_corpus

    records = [{"id": "a", "flag": value, "stance_lna": "unfavorable", "text": "هاجمت ميليشيات حفتر الحي."}]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert list(evaluate(str(path), lexicon=MINI, by="flag").groups) == [name]
    assert [group_name(g) for g in group_keys(score_corpus(str(path), lexicon=MINI), "flag")] == [name]


@pytest.mark.parametrize("value,name", [*GROUP_KEYS, (float("nan"), "(missing)")])
def test_a_group_key_names_a_value(value, name):
    from framing.schema import group_key, group_name

    # NaN comes from a table's float column, never from a JSON record
    assert group_name(group_key(value)) == name
