"""`framing score A B C`: several files scored in turn, as one corpus, on one core or every core."""

import gzip
import io
import json

import pytest

from framing import Scorer
from framing.cli import main

TEXTS = ["قصفت ميليشيات حفتر الأحياء السكنية في طرابلس.", "تقدمت قوات الوفاق الشرعية نحو ترهونة.",
         "وقال المتحدث: «إن قواتنا الباسلة صدت الهجوم على العاصمة»."]


def _jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


@pytest.fixture
def files(tmp_path):
    """Three corpora of other kinds: JSON Lines, gzipped JSON Lines, CSV (the same fields)."""
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz", tmp_path / "c.csv"
    a.write_bytes(_jsonl([{"id": f"a{k}", "outlet": "X", "text": TEXTS[k % 3]} for k in range(70)]))
    b.write_bytes(gzip.compress(_jsonl([{"id": f"b{k}", "outlet": "Y", "text": TEXTS[(k + 1) % 3]} for k in range(5)])))
    c.write_text("id,outlet,text\n" + "".join(f"c{k},Z,{TEXTS[(k + 2) % 3]}\n" for k in range(9)), encoding="utf-8")
    return [a, b, c]


@pytest.mark.parametrize("options", [["--json"], ["--format", "jsonl"], []])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_several_files_give_what_each_gives_in_turn(files, tmp_path, capsys, options, jobs):
    alone = []
    for path in files:
        assert main(["score", str(path), *options, "--jobs", "1"]) == 0
        alone.append(capsys.readouterr().out)
    assert main(["score", *map(str, files), *options, "--jobs", jobs]) == 0
    assert capsys.readouterr().out == "".join(alone)


# Inputs among the options are inputs still, in the order given; an unknown option is not one.
@pytest.mark.parametrize("head, options", [
    (["score"], ["--json"]),
    (["score"], ["--jobs", "1"]),
    (["kwic", "ميليشيات"], ["--width", "30"]),
    (["compare"], ["--by", "outlet"]),
])
def test_inputs_may_follow_options(files, capsys, head, options):
    a, b, c = map(str, files)
    assert main([*head, a, b, c, *options]) == 0
    together = capsys.readouterr().out
    assert main([*head, a, *options, b, c]) == 0
    assert capsys.readouterr().out == together
    assert main([*head, *options, a, b, c]) == 0
    assert capsys.readouterr().out == together
    with pytest.raises(SystemExit):
        main([*head, a, "--bogus", b])
    assert capsys.readouterr().err == f"framing {head[0]}: error: unrecognized arguments: --bogus {b}\n"


