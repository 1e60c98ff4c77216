"""The combined stance: the lexicon where it has strong evidence, the classifier otherwise."""

import pytest

from framing.combine import combine

PREDICTED = {"lna": {"label": "neutral", "proba": {"favorable": 0.2, "neutral": 0.5, "unfavorable": 0.3}},
             "gna": {"label": "favorable", "proba": {"favorable": 0.6, "neutral": 0.3, "unfavorable": 0.1}}}

CASES = [
    # (text, min_evidence, expected combined stance of lna and gna)
    # three loaded words about the LNA: the lexicon keeps its stance; the GNA is unmentioned
    ("قصفت ميليشيات حفتر ومرتزقته الأحياء. وتواصل ميليشيات حفتر عدوانها.", 3.0,
     {"lna": ("unfavorable", "lexicon"), "gna": ("favorable", "classifier")}),
    # one loaded word is not enough at 3.0 ...
    ("قصفت ميليشيات حفتر الأحياء.", 3.0, {"lna": ("neutral", "classifier"), "gna": ("favorable", "classifier")}),
    # ... and is at 1.0
    ("قصفت ميليشيات حفتر الأحياء.", 1.0, {"lna": ("unfavorable", "lexicon"), "gna": ("favorable", "classifier")}),
    # nothing from the lexicon: the classifier everywhere
    ("انقطعت الكهرباء عن المدينة.", 1.0, {"lna": ("neutral", "classifier"), "gna": ("favorable", "classifier")}),
]


@pytest.mark.parametrize("text,min_evidence,expected", CASES)
def test_combine(mini, text, min_evidence, expected):
    combined = combine(mini.score(text), PREDICTED, min_evidence)
    assert {p: (c["stance"], c["source"]) for p, c in combined.items()} == expected


def test_only_the_parties_the_classifier_predicts(mini):
    combined = combine(mini.score("وصلت مرتزقة فاغنر إلى الجفرة."), {"lna": PREDICTED["lna"]})
    assert set(combined) == {"lna"}
