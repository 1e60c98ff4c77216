"""`framing lexicon lint` and `check`: lexicons planted with each problem, found at their file:line."""

import json

import pytest

from framing.cli import main
from framing.errors import LexiconError
from framing.lexicon import load_lexicon
from framing.lint import lint

from .conftest import DATA

HEADER = "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss"
PARTIES = """# parties of a planted lexicon
id\tside\tname\tname_ar\tgloss
east\teast\tEast camp\t\teast
west\twest\tWest camp\t\twest
backer\twest\tBacker\t\ta backer nobody names
"""
# line numbers in terms.tsv: the header is line 1
TERMS = [
    "القائد\tactor\teast\t\t\t\t\tthe commander",                          # 2
    "المجلس\tactor\twest\t\t\t\t\tthe council",                            # 3
    "بالمجلس\tactor\teast\t\t\t\t\tthe council, spelt with a clitic",      # 4 both sides
    "القادة | القاده\tevaluative\t\tunfavorable\tnoun\tx\t1\tleaders",     # 5 redundant variant
    "الجـنود\tevaluative\t\tfavorable\tadj\tx\t1\tsoldiers",               # 6 tatweel
    "الغزو-الأجنبي\tevaluative\t\tunfavorable\tnoun\tx\t1\tinvasion",      # 7 a hyphen
    "عصابات\tevaluative\t\tunfavorable\tnoun\tx\t4\tgangs",                # 8 weight above 3
    "الأبطال\tevaluative\t\tfavorable\tadj\tx\t1.3\theroes",               # 9 weight off the steps
    "وحدات\tactor\teast\t\t\t\t\tunits",                                    # 10
    "الوحدات\tactor\teast\t\t\t\t\tthe units",                              # 11 the same, with ال
    "للقائد\tnaming\teast\tfavorable\t\tx\t1\tto the commander",            # 12 the same, read otherwise
    "حرب\tevaluative\t\tunfavorable\tnoun\tx\t1\twar",                      # 13
    "حرب أهلية\tevaluative\t\tunfavorable\tnoun\tx\t2\tcivil war",          # 14
    "مجزرة\tevaluative\t\tunfavorable\tnoun\tx\t2\tmassacre",               # 15
    "حربا\tevaluative\t\tunfavorable\tnoun\tx\t1\twar, accusative",         # 16 line 13's accusative
]


@pytest.fixture
def planted(tmp_path):
    path = tmp_path / "planted"
    path.mkdir()
    (path / "parties.tsv").write_text(PARTIES, encoding="utf-8")
    (path / "terms.tsv").write_text("\n".join([HEADER, *TERMS]) + "\n", encoding="utf-8")
    return path


def codes(findings):
    return {(f.where.rsplit("/", 1)[-1], f.code) for f in findings}


def test_every_warning_at_its_line(planted):
    findings = lint(str(planted)).findings
    assert all(f.level == "warning" for f in findings)
    assert codes(findings) == {
        ("parties.tsv:5", "unused-party"),
        ("terms.tsv:4", "both-sides"),
        ("terms.tsv:5", "redundant-variant"),
        ("terms.tsv:6", "removed-characters"),
        ("terms.tsv:7", "not-letters"),
        ("terms.tsv:8", "weight-band"),
        ("terms.tsv:9", "weight-band"),
        ("terms.tsv:11", "clitic-spelling"),
        ("terms.tsv:12", "clitic-spelling"),
        ("terms.tsv:16", "clitic-spelling"),
    }
    by_line = {f.where.rsplit(":", 1)[-1]: f.message for f in findings if f.where.endswith(("11", "12", "16"))}
    assert "drop this row" in by_line["11"] and "read differently" in by_line["12"]
    assert "with the accusative alef, read the same way" in by_line["16"] and "with a clitic" in by_line["11"]


