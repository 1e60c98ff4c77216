"""Distinctive terms: the Fightin' Words statistic, tokens, lexicon marks and group choice."""

import math

import numpy as np
import pandas as pd
import pytest

from framing import InputError
from framing.distinctive import count_terms, distinctive_terms, log_odds, tokens
from framing.table import score_corpus

from .conftest import DATA

MINI = DATA / "mini"


def test_log_odds_against_hand_computation():
    # Three terms; group a: 10, 0, 5 (n_a = 15); group b: 2, 8, 5 (n_b = 15); prior 1, 1, 2 (α0 = 4).
    delta, se, z = log_odds([10, 0, 5], [2, 8, 5], [1, 1, 2])
    # term 0: log((10+1)/(15+4-10-1)) - log((2+1)/(15+4-2-1)) = log(11/8) - log(3/16)
    assert delta[0] == pytest.approx(math.log(11 / 8) - math.log(3 / 16))
    assert se[0] == pytest.approx(math.sqrt(1 / 11 + 1 / 3))
    # term 1: log(1/18) - log(9/10)
    assert delta[1] == pytest.approx(math.log(1 / 18) - math.log(9 / 10))
    assert se[1] == pytest.approx(math.sqrt(1 + 1 / 9))
    # term 2: equal counts, equal totals: no difference
    assert delta[2] == pytest.approx(0.0) and z[2] == pytest.approx(0.0)
    assert z == pytest.approx(delta / se)


def test_log_odds_is_antisymmetric_and_shrinks_with_the_prior():
    a, b = np.array([30, 5, 1, 64]), np.array([3, 20, 1, 76])
    prior = np.array([2.0, 2.0, 1.0, 5.0])
    d_ab, _, z_ab = log_odds(a, b, prior)
    d_ba, _, z_ba = log_odds(b, a, prior)
    assert d_ab == pytest.approx(-d_ba) and z_ab == pytest.approx(-z_ba)
    strong, _, _ = log_odds(a, b, prior * 50)
    assert np.all(np.abs(strong[:2]) < np.abs(d_ab[:2]))


@pytest.mark.parametrize("counts_a,counts_b,prior,message", [
    ([1, 2], [1], [1, 1], "1-D arrays of one length"),
    ([1, 2], [1, 2], [1, 0], "prior pseudo-counts must all be positive"),
    ([1, -2], [1, 2], [1, 1], "counts must not be negative"),
])
def test_log_odds_bad_input(counts_a, counts_b, prior, message):
    with pytest.raises(InputError, match=message):
        log_odds(counts_a, counts_b, prior)


@pytest.mark.parametrize("text,max_n,expected", [
    ("المـيليشيـاتُ المسلحةُ", 1, ["الميليشيات", "المسلحه"]),  # tatweel, diacritics, teh marbuta
    ("قال: الميليشيات المسلحة", 2, ["قال", "الميليشيات", "المسلحه", "الميليشيات المسلحه"]),  # no n-gram over ':'
    ("و الجيش 2020 ب", 1, ["الجيش"]),  # lone letters and digits are not words
    ("Tripoli طرابلس", 1, ["Tripoli", "طرابلس"]),  # nothing is transliterated or dropped
])
def test_tokens(text, max_n, expected):
    assert tokens(text, max_n) == expected


def test_count_terms_keeps_the_commonest_spelling():
    surfaces = {}
    counts = count_terms(["المسلحة", "المسلحة", "المسلحه"], surfaces=surfaces)
    assert counts == {"المسلحه": 3}
    assert surfaces["المسلحه"].most_common(1) == [("المسلحة", 2)]


A_WORDS = "تقدمت ميليشيات الوفاق نحو الجنوب وسط قصف عنيف."
B_WORDS = "صدت القوات الباسلة عدوان حفتر وسط قصف عنيف."  # as many words as A_WORDS
C_WORDS = "عقد المبعوث اجتماعا في جنيف وسط قصف عنيف."


