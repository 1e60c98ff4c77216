"""`framing train`, `framing predict` and `framing score --model` end to end on our small labelled
corpus, the JSON contracts, and every kind of bad input."""

import json
import re
import subprocess
import sys
from collections import Counter

import pytest

from framing import Scorer
from framing.cli import main
from framing.evaluation import lexicon_stances, metrics

from .adapters import MINI
from .conftest import DATA

CORPUS = str(DATA / "stance.jsonl")
RECORDS = [json.loads(line) for line in (DATA / "stance.jsonl").read_text(encoding="utf-8").splitlines()]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Train once: (metrics printed with --json, model path)."""
    path = tmp_path_factory.mktemp("train") / "stance.skops"
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["train", CORPUS, "--lexicon", MINI, "--cv", "3", "--json", "-o", str(path)])
    assert code == 0
    return json.loads(out.getvalue()), path


METRIC_KEYS = {"macro_f1", "accuracy", "n", "labels", "confusion", "per_class"}


def test_train_json_contract(trained):
    result, _ = trained
    assert list(result) == ["lna", "gna"]
    for party, r in result.items():
        labelled = [rec[f"stance_{party}"] for rec in RECORDS if f"stance_{party}" in rec]
        assert r["n"] == len(labelled) and r["counts"] == {c: n for c, n in sorted(Counter(labelled).items())}
        assert r["cv"] == {"scheme": "stratified", "folds": 3, "group_by": None}
        for m in (r, r["baselines"]["majority"], r["baselines"]["lexicon"]):
            assert METRIC_KEYS <= set(m) and m["n"] == len(labelled)
            assert sum(map(sum, m["confusion"])) == len(labelled) and 0 <= m["macro_f1"] <= 1 and 0 <= m["accuracy"] <= 1
        assert r["beats_lexicon"] == (r["macro_f1"] > r["baselines"]["lexicon"]["macro_f1"])


def test_baselines_are_what_they_claim(trained):
    """Majority: stratified folds keep the majority class, so it predicts 'neutral' everywhere.
    Lexicon: the scorer's narrator stance, abstention read as neutral, on the same articles."""
    result, _ = trained
    scorer = Scorer(MINI)
    for party, r in result.items():
        recs = [rec for rec in RECORDS if f"stance_{party}" in rec]
        truth = [rec[f"stance_{party}"] for rec in recs]
        majority = r["baselines"]["majority"]
        assert majority["accuracy"] == pytest.approx(truth.count("neutral") / len(truth), abs=1e-4)
        rule = lexicon_stances([rec["text"] for rec in recs], [party], scorer)[party]
        assert r["baselines"]["lexicon"] == metrics(truth, rule).to_dict()


def test_model_beats_majority_on_our_corpus(trained):
    result, _ = trained
    for r in result.values():
        assert r["macro_f1"] > r["baselines"]["majority"]["macro_f1"] + 0.3


def test_group_by_outlet_holds_out_whole_outlets(capsys):
    code, out, _ = run(capsys, "train", CORPUS, "--lexicon", MINI, "--group-by", "outlet", "--json", "--ngram", "word")
    result = json.loads(out)
    assert code == 0
    assert result["lna"]["cv"] == {"scheme": "grouped", "folds": 3, "group_by": "outlet"}  # 3 outlets, asked 5
    # every outlet's articles were predicted by a model that never saw that outlet: the majority
    # baseline of a fold is the majority of the other two outlets, still 'neutral' here
    assert result["lna"]["baselines"]["majority"]["confusion"][1][1] == 20


def test_text_report_says_when_the_lexicon_rule_wins(tmp_path, capsys):
    """Labels that ARE the lexicon rule: no model can beat it, and the report must say so."""
    scorer = Scorer(MINI)
    records = [dict(r, stance_gna=scorer.score(r["text"]).parties["gna"].stance or "neutral") for r in RECORDS]
    for r in records:
        r.pop("stance_lna")
    path = _jsonl(tmp_path / "rule.jsonl", records)
    code, out, _ = run(capsys, "train", path, "--lexicon", MINI, "--cv", "3")
    assert code == 0
    assert re.search(r"baseline: lexicon +1\.000 +1\.000", out)
    assert "the model does NOT beat the lexicon-only rule for gna" in out  # at best it ties