@pytest.mark.parametrize("row", [
    "القوات\tactor\teast\t\t\t\t\tforces",                                  # no clitic relation to another row
    "ميليشيات | مليشيات\tevaluative\t\tunfavorable\tnoun\tx\t1.5\tmilitias",  # two spellings, one band weight
    "المشير\tnaming\teast\tfavorable\t\tx\t0.25\tfield marshal",            # the smallest band
    "ثوار 17 فبراير\tactor\twest\t\t\t\t\tFebruary revolutionaries",        # digits are fine
])
def test_clean_rows_give_nothing(tmp_path, row):
    path = tmp_path / "clean"
    path.mkdir()
    (path / "parties.tsv").write_text(PARTIES.replace("backer\twest\tBacker\t\ta backer nobody names\n", ""),
                                      encoding="utf-8")
    (path / "terms.tsv").write_text(f"{HEADER}\nالقائد\tactor\teast\t\t\t\t\tc\nالمجلس\tactor\twest\t\t\t\t\tc\n{row}\n",
                                    encoding="utf-8")
    assert lint(str(path)).findings == ()


def test_corpus_checks(planted, tmp_path):
    corpus = tmp_path / "c.jsonl"
    texts = ["اندلعت حرب أهلية في البلاد.", "حذر المجلس من حرب أهلية جديدة.", "زار القائد الوحدات."]
    corpus.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    findings = lint(str(planted), str(corpus)).findings
    never = {f.where.rsplit(":", 1)[-1]: f.message for f in findings if f.code == "never-matched"}
    assert "always" not in never["15"] and "never occurs in 3 texts" in never["15"]   # مجزرة
    assert "its 2 occurrence(s) are all read as other entries, longer or the same with a clitic («حرب أهلية»" \
        in never["13"]
    assert "1 occurrence(s) are all read as other entries" in never["10"] and "«الوحدات»" in never["10"]
    assert "11" not in never and "14" not in never and "2" not in never
    notes = [f for f in findings if f.level == "note"]
    assert [(n.where.rsplit(":", 1)[-1], n.message) for n in notes] == [
        ("14", "«حرب أهلية» left without a target 2 time(s) of 2")]
    assert findings[-1] is notes[-1]  # notes come after the warnings


@pytest.mark.parametrize("texts,said", [
    (["زار القائد الوحدات."], "never occurs in 1 text"),
    (["زار القائد الوحدات.", "زار القائد الوحدات."], "never occurs in 2 texts"),
])
def test_the_corpus_is_counted_in_words(planted, tmp_path, texts, said):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    never = {f.where.rsplit(":", 1)[-1]: f.message for f in lint(str(planted), str(corpus)).findings
             if f.code == "never-matched"}
    assert never["15"].endswith(said)


def broken(tmp_path):
    path = tmp_path / "broken"
    path.mkdir()
    (path / "parties.tsv").write_text(PARTIES, encoding="utf-8")
    rows = [HEADER,
            "القائد\tactor\teast\t\t\t\t\tc",
            "المجلس\tactor\tnorth\t\t\t\t\tc",                                  # 3 unknown party
            "عصابات\tevaluative\t\tunfavorable\tnoun\tx\tmany\tgangs",          # 4 weight not a number
            "القائد\tactor\teast\t\t\t\t\tagain",                               # 5 duplicate
            "مرتزقة\tpraise\t\tunfavorable\tnoun\tx\t1\tmercenaries"]           # 6 unknown kind
    (path / "terms.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_every_error_at_once(tmp_path):
    path = broken(tmp_path)
    with pytest.raises(LexiconError) as exc:
        load_lexicon(path)
    lines = [e.split(": ", 1)[0].rsplit(":", 1)[-1] for e in exc.value.errors]
    assert lines == ["3", "4", "5", "6"]
    findings = lint(str(path)).findings
    assert [(f.level, f.where.rsplit("/", 1)[-1]) for f in findings] == [
        ("error", "terms.tsv:3"), ("error", "terms.tsv:4"), ("error", "terms.tsv:5"), ("error", "terms.tsv:6")]
    assert "party must be one of" in findings[0].message and "weight must be a number" in findings[1].message


def test_cli_exit_codes(tmp_path, planted, capsys):
    assert main(["lexicon", "lint", str(planted)]) == 0
    out, err = capsys.readouterr()
    assert f"{planted / 'terms.tsv'}:8: warning: weight 4 of «عصابات»" in out and "0 errors, 10 warnings" in err
    assert main(["lexicon", "lint", str(broken(tmp_path)), "--json"]) == 3
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["level"] for r in rows] == ["error"] * 4
    assert main(["lexicon", "check", str(tmp_path / "broken")]) == 3
    err = capsys.readouterr().err
    assert all(f"terms.tsv:{n}:" in err for n in (3, 4, 5, 6))
    assert main(["lexicon", "lint", str(DATA / "mini")]) == 0
