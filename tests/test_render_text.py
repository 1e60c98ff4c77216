"""framing/render/text.py: the terminal renderers, one per result, usable without the CLI."""

import subprocess
import sys

import pandas as pd
import pytest

from framing import Scorer
from framing.concordance import Line, lines
from framing.corpus import read_records
from framing.evaluate import evaluate
from framing.groups import compare
from framing.render.text import (
    compare_table,
    evaluation_report,
    feature_label,
    kwic_line,
    prediction_lines,
    score_report,
)
from framing.table import score_corpus

from .conftest import DATA

THREE = DATA / "three"


@pytest.mark.parametrize("feature, terms, label", [
    ("ngrams__ الو", (), "«_الو»"),
    ("lexicon__gna_unfavorable_narrator", ("ميليشيات", "مرتزقة", "ميليشيات"), "gna_unfavorable_narrator [ميليشيات، مرتزقة]"),
    ("lexicon__untargeted", (), "untargeted"),
    ("side_lna_narrator", (), "side_lna_narrator"),  # no prefix: shown as it is
])
def test_feature_label(feature, terms, label):
    assert feature_label(feature, terms) == label


def test_prediction_lines():
    stance = {"lna": {"label": "unfavorable", "proba": {"favorable": 0.1, "neutral": 0.2, "unfavorable": 0.7}},
              "gna": {"label": "neutral", "proba": {"favorable": 0.3, "neutral": 0.4, "unfavorable": 0.3}}}
    assert prediction_lines("a1", stance) == "a1: lna unfavorable (0.70), gna neutral (0.40)"


def test_score_report_lists_every_piece_of_evidence():
    text = "تقدمت قوات الجنوب الباسلة نحو المدينة."
    report = score_report(Scorer(THREE).score(text), text, "x.txt")
    assert report.splitlines()[0].startswith("x.txt: 6 words, lexicon three")
    assert "[الباسلة]" in report and "→ south" in report


@pytest.fixture(scope="module")
def scored():
    texts = ["تقدمت قوات الجنوب الباسلة نحو المدينة.", "قصفت ميليشيات حفتر المدينة."]
    return score_corpus(pd.DataFrame({"outlet": ["A", "B"] * 3, "text": texts * 3}), lexicon=THREE, progress=False)


@pytest.mark.parametrize("slant, present, absent", [
    (None, ["no slant: with 3 sides, name two with --slant", "lean LNA/GNA/SOUTH/none"], ["slant LNA"]),
    (("south", "lna"), ["slant SOUTH−LNA", "SOUTH framing minus LNA framing"], ["no slant"]),
])
def test_compare_table_with_three_sides(scored, slant, present, absent):
    text = compare_table(compare(scored, slant=slant, n_boot=50))
    for part in present:
        assert part in text
    for part in absent:
        assert part not in text


def test_renderers_do_not_import_the_cli():
    code = "import sys, framing.render.text; print([m for m in sys.modules if m.startswith(('framing.cli', 'framing.commands'))])"
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("line, text", [
    (Line("a", "x.jsonl:3", 10, 17, "قبل ", "ميليشيات", " بعد"), "x.jsonl:3\t10-17\tقبل [ميليشيات] بعد"),
    (Line("a", "x.jsonl:3", 10, 17, "", "ميليشيات", "", term="ميليشيات", target="gna", rule="noun", voice="narrator"),
     "x.jsonl:3\t10-17\t[ميليشيات]\ttarget=gna rule=noun voice=narrator"),
    (Line("a", "x.jsonl:3", 0, 7, "", "ميليشيات", "", term="ميليشيات", voice="quoted"),
     "x.jsonl:3\t0-7\t[ميليشيات]\ttarget=- rule=- voice=quoted"),  # untargeted: dashes, not None
])
def test_kwic_line(line, text):
    assert kwic_line(line) == text


def test_evaluation_report_with_three_sides(tmp_path):
    import json

    rows = [{"id": "s", "stance_south": "favorable", "outlet": "Dunes", "text": "تقدمت قوات الجنوب الباسلة نحو المدينة."},
            {"id": "g", "stance_gna": "unfavorable", "outlet": "Cedar", "text": "قال المشير إن ميليشيات الوفاق تحاصر المدينة."},
            {"id": "n", "stance_lna": "neutral", "outlet": "Cedar", "text": "التقى المبعوث ممثلي الأطراف."}]
    path = tmp_path / "three.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    text = evaluation_report(evaluate(str(path), lexicon=THREE, by="outlet"), misses=3)
    # unfavorable to gna with three sides is a vote of 1/2 for each other side: a tie, neutral
    assert text.startswith(f"{path}: 3 labelled texts (1 sided: pro_lna 0, pro_gna 0, pro_south 1, neutral 2); lexicon three")
    for part in ("macro-F1 south (abstain = sign of net)", "by outlet (lexicon)", "Dunes", "Cedar",
                 "south (lexicon): gold rows, reading columns"):
        assert part in text
    assert "macro-F1 turkey" not in text  # must not: a party no text is labelled for


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "framing", *map(str, args)], check=True, capture_output=True,
                          text=True, timeout=120).stdout