@pytest.fixture(scope="module")
def three_groups():
    rows = [("A", A_WORDS)] * 16 + [("B", B_WORDS)] * 16 + [("C", C_WORDS)] * 16
    return score_corpus(pd.DataFrame({"side": [r[0] for r in rows], "text": [r[1] for r in rows]}),
                        lexicon=MINI, progress=False)


def test_distinctive_terms_sign_and_lexicon_marks(three_groups):
    terms = distinctive_terms(three_groups, "side", ("A", "B"))
    by_term = terms.set_index("term")
    assert terms.attrs["groups"] == ("A", "B")
    assert by_term.loc["ميليشيات", "z"] > 1.96 and by_term.loc["الجنوب", "z"] > 0
    assert by_term.loc["الباسله", "z"] < -1.96 and by_term.loc["حفتر", "z"] < 0
    assert by_term.loc["قصف", "z"] == pytest.approx(0.0)  # used equally by both
    assert list(terms["z"]) == sorted(terms["z"], reverse=True)
    assert by_term.loc["ميليشيات", ["in_lexicon", "kind", "gloss"]].tolist() == [True, "evaluative", "militias"]
    assert by_term.loc["الباسله", "display"] == "الباسلة"  # shown as written, counted normalised
    assert by_term.loc["الباسله", "in_lexicon"]
    assert by_term.loc["الوفاق", "kind"] == "actor"
    assert not by_term.loc["الجنوب", "in_lexicon"] and pd.isna(by_term.loc["الجنوب", "lexicon_term"])


def test_swapping_groups_negates_z(three_groups):
    ab = distinctive_terms(three_groups, "side", ("A", "B")).set_index("term")["z"]
    ba = distinctive_terms(three_groups, "side", ("B", "A")).set_index("term")["z"]
    assert ab.sort_index().to_numpy() == pytest.approx(-ba.sort_index().to_numpy())


def test_default_groups_are_the_most_opposite_in_slant(three_groups):
    # A frames the GNA badly (LNA slant), B the LNA (GNA slant), C is neutral.
    assert distinctive_terms(three_groups, "side").attrs["groups"] == ("A", "B")


def test_bigrams_find_phrases(three_groups):
    terms = distinctive_terms(three_groups, "side", ("A", "B"), max_n=2).set_index("term")
    assert terms.loc["ميليشيات الوفاق", "z"] > 0
    assert terms.loc["ميليشيات الوفاق", "lexicon_term"] == "ميليشيات | الوفاق"
    assert not terms.loc["ميليشيات الوفاق", "in_lexicon"]  # two entries, not one


@pytest.mark.parametrize("by,groups,message", [
    ("outlet", None, "no field 'outlet' in the corpus"),
    ("side", ("A", "Z"), "no articles with side = 'Z'; values are: A, B, C"),
    ("side", ("A", "A"), r"^groups must be two different values of 'side'\. Got A A instead$"),
    ("side", ("A", "B", "C"), r"^groups must be two different values of 'side'\. Got A B C instead$"),
])
def test_bad_groups(three_groups, by, groups, message):
    with pytest.raises(InputError, match=message):
        distinctive_terms(three_groups, by, groups)


@pytest.fixture(scope="module")
def unvalued_group():
    """Group A, group B and articles without a value (None, as a corpus record without the field)."""
    rows = [("A", A_WORDS)] * 12 + [("B", B_WORDS)] * 12 + [(None, C_WORDS)] * 12
    return score_corpus(pd.DataFrame({"side": [r[0] for r in rows], "text": [r[1] for r in rows]}),
                        lexicon=MINI, progress=False)


# The articles without a value are picked as compare's table names them, «(missing)», or as None.
@pytest.mark.parametrize("groups", [("A", "(missing)"), ("A", None)])
def test_the_articles_without_a_value_are_a_group(unvalued_group, groups):
    terms = distinctive_terms(unvalued_group, "side", groups)
    assert terms.attrs["groups"] == ("A", None)
    by_term = terms.set_index("term")
    assert by_term.loc["ميليشيات", "z"] > 1.96 and by_term.loc["جنيف", "z"] < -1.96


