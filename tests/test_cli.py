"""The `framing score` command on our example articles, and every kind of bad input."""

import json
import subprocess
import sys

import pytest

from framing.cli import COMMANDS, build_parser, command_named, main

from .conftest import DATA, EXAMPLES

MINI = str(DATA / "mini")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report(capsys):
    code, out, err = run(capsys, "score", str(EXAMPLES / "pro_gna.txt"))
    assert code == 0 and not err
    assert "lean: gna (from the narrator's own words)" in out
    assert "evidence:" in out and "construct" in out


@pytest.mark.parametrize("name,lean,lna,gna", [
    ("pro_gna", "gna", "unfavorable", "favorable"),
    ("pro_lna", "lna", "favorable", "unfavorable"),
    ("wire", None, "neutral", "neutral"),           # both spokesmen quoted, neutral narrator
    ("rights_report", None, "neutral", None),       # the condemnations are the report's; the GNA goes unnamed
])
def test_example_articles_json(capsys, name, lean, lna, gna):
    path = EXAMPLES / f"{name}.txt"
    code, out, _ = run(capsys, "score", str(path), "--json")
    result = json.loads(out)
    text = path.read_text(encoding="utf-8")
    assert code == 0 and result["id"] == name and result["lean"] == lean
    assert (result["parties"]["lna"]["stance"], result["parties"]["gna"]["stance"]) == (lna, gna)
    assert all(text[m["start"]:m["end"]] == m["text"] for m in result["matches"])


def test_stdin(monkeypatch, capsys):
    import io

    text = "قصفت ميليشيات حفتر الأحياء."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run(capsys, "score", "-", "--json", "--lexicon", MINI)
    assert code == 0 and json.loads(out)["parties"]["lna"]["unfavorable"] == 1
    assert json.loads(out)["id"] == "<stdin>"


@pytest.mark.parametrize("options,ids", [
    # Standard input among other inputs is named in every output, as a text file is by its name.
    (("--json",), lambda out: [json.loads(line)["id"] for line in out.splitlines()]),
    (("--format", "jsonl"), lambda out: [json.loads(line)["id"] for line in out.splitlines()]),
    (("--format", "csv"), lambda out: [row.split(",")[1] for row in out.splitlines()[1:]]),  # where, id, ...
])
def test_stdin_among_inputs_has_an_id(monkeypatch, capsys, tmp_path, options, ids):
    import io

    (tmp_path / "first.txt").write_text("قصفت ميليشيات حفتر الأحياء.", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("حكومة الوفاق الشرعية.".encode())))
    code, out, err = run(capsys, "score", str(tmp_path / "first.txt"), "-", *options, "--lexicon", MINI)
    assert code == 0 and not err and ids(out) == ["first", "<stdin>"]


