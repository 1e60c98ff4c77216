"""Sides defined once: the lexicon says which side evidence counts for, slant is an explicit pair,
and nothing assumes exactly two sides (``tests/data/three`` has three, written for these tests)."""

import pickle

import pytest

from framing import InputError, Scorer, load_lexicon, score
from framing.lexicon import FrozenMap, check_slant

from .conftest import DATA

THREE = DATA / "three"
MINI = DATA / "mini"


@pytest.fixture(scope="module")
def three():
    return load_lexicon(THREE)


@pytest.fixture(scope="module")
def two():
    return load_lexicon(MINI)


@pytest.mark.parametrize("lexicon, party, polarity, expected", [
    (MINI, "lna", "favorable", ("lna",)),
    (MINI, "lna", "unfavorable", ("gna",)),
    (MINI, "turkey", "favorable", ("gna",)),  # a backer's evidence counts for the side it backs
    (MINI, "turkey", "unfavorable", ("lna",)),
    (THREE, "lna", "favorable", ("lna",)),
    (THREE, "lna", "unfavorable", ("gna", "south")),  # against one side: for both others
    (THREE, "turkey", "unfavorable", ("lna", "south")),
    (THREE, "south", "favorable", ("south",)),
    # must not count for any side
    (THREE, "nobody", "favorable", ()),
    (THREE, "lna", None, ()),
    (THREE, None, "favorable", ()),
    (THREE, "lna", "neutral", ()),
])
def test_counts_for(lexicon, party, polarity, expected):
    assert load_lexicon(lexicon).counts_for(party, polarity) == expected


@pytest.mark.parametrize("lexicon, slant, expected", [
    (MINI, None, ("lna", "gna")),  # two sides: the default is the file order
    (MINI, ("gna", "lna"), ("gna", "lna")),
    (THREE, ("south", "lna"), ("south", "lna")),
    (THREE, ["gna", "south"], ("gna", "south")),
])
def test_slant_pair(lexicon, slant, expected):
    assert load_lexicon(lexicon).slant_pair(slant) == expected


@pytest.mark.parametrize("lexicon, slant, message", [
    (THREE, None, "the 3 sides of lexicon three (lna, gna, south) leave the choice open"),
    (THREE, ("lna", "lna"), "slant must be two different sides"),
    (THREE, ("lna", "turkey"), ("slant must be two different sides of lexicon three (lna, gna, south). "
                                "Got lna turkey instead")),  # a backer is not a side
    (MINI, ("lna", "gna", "lna"), "slant must be two different sides"),
    (MINI, "lna", "slant must be two different sides"),
])
def test_slant_pair_refuses(lexicon, slant, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        load_lexicon(lexicon).slant_pair(slant)
    assert "\n" not in str(info.value) and "--" not in str(info.value)


def test_check_slant_without_a_lexicon():
    assert check_slant(["a", "b"]) == ("a", "b")
    with pytest.raises(InputError):
        check_slant(["a"])


# (text, lean, sides with a signal, {term: (target, rule)})
THREE_SIDED = [
    # against one side: counts for both others, split equally, so neither leads
    ("قصفت ميليشيات حفتر المدينة.", None, {"gna", "south"}, {"ميليشيات": ("lna", "construct")}),
    ("تقدمت قوات الجنوب الباسلة نحو المدينة.", "south", {"south"}, {"الباسلة": ("south", "adjective")}),
    ("شن حماة الجنوب هجوما على ميليشيات الوفاق.", "south", {"south", "lna"}, {"ميليشيات": ("gna", "construct")}),
    # speaker rule, favorable: the speaker's own side (one-sided sourcing: counted at half weight)
    ("وقال قائد قوات الجنوب: «قواتنا الباسلة صامدة».", None, {"south"}, {"الباسلة": ("south", "speaker")}),
    # must NOT attach: with three sides, whom a speaker's unfavorable word attacks is unknown
    ("قال المتحدث باسم قوات الجنوب إن «الميليشيات تهاجم المدينة».", None, set(), {"ميليشيات": (None, None)}),
]


@pytest.mark.parametrize("text, lean, signal, targets", THREE_SIDED)
def test_three_sided_scoring(three, text, lean, signal, targets):
    s = score(text, lexicon=three)
    assert s.lean == lean
    assert set(s.sides) == {"lna", "gna", "south"}
    assert {side for side, v in s.sides.items() if v} == signal
    found = {m.term: (m.target, m.rule) for m in s.matches}
    for term, expected in targets.items():
        assert found[term] == expected


def test_split_is_equal_between_the_other_sides(three):
    s = score("قصفت ميليشيات حفتر المدينة.", lexicon=three)
    assert s.sides["gna"] == pytest.approx(s.sides["south"]) == pytest.approx(1000 * 0.5 / 4)


def test_two_sided_speaker_rule_still_attacks_the_other_side(two):
    s = score("قال المسماري إن «الميليشيات تهاجم المدينة».", lexicon=two)
    assert [(m.target, m.rule) for m in s.matches if m.term == "ميليشيات"] == [("gna", "speaker")]


@pytest.mark.parametrize("change", [
    lambda lex: lex.parties.__setitem__("x", lex.parties["lna"]),
    lambda lex: lex.parties.pop("lna"),
    lambda lex: setattr(lex, "name", "other"),
])
def test_a_loaded_lexicon_cannot_change(three, change):
    with pytest.raises((TypeError, AttributeError)):
        change(three)
    assert load_lexicon(THREE).parties.keys() == {"lna", "gna", "south", "turkey"}


def test_a_lexicon_pickles_to_an_equal_one(three):
    again = pickle.loads(pickle.dumps(three))
    assert again == three and isinstance(again.parties, FrozenMap)
    assert dict(again.parties) == dict(three.parties)


def test_a_scorer_pickles_and_scores_the_same(three):
    scorer = Scorer(three, lean_min_evidence=0.5)
    again = pickle.loads(pickle.dumps(scorer))
    assert again.rules == scorer.rules
    text = "تقدمت قوات الجنوب الباسلة نحو المدينة."
    assert again.score(text).to_dict() == scorer.score(text).to_dict()