def test_predict_json_contract(trained, capsys):
    _, model = trained
    code, out, err = run(capsys, "predict", str(model), CORPUS, "--json")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and not err
    assert [x["id"] for x in lines] == [r["id"] for r in RECORDS]  # one line per article, in order
    for x in lines:
        assert set(x) == {"id", "stance"} and set(x["stance"]) == {"lna", "gna"}
        for s in x["stance"].values():
            assert set(s) == {"label", "proba"} and set(s["proba"]) == {"favorable", "neutral", "unfavorable"}
    right = sum(x["stance"]["lna"]["label"] == r["stance_lna"] for x, r in zip(lines, RECORDS))
    assert right >= 0.9 * len(RECORDS)  # the training articles themselves


def test_train_on_several_files_is_train_on_their_records_in_turn(trained, tmp_path, capsys):
    result, _ = trained
    half = len(RECORDS) // 2
    first = _jsonl(tmp_path / "first.jsonl", RECORDS[:half])
    second = _jsonl(tmp_path / "second.jsonl", RECORDS[half:])
    code, out, _ = run(capsys, "train", first, second, "--lexicon", MINI, "--cv", "3", "--json")
    assert code == 0 and json.loads(out) == result


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_predict_of_several_files_is_predict_of_their_records_in_turn(trained, tmp_path, capsys, jobs):
    import gzip

    _, model = trained
    code, whole, _ = run(capsys, "predict", str(model), CORPUS, "--json", "--jobs", "1")
    half = len(RECORDS) // 2
    first = _jsonl(tmp_path / "first.jsonl", RECORDS[:half])
    second = tmp_path / "second.jsonl.gz"
    second.write_bytes(gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                             for r in RECORDS[half:]).encode()))
    code, out, err = run(capsys, "predict", str(model), first, str(second), "--json", "--jobs", jobs)
    assert code == 0 and not err
    assert out == whole and out.count("\n") == len(RECORDS)


def test_predict_explain_and_text_output(trained, capsys):
    _, model = trained
    code, out, _ = run(capsys, "predict", str(model), CORPUS, "--json", "--explain", "3")
    first = json.loads(out.splitlines()[0])
    assert code == 0 and len(first["explanation"]["lna"]["toward"]) <= 3
    code, out, _ = run(capsys, "predict", str(model), CORPUS, "--explain", "2")
    assert code == 0 and out.startswith("east-voice-01: lna favorable (")
    assert "  lna toward favorable: " in out


def test_predict_single_text_file(trained, tmp_path, capsys):
    _, model = trained
    article = tmp_path / "article.txt"
    article.write_text("صدت قوات الوفاق الباسلة عدوان ميليشيات حفتر على طرابلس.", encoding="utf-8")
    code, out, _ = run(capsys, "predict", str(model), str(article), "--json")
    result = json.loads(out)
    assert code == 0 and result["id"] == "article"
    assert result["stance"]["lna"]["label"] == "unfavorable" and result["stance"]["gna"]["label"] == "favorable"


def test_score_with_model(trained, tmp_path, capsys):
    _, model = trained
    article = tmp_path / "article.txt"
    article.write_text("قصفت ميليشيات حفتر الأحياء السكنية في طرابلس.", encoding="utf-8")
    code, out, err = run(capsys, "score", str(article), "--lexicon", MINI, "--model", str(model))
    assert code == 0 and not err
    assert "classifier stance:" in out and "lna             unfavorable" in out
    assert "combined stance" in out and "(from the classifier)" in out
    code, out, _ = run(capsys, "score", str(article), "--lexicon", MINI, "--model", str(model), "--json")
    result = json.loads(out)
    assert result["parties"]["lna"]["stance"] == "unfavorable" and result["model"]["lna"]["label"] == "unfavorable"
    # one loaded word is not strong evidence: the combined stance is the classifier's
    assert result["combined"]["lna"] == {"stance": "unfavorable", "source": "classifier"}
    assert result["combined"]["gna"]["source"] == "classifier"
    assert set(result["combined"]) == set(result["model"])