def test_a_csv_table_of_several_files_has_one_header(files, tmp_path):
    out = tmp_path / "scores.csv"
    assert main(["score", *map(str, files), "--format", "csv", "-o", str(out), "--jobs", "2"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 70 + 5 + 9 and lines[0].startswith("where,id,outlet,")
    where = [line.split(",")[0] for line in lines[1:]]  # each file's records named by its own lines
    assert [where[0], where[69], where[70], where[75], where[-1]] == [
        f"{files[0]}:1", f"{files[0]}:70", f"{files[1]}:1", f"{files[2]}:2", f"{files[2]}:10"]


def test_skips_are_counted_over_every_file(files, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": ""}\nnot json\n', encoding="utf-8")
    assert main(["score", str(files[0]), str(bad), str(files[2]), "--json", "--skip-bad", "--jobs", "2"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 79 and f"{bad}:1" in err and f"{bad}:2" in err
    assert "79 articles processed, 2 skipped" in err


@pytest.mark.parametrize("extra, message", [
    (["{tmp}/missing.jsonl"], "missing.jsonl: no such file"),
    (["{tmp}/empty"], "empty: the directory holds no file to read"),
    (["{tmp}/hidden"], "hidden: the directory holds no file to read"),
    (["{tmp}/s.parquet"], "s.parquet: is a directory of scores"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    (["-o", "{tmp}/b.jsonl.gz"], "b.jsonl.gz: is also an input of this command"),
    (["{tmp}/docs", "-o", "{tmp}/docs/sub/out.jsonl"], "out.jsonl: is inside"),
])
def test_a_bad_file_among_several_is_refused_before_any_work(files, tmp_path, capsys, monkeypatch, extra, message):
    """Each file is read in turn, but none is scored before all are known to be there."""
    monkeypatch.setattr("framing.scorer.scorer_for", lambda *a: pytest.fail("scored before refusing"))
    (tmp_path / "empty").mkdir()
    (tmp_path / "hidden" / ".cache").mkdir(parents=True)
    (tmp_path / "hidden" / ".cache" / "x.txt").write_text(TEXTS[0], encoding="utf-8")
    (tmp_path / "hidden" / ".notes.txt").write_text(TEXTS[0], encoding="utf-8")
    (tmp_path / "s.parquet").mkdir()
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    argv = ["score", *map(str, files), *[e.format(tmp=tmp_path) for e in extra], "--json"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert sorted(tmp_path.iterdir()) == before


# compare, chart, predict and kwic read several files as score does: in turn, as one corpus.

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_compare_of_several_files_is_compare_of_their_scores(files, tmp_path, capsys, jobs):
    # The table of `score A B C` names each record by its own file and line, as compare's reading
    # of A B C does: the bootstrap sees the same rows in the same order, so the intervals agree too.
    scores = tmp_path / "scores.parquet"
    assert main(["score", *map(str, files), "--format", "parquet", "-o", str(scores), "--jobs", "1"]) == 0
    assert main(["compare", str(scores), "--json", "--boot", "200"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert main(["compare", *map(str, files), "--json", "--boot", "200", "--jobs", jobs]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == expected
    assert {g["group"]: g["n"] for g in got} == {"X": 70, "Y": 5, "Z": 9}


@pytest.mark.parametrize("kind", ["outlets", "terms"])
def test_chart_of_several_files(files, tmp_path, capsys, kind):
    out = tmp_path / f"{kind}.png"
    assert main(["chart", *map(str, files), "--kind", kind, "-o", str(out), "--jobs", "1"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_kwic_of_several_files_gives_what_each_gives_in_turn(files, capsys):
    alone = []
    for path in files:
        assert main(["kwic", "حفتر", str(path), "--json"]) == 0
        alone.append(capsys.readouterr().out)
    assert main(["kwic", "حفتر", *map(str, files), "--json"]) == 0
    out = capsys.readouterr().out
    assert out == "".join(alone) and out.count("\n") == sum(a.count("\n") for a in alone) > 25


MISSING = ("{tmp}/missing.jsonl", "missing.jsonl: no such file")
SCORES = ("{tmp}/scores.parquet", "scores.parquet: a table of scores is read alone, not with other inputs")
COMMANDS = [["compare"], ["chart", "-o", "{tmp}/c.png"], ["report", "-o", "{tmp}/r.html"], ["evaluate"], ["train"],
            ["kwic", "حفتر"], ["predict", "{tmp}/model.skops"]]
REFUSED = [(command, *case) for command in COMMANDS for case in (MISSING, SCORES)]


@pytest.mark.parametrize("command, extra, message", REFUSED)
def test_a_file_that_cannot_join_the_others_is_refused_before_any_work(files, tmp_path, capsys, monkeypatch, command,
                                                                     extra, message):
    (tmp_path / "scores.parquet").write_bytes(b"PAR1")
    monkeypatch.setattr("framing.scorer.scorer_for", lambda *a: pytest.fail("scored before refusing"))
    monkeypatch.setattr("framing.concordance.lines", lambda *a, **k: pytest.fail("read before refusing"))
    monkeypatch.setattr("framing.model.load_model", lambda *a, **k: pytest.fail("loaded before refusing"))
    argv = [*[c.format(tmp=tmp_path) for c in command], str(files[0]), extra.format(tmp=tmp_path), str(files[2])]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "c.png").exists() and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("command", COMMANDS + [["score"]])
@pytest.mark.parametrize("inputs, refused", [
    (["-", "-"], True),
    (["{a}", "-", "{c}", "-"], True),
    (["-", "{a}"], False),  # standard input once, among other inputs: read
])
def test_standard_input_is_read_once(files, tmp_path, capsys, monkeypatch, command, inputs, refused):
    """A second `-` would read standard input empty, after the first one's output was written."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TEXTS[0].encode()), encoding="utf-8"))
    if refused:
        monkeypatch.setattr("framing.scorer.scorer_for", lambda *a: pytest.fail("scored before refusing"))
        monkeypatch.setattr("framing.concordance.lines", lambda *a, **k: pytest.fail("read before refusing"))
        monkeypatch.setattr("framing.model.load_model", lambda *a, **k: pytest.fail("loaded before refusing"))
    named = {"{a}": str(files[0]), "{c}": str(files[2])}
    argv = [*[c.format(tmp=tmp_path) for c in command], *[named.get(i, i) for i in inputs]]
    code = main(argv)
    err = capsys.readouterr().err
    message = "`-` (standard input, read once) must be given once. Got it 2 times instead"
    if refused:
        assert code == 2 and err == f"framing: error: {message}\n", err
        assert not (tmp_path / "c.png").exists() and not (tmp_path / "r.html").exists()
    else:
        assert message not in err


EMPTY = ["{tmp}/e1.jsonl", "{tmp}/e2.jsonl.gz"]
NOTHING = [  # (command, its inputs (None: the three files), what none of them holds)
    (["compare"], EMPTY, "no articles"),
    (["train"], EMPTY, "no articles"),
    (["evaluate"], EMPTY, "no articles"),
    (["train"], None, "no stance labels;"),
    (["evaluate"], None, "no record has a stance label;"),
    (["chart", "--kind", "article", "--id", "zz", "-o", "{tmp}/c.png"], None, "no article with id 'zz'"),
    (["report", "--id", "zz", "-o", "{tmp}/r.html"], None, "no article with id 'zz'"),
]


@pytest.mark.parametrize("command, inputs, message", NOTHING)
def test_what_none_of_several_files_holds_names_them_all(files, tmp_path, capsys, command, inputs, message):
    (tmp_path / "e1.jsonl").write_bytes(b"")
    (tmp_path / "e2.jsonl.gz").write_bytes(gzip.compress(b"\n"))
    paths = [p.format(tmp=tmp_path) for p in inputs] if inputs else list(map(str, files))
    assert main([*[c.format(tmp=tmp_path) for c in command], *paths]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"framing: error: {', '.join(paths)}: {message}") and err.count("\n") == 1, err


def test_report_of_several_files_names_them(files, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", *map(str, files), "-o", str(out), "--jobs", "1"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Framing by outlet: a.jsonl, b.jsonl.gz, c.csv" in page
    assert all(f">{outlet}<" in page for outlet in "XYZ")
    more = [tmp_path / f"d{k}.jsonl" for k in range(3)]
    for path in more:
        path.write_bytes(files[0].read_bytes())
    assert main(["report", *map(str, files), *map(str, more), "-o", str(out), "--jobs", "1"]) == 0
    assert "Framing by outlet: a.jsonl, b.jsonl.gz and 4 more" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["kwic", "حفتر"], ["compare"]])
def test_a_text_file_among_corpora_is_one_more_article(files, tmp_path, capsys, command):
    note = tmp_path / "note.txt"
    note.write_text(TEXTS[0], encoding="utf-8")
    assert main([*command, str(files[1]), str(note), "--json"]) == 0
    out = capsys.readouterr().out
    if command[0] == "kwic":
        lines = [json.loads(x) for x in out.splitlines()]
        assert lines[-1]["where"] == str(note) and len(lines) == 2
    else:  # no outlet field: a group of its own (shown as "(missing)" in the text table)
        assert {g["group"]: g["n"] for g in json.loads(out)} == {"Y": 5, None: 1}


# report and chart --kind article show one article: the one --id names among every input (a text
# file's id is its name), or a single text file's. Never one of several, silently.
PICK = [  # (inputs, --id, the article shown or the error)
    (["dup.jsonl"], "y", TEXTS[1]),
    (["one.txt"], None, TEXTS[2]),
    (["one.txt"], "one", TEXTS[2]),
    (["dup.jsonl", "one.txt"], "one", TEXTS[2]),
    (["dup.jsonl"], "x", "dup.jsonl: 2 articles with id 'x' ({tmp}/dup.jsonl:1, {tmp}/dup.jsonl:3)"),
    (["dup.jsonl", "other.jsonl"], "y", "2 articles with id 'y' ({tmp}/dup.jsonl:2, {tmp}/other.jsonl:1)"),
    (["one.txt"], "zz", "one.txt: no article with id 'zz'"),
    (["ids.jsonl"], "5", TEXTS[1]),                                   # a number is named by its digits
    (["ids.jsonl"], "None", "ids.jsonl: no article with id 'None'"),  # a null id, or none, is no id
    (["ids.jsonl"], "null", "ids.jsonl: no article with id 'null'"),
]


@pytest.mark.parametrize("command", [["report", "-o", "{tmp}/out.html"], ["chart", "--kind", "article", "-o", "{tmp}/out.png"]])
@pytest.mark.parametrize("inputs, wanted, shown", PICK)
def test_one_article_is_the_one_its_id_names(tmp_path, capsys, monkeypatch, command, inputs, wanted, shown):
    rows = [{"id": "x", "text": TEXTS[0]}, {"id": "y", "text": TEXTS[1]}, {"id": "x", "text": TEXTS[0]}]
    (tmp_path / "dup.jsonl").write_bytes(_jsonl(rows))
    (tmp_path / "other.jsonl").write_bytes(_jsonl([{"id": "y", "text": TEXTS[2]}]))
    (tmp_path / "one.txt").write_text(TEXTS[2], encoding="utf-8")
    (tmp_path / "ids.jsonl").write_bytes(_jsonl([{"id": None, "text": TEXTS[0]}, {"id": 5, "text": TEXTS[1]},
                                                 {"text": TEXTS[2]}]))
    scored = []
    monkeypatch.setattr("framing.scorer.Scorer.score", lambda self, text, meta=None, real=Scorer.score:
                        scored.append(text) or real(self, text, meta))
    argv = [c.format(tmp=tmp_path) for c in command] + [str(tmp_path / p) for p in inputs]
    code = main(argv + ([] if wanted is None else ["--id", wanted]))
    out = tmp_path / ("out.html" if command[0] == "report" else "out.png")
    err = capsys.readouterr().err
    if shown in TEXTS:
        assert code == 0 and scored == [shown] and out.exists()
    else:
        assert code == 2 and not scored and not out.exists()
        assert err.startswith("framing: error: ") and err.rstrip("\n").endswith(shown.format(tmp=tmp_path))
        assert err.count("\n") == 1


def test_several_text_files_are_a_corpus_not_their_first_article(tmp_path, capsys):
    paths = []
    for k, text in enumerate(TEXTS):
        paths.append(tmp_path / f"t{k}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", *map(str, paths), "--by", "id", "-o", str(out), "--jobs", "1"]) == 0
    page = out.read_text(encoding="utf-8")
    assert all(f">t{k}<" in page for k in range(3))
    assert main(["chart", *map(str, paths), "--kind", "article", "-o", str(tmp_path / "c.png")]) == 2
    assert "--kind article draws one article" in capsys.readouterr().err


def test_compare_of_several_text_files_is_compare_of_their_directory(tmp_path, capsys):
    folder = tmp_path / "texts"
    folder.mkdir()
    for k, text in enumerate(TEXTS):
        (folder / f"t{k}.txt").write_text(text, encoding="utf-8")
    assert main(["compare", str(folder), "--by", "id", "--json", "--jobs", "1"]) == 0
    whole = capsys.readouterr().out
    assert main(["compare", *(str(folder / f"t{k}.txt") for k in range(3)), "--by", "id", "--json", "--jobs", "1"]) == 0
    assert capsys.readouterr().out == whole
    assert sorted(g["group"] for g in json.loads(whole)) == ["t0", "t1", "t2"]
    # One text file is one article: nothing to compare.
    assert main(["compare", str(folder / "t0.txt")]) == 2
    assert "compare needs a corpus" in capsys.readouterr().err