def test_a_missing_group_is_among_the_values_an_error_lists(unvalued_group):
    with pytest.raises(InputError, match=r"^no articles with side = 'Z'; values are: A, B, \(missing\)$"):
        distinctive_terms(unvalued_group, "side", ("A", "Z"))
    # its two names are one group, not two
    with pytest.raises(InputError, match=r"^groups must be two different values of 'side'\. Got \(missing\) None"):
        distinctive_terms(unvalued_group, "side", ("(missing)", None))


def test_a_value_written_missing_is_that_value_not_the_unvalued_articles(three_groups):
    frame = three_groups.copy()
    frame["side"] = frame["side"].replace({"C": "(missing)"})
    frame.attrs = three_groups.attrs
    assert distinctive_terms(frame, "side", ("A", "(missing)")).attrs["groups"] == ("A", "(missing)")
    # must NOT: without articles lacking a value, None names no group
    with pytest.raises(InputError, match=r"^no articles with side = None; values are: A, B, \(missing\)$"):
        distinctive_terms(frame, "side", ("A", None))


@pytest.mark.parametrize("kwargs,message", [
    ({"max_n": 2, "min_count": 0}, None),
    ({"max_n": np.int64(1), "min_count": np.int64(1)}, None),
    ({"max_n": 0}, r"^max_n must be a positive integer\. Got 0 instead$"),
    ({"max_n": 1.5}, r"^max_n must be a positive integer\. Got 1\.5 instead$"),
    ({"min_count": None}, r"^min_count must be a non-negative integer\. Got None instead$"),
    ({"min_count": -1}, r"^min_count must be a non-negative integer\. Got -1 instead$"),
])
def test_counting_settings(three_groups, kwargs, message):
    if message is None:
        assert len(distinctive_terms(three_groups, "side", ("A", "B"), **kwargs)) > 0
        return
    with pytest.raises(InputError, match=message):
        distinctive_terms(three_groups, "side", ("A", "B"), **kwargs)


@pytest.mark.parametrize("sides,message", [
    (["A", "A"], "field 'side' has one value; distinctive terms need two groups"),
    ([None, None], "field 'side' has no values; distinctive terms need two groups"),
])
def test_a_frame_of_fewer_than_two_groups_is_refused(sides, message):
    frame = pd.DataFrame({"side": sides, "text": [A_WORDS, B_WORDS]})
    with pytest.raises(InputError, match=f"^{message}$"):
        distinctive_terms(frame, "side", lexicon=MINI)


# A frame that never went through score_corpus may hold a missing text: refused like score_corpus
# refuses it, where the tokenizer raised a TypeError.
@pytest.mark.parametrize("texts,message", [
    ([A_WORDS, B_WORDS, ""], None),
    ([A_WORDS, B_WORDS, None], r"^row 2: column 'text' must be a string\. Got NoneType instead$"),
    ([A_WORDS, float("nan"), C_WORDS], r"^row 1: column 'text' must be a string\. Got float instead$"),
    ([A_WORDS, B_WORDS, 7], r"^row 2: column 'text' must be a string\. Got int instead$"),
])
def test_a_text_that_is_not_a_string_is_refused(texts, message):
    frame = pd.DataFrame({"side": ["A", "B", "B"], "text": pd.Series(texts, dtype=object)})
    if message is None:
        assert distinctive_terms(frame, "side", lexicon=MINI, min_count=1).attrs["groups"] == ("A", "B")
        return
    with pytest.raises(InputError, match=message):
        distinctive_terms(frame, "side", lexicon=MINI)


def test_unscored_frame_with_three_groups_asks_for_two():
    frame = pd.DataFrame({"side": ["A", "B", "C"], "text": [A_WORDS, B_WORDS, C_WORDS]})
    with pytest.raises(InputError, match=r"field 'side' has 3 values \(A, B, C\); choose two"):
        distinctive_terms(frame, "side", lexicon=MINI)
    two = distinctive_terms(frame[frame["side"] != "C"], "side", lexicon=MINI)
    assert two.attrs["groups"] == ("A", "B")