def test_score_corpus_with_model_matches_predict(trained, tmp_path, capsys, monkeypatch):
    """Batched predictions in `score --model` keep articles in order, one line each, skips reported."""
    from framing.commands import score

    _, model = trained
    monkeypatch.setattr(score, "BATCH", 4)  # several batches and a partial last one
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS[:10]]
    lines.insert(5, "{broken")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(corpus), "--lexicon", MINI, "--model", str(model), "--json", "--skip-bad")
    scored = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [r["id"] for r in scored] == [r["id"] for r in RECORDS[:10]]
    assert "1 skipped" in err
    _, out, _ = run(capsys, "predict", str(model), str(corpus), "--json", "--skip-bad")
    assert [r["model"] for r in scored] == [json.loads(x)["stance"] for x in out.splitlines()]


def test_score_with_model_and_another_lexicon_warns(trained, tmp_path, capsys):
    _, model = trained
    article = tmp_path / "article.txt"
    article.write_text("قصفت ميليشيات حفتر الأحياء.", encoding="utf-8")
    code, _, err = run(capsys, "score", str(article), "--lexicon", str(DATA / "forms"), "--model", str(model))
    assert code == 0 and "warning:" in err and "trained with lexicon mini" in err


def _bad_label(tmp_path):
    records = [dict(r) for r in RECORDS]
    records[4]["stance_gna"] = "positive"
    return _jsonl(tmp_path / "c.jsonl", records)


def _unknown_party(tmp_path):
    records = [dict(r) for r in RECORDS]
    records[2]["stance_egypt"] = "neutral"
    return _jsonl(tmp_path / "c.jsonl", records)


def _unlabelled(tmp_path):
    return _jsonl(tmp_path / "c.jsonl", [{"id": r["id"], "text": r["text"]} for r in RECORDS])


def _no_outlet(tmp_path):
    records = [dict(r) for r in RECORDS]
    del records[7]["outlet"]
    return _jsonl(tmp_path / "c.jsonl", records)


