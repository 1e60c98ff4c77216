"""No hidden shared state: scoring rules are a frozen value, shared scorers are immutable and keyed
by (lexicon, rules), and every public entry point takes a lexicon as a name, a path or a Lexicon."""

from pathlib import Path

import pandas as pd
import pytest

import framing
from framing import InputError, Scorer, load_lexicon, score
from framing.scorer import ScoringRules, scorer_for

from .conftest import DATA

THREE = DATA / "three"
TEXT = "تقدمت قوات الجنوب الباسلة نحو المدينة."


@pytest.mark.parametrize("attribute", ["lean_min_evidence", "lean_min_share", "stance_min_evidence",
                                       "stance_min_share", "window", "quoted_weight", "weak_weight", "lexicon",
                                       "rules"])
def test_a_shared_scorer_cannot_be_changed(attribute):
    shared = scorer_for(THREE)
    before = score(TEXT, lexicon=THREE).to_dict()
    with pytest.raises(AttributeError, match="immutable"):
        setattr(shared, attribute, 100)
    assert score(TEXT, lexicon=THREE).to_dict() == before


def test_shared_scorers_are_keyed_by_lexicon_and_rules():
    strict = ScoringRules(lean_min_evidence=100)
    assert scorer_for(THREE) is scorer_for(str(THREE))
    assert scorer_for(THREE, strict) is scorer_for(load_lexicon(THREE), ScoringRules(lean_min_evidence=100))
    assert scorer_for(THREE, strict) is not scorer_for(THREE)
    assert scorer_for(THREE, strict).score(TEXT).lean is None
    assert scorer_for(THREE).score(TEXT).lean == "south"  # the strict one changed nothing shared


def test_keywords_and_rules_are_one_value():
    assert Scorer(THREE, window=5).rules == ScoringRules(window=5)
    assert Scorer(THREE, rules=ScoringRules(window=5)).window == 5
    assert ScoringRules().to_dict() == {"window": 3, "lean_min_evidence": 1.0, "lean_min_share": 2 / 3,
                                        "stance_min_evidence": 1.0, "stance_min_share": 2 / 3,
                                        "quoted_weight": 0.5, "direction_min_evidence": 1.5, "weak_weight": 0.5}


@pytest.mark.parametrize("kwargs, message", [
    ({"window": -1}, "window must be a positive integer. Got -1 instead"),
    ({"window": 2.5}, "window must be a positive integer"),
    ({"lean_min_share": 0}, r"lean_min_share must be a number in \[0.5, 1\]. Got 0 instead"),
    ({"stance_min_share": 1.5}, "stance_min_share must be a number in"),
    ({"lean_min_evidence": -0.1}, "lean_min_evidence must be a finite number of at least 0"),
    ({"stance_min_evidence": "1"}, "stance_min_evidence must be a finite number of at least 0"),
    ({"direction_min_evidence": float("nan")}, "direction_min_evidence must be a finite number"),
    ({"quoted_weight": -1}, r"quoted_weight must be a number in \[0, 1\]"),
])
def test_bad_rules_are_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        ScoringRules(**kwargs)
    with pytest.raises(InputError, match=message):
        Scorer(THREE, **kwargs)


def test_rules_must_be_a_scoring_rules():
    with pytest.raises(InputError, match="rules must be a ScoringRules. Got dict instead"):
        Scorer(THREE, rules={"window": 3})


# --------------------------------------------------------------------------------------------
# One lexicon argument, four forms, every entry point


@pytest.fixture(params=["name", "str path", "Path", "Lexicon"])
def lexicon_form(request, monkeypatch):
    monkeypatch.setenv("FRAMING_LEXICONS", str(DATA))
    return {"name": "three", "str path": str(THREE), "Path": Path(THREE), "Lexicon": load_lexicon(THREE)}[request.param]


def _sides(s):
    return set(s.sides)


ENTRY_POINTS = {
    "framing.score": lambda lex: _sides(score(TEXT, lexicon=lex)),
    "Scorer": lambda lex: _sides(Scorer(lex).score(TEXT)),
    "scorer_for": lambda lex: _sides(scorer_for(lex).score(TEXT)),
    "load_lexicon": lambda lex: set(load_lexicon(lex).sides),
    "score_corpus": lambda lex: {c.split(".")[1] for c in framing.score_corpus(
        pd.DataFrame({"text": [TEXT]}), lexicon=lex, progress=False).columns if c.startswith("sides.")},
    "LexiconFeatures": lambda lex: {n.split("_")[1] for n in framing.LexiconFeatures(lex).fit([TEXT])
                                    .get_feature_names_out() if n.startswith("side_")},
    "StanceModel": lambda lex: set(load_lexicon(framing.StanceModel(lex).lexicon).sides),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_takes_every_form_of_lexicon(entry, lexicon_form):
    assert ENTRY_POINTS[entry](lexicon_form) == {"lna", "gna", "south"}


@pytest.mark.parametrize("bad, message", [
    ("no-such-lexicon", "unknown lexicon 'no-such-lexicon'"),
    (DATA / "stance.jsonl", "not a lexicon directory"),
    (42, "lexicon must be a name, a path or a Lexicon. Got int instead"),
])
def test_a_bad_lexicon_argument_is_one_clear_error(bad, message):
    with pytest.raises(framing.LexiconError, match=message):
        score(TEXT, lexicon=bad)


# --------------------------------------------------------------------------------------------
# Work shared between the parties and folds of a model lives only inside a shared_work() block


def test_feature_rows_are_shared_only_inside_a_block(monkeypatch):
    from framing import features

    calls = []
    real = features._score_row
    monkeypatch.setattr(features, "_score_row", lambda scorer, text: calls.append(text) or real(scorer, text))
    lf = features.LexiconFeatures(THREE).fit([TEXT])
    lf.transform([TEXT, TEXT])
    assert len(calls) == 2  # outside a block nothing is kept
    calls.clear()
    with features.shared_work():
        first = lf.transform([TEXT, TEXT])
        with features.shared_work():  # nested: the outer block's work
            second = lf.transform([TEXT])
    assert len(calls) == 1
    assert (first[0] == second[0]).all()
    lf.transform([TEXT])
    assert len(calls) == 2  # the block's work is gone with it


def test_no_module_level_caches_of_articles():
    from framing import features

    assert not hasattr(features, "_ROW_CACHE")
    assert not hasattr(features.normalized_words, "cache_info")