@pytest.mark.parametrize("command, args, render", [
    ("evaluate", ["demo", "--misses", "2", "--by", "outlet"],
     lambda: evaluation_report(evaluate("demo", by="outlet"), 2) + "\n"),
    ("kwic", ["ميليشيات", "demo", "--width", "12", "--term"],
     lambda: "".join(kwic_line(x) + "\n" for x in lines(read_records("demo"), term="ميليشيات", width=12))),
])
def test_commands_print_what_the_renderer_makes(command, args, render):
    # The command parses its arguments and calls: its text is the renderer's, nothing added but a count.
    out = _cli(command, *args)
    assert out.startswith(render())
    assert out.count("\n") - render().count("\n") <= 1


def test_lexicon_summary_with_three_sides():
    from framing import load_lexicon
    from framing.render.text import lexicon_summary

    assert lexicon_summary(load_lexicon(THREE)).splitlines() == [
        "three: OK, 10 entries (actor 4, evaluative 3, naming 3), 4 parties, sides lna, gna, south",
        ("naming entries by the side they favour: {'lna': 1, 'against gna': 1, 'south': 1}; "
         f"sha256 {load_lexicon(THREE).sha256[:12]}"),
    ]


@pytest.mark.parametrize("bare,said", [
    ([], None),  # must NOT: no bare column, nothing said of it
    (["gna"], ", 1 loaded word with a bare party (gna 1)"),
    (["gna", "lna", "gna"], ", 3 loaded words with a bare party (gna 2, lna 1)"),
])
def test_lexicon_summary_counts_the_bare_parties(tmp_path, bare, said):
    from framing import load_lexicon
    from framing.render.text import lexicon_summary

    lexicon = tmp_path / "lx"
    lexicon.mkdir()
    (lexicon / "parties.tsv").write_text("id\tside\tname\tname_ar\tgloss\nlna\tlna\tLNA\tالجيش\teast\n"
                                         "gna\tgna\tGNA\tالوفاق\twest\n", encoding="utf-8")
    words = ["ميليشيات", "عصابات", "مرتزقة"]
    rows = "".join(f"{w}\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\t{p}\n" for w, p in zip(words, bare))
    (lexicon / "terms.tsv").write_text("term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\tbare\n"
                                       "حفتر\tactor\tlna\t\t\t\t\tHaftar\n" + rows, encoding="utf-8")
    first = lexicon_summary(load_lexicon(lexicon)).splitlines()[0]
    assert first.endswith("2 parties, sides lna, gna" + (said or ""))


def test_suggestion_rows():
    from framing.render.text import suggestion_rows
    from framing.suggest import Candidate

    found = [Candidate("حراك", "الحراك", "A", 2.5, 7, 1, "الحراك 5 | حراك 3", ("قبل [الحراك] بعد  (x:1)",)),
             Candidate("هدنه", "الهدنة", "B", -3.0, 0, 9, "الهدنة 9", ())]
    lines = suggestion_rows(("A", "B"), found, "outlet", 1.96).splitlines()
    assert lines[0].startswith("# candidates from `framing lexicon suggest --by outlet`: A (count_a) against B")
    assert "|z| >= 1.96." in lines[0]
    assert "# typical of A: z +2.50, 7 vs 1 uses; forms: الحراك 5 | حراك 3" in lines
    assert "#   قبل [الحراك] بعد  (x:1)" in lines
    assert [line.split("\t")[0] for line in lines if not line.startswith("#") and line] == ["حراك", "الهدنة"]


# One of a thing is singular in every renderer; several, and none, are plural.
@pytest.mark.parametrize("text, present, absent", [
    ("المليشيات", ["1 word,", "1 loaded term (", "0 actor mentions"], ["1 words", "1 loaded terms"]),
    ("قوات الجنوب", ["2 words,", "0 loaded terms (", "1 actor mention\n"], ["1 actor mentions"]),
    ("قصفت ميليشيات حفتر المدينة", ["4 words,", "1 loaded term (", "1 actor mention\n"], ["1 actor mentions"]),
])
def test_counts_agree_with_their_nouns(text, present, absent):
    s = Scorer(THREE).score(text)
    report = score_report(s, text, "x.txt") + "\n"
    short = repr(s)
    page = s._repr_html_()
    for want in present:
        assert want in report
    for unwanted in absent:
        assert unwanted not in report and unwanted.rstrip("\n,(") + "," not in short
        assert unwanted.rstrip("\n,( ") + "," not in page
    words = s.words
    assert f"{words} {'word' if words == 1 else 'words'} ·" in page
    assert f"{words} {'word' if words == 1 else 'words'}," in short