def _jsonl(tmp_path, lines, name="c.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


GOOD = json.dumps({"id": "a", "outlet": "X", "date": "2020-01-01", "text": "قصفت ميليشيات حفتر الأحياء."}, ensure_ascii=False)


def test_corpus_keeps_fields_and_counts(tmp_path, capsys):
    no_id = json.dumps({"text": "تقدمت ميليشيات الوفاق."}, ensure_ascii=False)
    p = _jsonl(tmp_path, [GOOD, "", no_id])
    code, out, _ = run(capsys, "score", str(p), "--json", "--lexicon", MINI)
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [r["id"] for r in rows] == ["a", f"{p}:3"]
    assert rows[0]["outlet"] == "X" and rows[0]["date"] == "2020-01-01"


def test_csv_saved_by_a_spreadsheet_with_bom_and_crlf(tmp_path, capsys):
    p = tmp_path / "c.csv"
    p.write_bytes("\ufefftext,id\r\n\"قصفت ميليشيات حفتر الأحياء.\",7\r\n".encode("utf-8"))
    code, out, _ = run(capsys, "score", str(p), "--json", "--lexicon", MINI)
    assert code == 0 and json.loads(out)["id"] == "7"


def test_csv_corpus_with_text_field(tmp_path, capsys):
    p = tmp_path / "c.csv"
    p.write_text('id,body\n1,"قصفت ميليشيات حفتر الأحياء."\n2,"تقدمت ميليشيات الوفاق."\n', encoding="utf-8")
    code, out, _ = run(capsys, "score", str(p), "--json", "--text-field", "body", "--lexicon", MINI)
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [r["id"] for r in rows] == ["1", "2"]


BAD_RECORDS = [
    ("{not json", "invalid JSON"),
    ('{"id": "b"}', "no 'text' field"),
    ('{"id": "b", "text": ""}', "is empty"),
    ('{"id": "b", "text": 7}', "must be a string"),
    ('{"id": "b", "text": null}', "field 'text' must be a string. Got null instead"),
    ('["a list"]', "must be a JSON object"),
]


@pytest.mark.parametrize("line,words", BAD_RECORDS)
def test_bad_record_stops_with_its_line(tmp_path, capsys, line, words):
    p = _jsonl(tmp_path, [GOOD, line, GOOD])
    code, _out, err = run(capsys, "score", str(p), "--json", "--lexicon", MINI)
    assert code == 2 and f"{p}:2: " in err and words in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("line,words", BAD_RECORDS)
def test_skip_bad_reports_and_continues(tmp_path, capsys, line, words):
    p = _jsonl(tmp_path, [GOOD, line, GOOD])
    code, out, err = run(capsys, "score", str(p), "--json", "--skip-bad", "--lexicon", MINI)
    assert code == 0 and len(out.splitlines()) == 2
    assert f"skipped: {p}:2: " in err and "2 articles processed, 1 skipped" in err


def test_non_utf8_line_in_corpus(tmp_path, capsys):
    p = tmp_path / "c.jsonl"
    p.write_bytes(GOOD.encode() + b"\n" + '{"text": "ميليشيات"}'.encode("cp1256") + b"\n")
    code, _, err = run(capsys, "score", str(p), "--lexicon", MINI)
    assert code == 2 and f"{p}:2: not valid utf-8" in err and "--encoding" in err


def test_encoding_override(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_bytes("قصفت ميليشيات حفتر الأحياء.".encode("cp1256"))
    code, _, err = run(capsys, "score", str(p), "--lexicon", MINI)
    assert code == 2 and "not valid utf-8" in err
    code, out, _ = run(capsys, "score", str(p), "--json", "--encoding", "cp1256", "--lexicon", MINI)
    assert code == 0 and json.loads(out)["parties"]["lna"]["unfavorable"] == 1


@pytest.mark.parametrize("make,words,exit_code", [
    (lambda d: d / "missing.txt", "no such file", 2),
    (lambda d: d, "the directory holds no file to read", 2),
    (lambda d: (d / "s.parquet").mkdir() or d / "s.parquet", "s.parquet: is a directory of scores", 2),
    (lambda d: (d / "e.txt").write_text("  \n") and d / "e.txt", "e.txt: empty text", 2),
])
def test_bad_files(tmp_path, capsys, make, words, exit_code):
    code, _, err = run(capsys, "score", str(make(tmp_path)), "--lexicon", MINI)
    assert code == exit_code and words in err and err.startswith("framing: error: ")


# Each article's warning on stderr, the first five of each warning by name, then how many more.
@pytest.mark.parametrize("marked, english, lines", [
    (0, 1, ["c.jsonl:1: no Arabic text"]),
    (5, 0, [f"c.jsonl:{k}: holds HTML markup" for k in range(1, 6)]),
    (8, 2, [*(f"c.jsonl:{k}: holds HTML markup" for k in range(1, 6)), "c.jsonl:9: no Arabic text",
            "c.jsonl:10: no Arabic text", "3 more articles: holds HTML markup"]),
])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_warnings_name_five_articles_then_count(tmp_path, capsys, marked, english, lines, jobs):
    rows = [{"id": f"m{k}", "text": "<p>قصفت الميليشيات المدينة</p>"} for k in range(marked)]
    rows += [{"id": f"e{k}", "text": "Nothing in Arabic here."} for k in range(english)]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    code, out, err = run(capsys, "score", str(path), "--json", "--lexicon", MINI, "--jobs", jobs)
    assert code == 0 and len(out.splitlines()) == marked + english
    warned = [line.removeprefix("framing: warning: ").removeprefix(str(tmp_path) + "/") for line in err.splitlines()]
    assert len(warned) == len(lines) and all(w.startswith(want) for w, want in zip(warned, lines)), warned


def test_no_arabic_warns(tmp_path, capsys):
    p = tmp_path / "en.txt"
    p.write_text("Nothing in Arabic here.", encoding="utf-8")
    code, out, err = run(capsys, "score", str(p), "--json", "--lexicon", MINI)
    assert code == 0 and "no Arabic text" in err and json.loads(out)["matches"] == []


def test_malformed_lexicon_exit_code(tmp_path, capsys):
    import shutil

    d = tmp_path / "lx"
    shutil.copytree(DATA / "mini", d)
    with open(d / "terms.tsv", "a", encoding="utf-8") as f:
        f.write("مرتزقة جدد\tevaluative\t\tunfavorable\tnoun\tx\tmany\tg\n")
    code, _, err = run(capsys, "score", str(EXAMPLES / "wire.txt"), "--lexicon", str(d))
    assert code == 3 and f"{d / 'terms.tsv'}:" in err and "weight must be a number" in err


def test_unknown_lexicon(capsys):
    code, _, err = run(capsys, "score", str(EXAMPLES / "wire.txt"), "--lexicon", "atlantis")
    assert code == 3 and "unknown lexicon 'atlantis'" in err


def test_lexicon_check_command(capsys):
    code, out, _ = run(capsys, "lexicon", "check", MINI)
    assert code == 0 and "mini: OK" in out


def test_module_entry_point_and_usage_error():
    ok = subprocess.run([sys.executable, "-m", "framing", "score", str(EXAMPLES / "wire.txt"), "--json"],
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and json.loads(ok.stdout)["id"] == "wire"
    bad = subprocess.run([sys.executable, "-m", "framing", "score"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and bad.stderr == "framing score: error: the following arguments are required: INPUT\n"


# A usage mistake: the one line the command's own parser gives (never the top-level usage)
USAGE_ERRORS = [
    (["score", "a.txt", "--bogus"], "framing score: error: unrecognized arguments: --bogus"),
    (["predict", "m.skops", "c.jsonl", "-o", "x"], "framing predict: error: unrecognized arguments: -o x"),
    (["compare", "demo", "--top", "3"], "framing compare: error: unrecognized arguments: --top 3"),
    (["lexicon", "list", "--bogus"], "framing lexicon list: error: unrecognized arguments: --bogus"),
    (["lexicon", "--bogus", "list"], "framing lexicon: error: unrecognized arguments: --bogus"),
    (["--bogus", "score", "a.txt"], "framing: error: unrecognized arguments: --bogus"),
    (["score", "a.txt", "--b\x1b[31mogus"], "framing score: error: unrecognized arguments: --b\\x1b[31mogus"),
    (["score"], "framing score: error: the following arguments are required: INPUT"),
    (["kwic"], "framing kwic: error: the following arguments are required: PATTERN, INPUT"),
    (["predict", "m.skops"], "framing predict: error: the following arguments are required: INPUT"),
    (["lexicon"], "framing lexicon: error: the following arguments are required: ACTION"),
    (["chart", "demo", "-o", "x.png", "--kind", "pie"],
     ("framing chart: error: argument --kind: invalid choice: 'pie' (choose from 'article', 'outlets', 'terms', "
      "'trend', 'distinctive')")),
]


@pytest.mark.parametrize("argv,line", USAGE_ERRORS)
def test_a_usage_error_is_one_line_from_the_command(capsys, argv, line):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and not out and err == line + "\n"


# The command a command line runs, which build_parser builds alone; None: the whole parser.
COMMAND_NAMED = [
    (["score", "a.jsonl", "--json"], "score"),
    (["lexicon", "check", "demo"], "lexicon"),
    (["-h", "kwic"], "kwic"),            # the top level's options take no value
    (["--version"], None),
    ([], None),
    (["scor", "a.jsonl"], None),         # mistyped: the whole parser names the choices
    (["a.jsonl", "score"], None),        # the first word is the command, or there is none
    (["--bogus", "score", "a.txt"], "score"),  # the whole parser would report --bogus just the same
]


@pytest.mark.parametrize("argv,command", COMMAND_NAMED)
def test_command_named(argv, command):
    assert command_named(argv) == command


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_parser_built_alone_is_the_whole_parser_s(command):
    whole, alone = build_parser(), build_parser(command)
    assert alone.format_help() == whole.format_help()  # every command listed with its help line
    commands = {name: p for a in alone._actions if a.dest == "command" for name, p in a.choices.items()}
    full = {name: p for a in whole._actions if a.dest == "command" for name, p in a.choices.items()}
    assert list(commands) == list(full) == list(COMMANDS)
    assert commands[command].format_help() == full[command].format_help()
    # The others have no options of their own: they are never the one parsing.
    assert all(len(p._actions) == 1 for name, p in commands.items() if name != command)


HELP = [["score"], ["compare"], ["chart"], ["report"], ["kwic"], ["train"], ["evaluate"], ["lexicon", "suggest"],
        ["predict"]]


@pytest.mark.parametrize("command", HELP, ids=" ".join)
def test_help_of_the_inputs_and_the_lexicon(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    text = " ".join(capsys.readouterr().out.split())  # the help as one line: argparse wraps it
    assert exit_.value.code == 0
    positionals = text.split(" options: ")[0]
    assert " input" not in positionals and "INPUT" in positionals  # one name for the input in usage and list
    if command != ["lexicon", "suggest"]:  # the only one of a single input
        assert "INPUT [INPUT ...]" in text
    lexicon = text.split("--lexicon LEXICON ")[-1].split(")")[0] + ")"
    default = "the lexicon the model was trained with" if command == ["predict"] else "libya-2019-2020"
    assert lexicon == f"lexicon name or directory (default: {default})"
    if command[0] in ("score", "compare", "chart", "report", "predict"):  # -1, which an error about --jobs names
        assert "--jobs N processes scoring a corpus (default: -1, every core; 1 scores in this process)" in text


@pytest.mark.parametrize("content,words", [
    ('id,body\n1,"نص"\n', "no 'text' column; columns are id, body"),
    ('id,text\n1,"قصفت ميليشيات حفتر الأحياء."\n2,"x",extra\n', ":3: 2 columns expected"),
    ('id,text\n1,"قصفت ميليشيات حفتر الأحياء."\n2,\n', ":3: field 'text' is empty"),
])
def test_bad_csv(tmp_path, capsys, content, words):
    p = tmp_path / "c.csv"
    p.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "score", str(p), "--json", "--lexicon", MINI)
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1


def test_empty_stdin_names_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b" \n")))
    code, _, err = run(capsys, "score", "-")
    assert code == 2 and err.strip() == "framing: error: <stdin>: empty text"


JSON_AS_ARTICLE = "holds JSON records, but standard input and a text file are one article each"


@pytest.mark.parametrize("data,refused", [
    ('{"id": "1", "text": "قصفت ميليشيات حفتر الحي."}\n{"id": "2", "text": "نص"}\n', True),
    ('[{"id": "1", "text": "قصفت ميليشيات حفتر الحي."}]', True),
    ('\ufeff  {"text": "قصفت ميليشيات حفتر الحي."}', True),
    ('\n[\n  {\n    "text": "قصفت ميليشيات حفتر الحي."\n  }\n]\n', True),
    # must not: an article that opens with braces or brackets, or quotes JSON further on
    ("{عاجل} قصفت ميليشيات حفتر الحي.", False),
    ("[تحديث] قصفت ميليشيات حفتر الحي.", False),
    ('قصفت ميليشيات حفتر الحي. {"text": "نص"}', False),
])
@pytest.mark.parametrize("where", ["stdin", "a.txt"])
def test_json_records_read_as_one_article_are_refused(monkeypatch, capsys, tmp_path, data, refused, where):
    import io

    if where == "stdin":
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
        source, name = "-", "<stdin>"
    else:
        (tmp_path / where).write_text(data, encoding="utf-8")
        source = name = str(tmp_path / where)
    code, out, err = run(capsys, "score", source, "--json", "--lexicon", MINI)
    if refused:
        assert code == 2 and not out and err.strip() == (
            f"framing: error: {name}: {JSON_AS_ARTICLE}: save the corpus as a .jsonl or .json file")
    else:
        assert code == 0 and len(out.splitlines()) == 1 and not err


# What `framing score` of a corpus on one core must not load: the classifier's, the tables' and the
# charts' libraries, the workers' pickling, signals and tracebacks, OpenSSL (hashlib: the lexicon is
# hashed without it), the temporary files of written outputs (standard output needs none) and html
# (only a text with a character reference does); nor typing, but for the CSV rows (framing.export).
NOT_LOADED_BY_SCORE = ("sklearn", "matplotlib", "pandas", "pyarrow", "pickle", "signal", "traceback", "_hashlib",
                       "tempfile", "html")


@pytest.mark.parametrize("argv, also", [
    (["score", "CORPUS", "--json", "--jobs", "1"], ("typing",)),
    (["score", "CORPUS", "--format", "csv", "--jobs", "1"], ()),
    (["score", str(EXAMPLES / "pro_gna.txt")], ("typing",)),
])
def test_scoring_on_one_core_loads_only_what_it_uses(tmp_path, argv, also):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": 1, "text": "قوات حفتر تقصف طرابلس"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    argv = [str(corpus) if a == "CORPUS" else a for a in argv]
    code = ("import atexit, sys; atexit.register(lambda: print(sorted(m for m in sys.modules if m in "
            f"{NOT_LOADED_BY_SCORE + also!r} or m == 'framing.scorer'), file=sys.stderr)); "
            "from framing.cli import run; run()")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip().splitlines()[-1] == "['framing.scorer']"  # scored, and nothing more
