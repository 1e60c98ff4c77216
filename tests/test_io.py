"""Input and output a researcher meets first: .json array corpora, progress bars, the text report."""

import json
import re

import pytest

from framing.attach import RULES
from framing.cli import main
from framing.corpus import read_records

from .conftest import EXAMPLES

A = "قصفت ميليشيات حفتر طرابلس."
B = "تقدمت قوات الوفاق الباسلة."


def test_json_array_is_a_corpus_with_lines(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(f'[\n  {{"id": "a", "text": "{A}"}},\n  {{"outlet": "X",\n   "text": "{B}"}}\n]\n', encoding="utf-8")
    records = list(read_records(str(path)))
    assert [r.text for r in records] == [A, B]
    assert [r.where for r in records] == [f"{path}:2", f"{path}:3"]
    assert records[1].meta == {"outlet": "X", "id": f"{path}:3"}


@pytest.mark.parametrize("content, message", [
    ('{"text": "نص"}', ":1: a .json corpus must be a JSON array of records"),
    ("", ":1: a .json corpus must be a JSON array of records"),
    ('[{"text": "نص"},\n {"text": }]', ":2: invalid JSON"),
    ('[{"text": "نص"}\n {"text": "نص"}]', ":2: invalid JSON (expected ',' or ']' after a record)"),
    ('[{"text": "نص"}] x', ":1: invalid JSON (text after the closing ']')"),
    ('[{"text": "نص"},\n 7]', ":2: a record must be a JSON object. Got int instead"),
])
def test_bad_json_array_is_one_line_naming_the_line(tmp_path, capsys, content, message):
    path = tmp_path / "c.json"
    path.write_text(content, encoding="utf-8")
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}{message}" in err and err.count("\n") == 1


def test_json_array_skip_bad_counts_in_and_out(tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text(json.dumps([{"text": A}, {"text": 3}, {"text": B}], ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path), "--json", "--skip-bad"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and "2 articles processed, 1 skipped" in err


def test_empty_json_array_is_no_articles(tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text("[ ]", encoding="utf-8")
    assert main(["compare", str(path)]) == 2
    assert "no articles" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["score", "demo", "--json"], ["compare", "demo"]])
def test_progress_bar_when_asked_and_never_in_stdout(capsys, monkeypatch, command):
    monkeypatch.delenv("CI", raising=False)
    assert main([*command, "--progress"]) == 0
    out, err = capsys.readouterr()
    assert "scoring: 100%" in err and "260/260" in err and "scoring" not in out
    assert main(command) == 0  # standard error is not a terminal here: no bar unless asked
    assert "scoring" not in capsys.readouterr().err


def test_text_report_labels_units_and_explains_each_rule_once(capsys):
    assert main(["score", str(EXAMPLES / "pro_lna.txt")]) == 0
    out = capsys.readouterr().out
    assert "framing per 1,000 words" in out and "in summed lexicon weights (not per 1,000 words)" in out
    assert "weight" in out.split("evidence:")[1].splitlines()[1]  # the evidence table has a header
    used = set(re.findall(r"→ \w+ \((\w+)\)", out))
    assert {"named", "construct", "speaker"} <= used <= set(RULES)
    for rule in used:
        assert out.count(f"  {rule}: {RULES[rule]}") == 1


def test_over_leaves_undated_articles_out_with_a_note(tmp_path, capsys):
    from .corpora import many_outlets

    path = many_outlets(tmp_path / "c.jsonl", outlets=6)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    undated = sum(1 for r in rows if not r.get("date"))
    assert 0 < undated < len(rows)
    assert main(["compare", str(path), "--by", "alignment", "--over", "quarter", "--json", "--boot", "50"]) == 0
    out, err = capsys.readouterr()
    assert f"framing: note: {undated} articles with no 'date' left out of the periods ({len(rows) - undated} placed)" in err
    assert sum(r["n"] for r in json.loads(out)) == len(rows) - undated


def test_every_rule_in_the_attach_docstring_is_explained():
    import framing.attach

    documented = set(re.findall(r"^``(\w+)``$", framing.attach.__doc__, re.MULTILINE))
    assert documented == set(RULES)
