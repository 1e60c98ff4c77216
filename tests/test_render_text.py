"""framing/render/text.py: the terminal renderers, one per result, usable without the CLI."""

import subprocess
import sys

import pandas as pd
import pytest

from framing import Scorer
from framing.groups import compare
from framing.render.text import compare_table, feature_label, prediction_lines, score_report
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