def _empty(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text("\n", encoding="utf-8")
    return str(p)


def _one_outlet(tmp_path):
    return _jsonl(tmp_path / "c.jsonl", [dict(r, outlet="same") for r in RECORDS])


def _single_class(tmp_path):
    return _jsonl(tmp_path / "c.jsonl", [{"id": r["id"], "text": r["text"], "stance_lna": "neutral"} for r in RECORDS])


def _text_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("نص", encoding="utf-8")
    return str(p)


# (corpus maker, extra options, exit code, message on stderr)
BAD_TRAINING = [
    (_bad_label, [], 2, r"c\.jsonl:5: field 'stance_gna' must be one of favorable, neutral, unfavorable. Got 'positive'"),
    (_unknown_party, [], 2, r"c\.jsonl:3: field 'stance_egypt' names no party of the lexicon"),
    (lambda t: CORPUS, ["--cv", "6"], 2,
     (r"party 'gna': too few labelled articles for 6-fold cross-validation: class 'favorable' has 5 "
      r"\(counts: favorable 5, neutral 18, unfavorable 9\)")),
    (_empty, [], 2, r"c\.jsonl: no articles"),
    (_unlabelled, [], 2, "no stance labels"),
    (_no_outlet, ["--group-by", "outlet"], 2, r"c\.jsonl:8: no 'outlet' field for --group-by outlet"),
    (_one_outlet, ["--group-by", "outlet"], 2, "needs at least two distinct values"),
    (_single_class, [], 2, "all 36 labelled articles are 'neutral'; a classifier needs at least two classes"),
    (_text_file, [], 2, "training needs a labelled corpus"),
]


BAD_TRAINING += [
    (lambda t: CORPUS, ["-o", "/nonexistent-dir/m.skops"], 2, "directory /nonexistent-dir does not exist"),
    (lambda t: CORPUS, ["-o", str(DATA)], 2, "cannot write the model: it is a directory"),
]


@pytest.mark.parametrize("make,options,code,message", BAD_TRAINING)
def test_bad_training_input(tmp_path, capsys, make, options, code, message):
    got, out, err = run(capsys, "train", make(tmp_path), "--lexicon", MINI, *options)
    assert got == code and not out
    assert err.count("\n") == 1 and re.search(message, err), err


def test_skip_bad_skips_and_counts(tmp_path, capsys):
    code, out, err = run(capsys, "train", _bad_label(tmp_path), "--lexicon", MINI, "--cv", "3", "--json", "--skip-bad")
    result = json.loads(out)
    assert code == 0 and "skipped:" in err and "35 articles processed, 1 skipped" in err
    assert result["lna"]["n"] == 35


@pytest.mark.parametrize("argv,message", [
    (["train", CORPUS, "--cv", "1"], "argument --cv: must be at least 2. Got 1 instead"),
    (["train", CORPUS, "--cv", "many"], "argument --cv: must be an integer. Got 'many' instead"),
    (["train", CORPUS, "--top", "-1", "-o", "m.skops"], "argument --top: must be at least 0. Got -1 instead"),
    (["train", CORPUS, "--top", "all"], "argument --top: must be an integer. Got 'all' instead"),
])
def test_bad_options(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and not out and err == f"framing train: error: {message}\n"


@pytest.mark.parametrize("content", [b"not a model", b"PK\x03\x04garbage"])
def test_predict_with_a_file_that_is_no_model(tmp_path, capsys, content):
    bad = tmp_path / "m.skops"
    bad.write_bytes(content)
    code, out, err = run(capsys, "predict", str(bad), CORPUS)
    assert code == 4 and not out and err.startswith("framing: error: ") and err.count("\n") == 1


def test_cli_start_up_does_not_import_scikit_learn():
    code = ("import sys; from framing.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('sklearn', 'skops', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(DATA.parent.parent)).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("fmt", [["--json"], []])
def test_score_with_model_is_the_same_on_every_core(trained, capsys, fmt):
    _, model = trained
    outputs = [run(capsys, "score", CORPUS, "--model", str(model), "--lexicon", MINI, "--jobs", jobs, *fmt)
               for jobs in ("1", "2")]
    assert outputs[0] == outputs[1] and outputs[0][0] == 0
    if fmt:
        assert all("model" in json.loads(line) for line in outputs[0][1].splitlines())


@pytest.mark.parametrize("matches", [False, True])
def test_score_with_model_to_parquet_is_the_same_file_on_every_core(trained, capsys, tmp_path, matches):
    # the model's columns converted to Arrow in the workers, as the scores'
    import pyarrow.parquet as pq

    _, model = trained
    files = []
    for jobs in ("1", "2"):
        out, long_table = tmp_path / f"s{jobs}.parquet", tmp_path / f"m{jobs}.parquet"
        argv = ["score", CORPUS, "--model", str(model), "--lexicon", MINI, "--jobs", jobs, "--format", "parquet",
                "-o", str(out), *(["--matches", str(long_table)] if matches else [])]
        assert run(capsys, *argv)[0] == 0
        files.append((out.read_bytes(), long_table.read_bytes() if matches else b""))
    assert files[0] == files[1]
    types = {f.name: str(f.type) for f in pq.read_schema(tmp_path / "s1.parquet")}
    labels = [t for name, t in types.items() if name.startswith("model.") and name.endswith(".label")]
    probabilities = [t for name, t in types.items() if name.startswith("model.") and not name.endswith(".label")]
    assert labels and set(labels) == {"string"} and probabilities and set(probabilities) == {"double"}


@pytest.mark.parametrize("options", [["--json"], ["--explain", "2"], ["--json", "--explain", "1"]])
def test_predict_is_the_same_on_every_core(trained, capsys, options):
    _, model = trained
    outputs = [run(capsys, "predict", str(model), CORPUS, *options, "--jobs", jobs) for jobs in ("1", "2")]
    assert outputs[0] == outputs[1] and outputs[0][0] == 0 and outputs[0][1].count("\n") >= len(RECORDS)
