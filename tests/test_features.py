"""Lexicon features and n-gram counts: values, names, input checks, and the scikit-learn contract."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer

from framing.features import LexiconFeatures, TextNgrams, make_features, normalized_words

from .adapters import MINI, NumericLexiconFeatures, NumericTextNgrams, sklearn_checks
from .conftest import DATA

# (text, {feature: value}); every other feature must be 0. Values are per 1,000 words.
LEXICON_CASES = [
    ("قصفت ميليشيات حفتر الأحياء.",  # evaluative word attached to the LNA, narrator voice (4 words)
     {"lna_unfavorable_narrator": 250, "lna_evaluative_unfavorable": 250, "lna_mentions": 500,
      "lna_lexicon_says_unfavorable": 1, "category_criminality": 250, "side_gna_narrator": 250,
      "side_gna_all_voices": 250}),
    ("قال المسماري: «تقدمت قواتنا الباسلة»",  # the same kind of word inside a quotation (5 words)
     {"lna_favorable_quoted": 200, "lna_mentions": 400, "side_lna_all_voices": 200,
      "lna_lexicon_says_neutral": 1}),
    ("تقدم اللواء المتقاعد نحو المدينة.",  # a naming choice of weight 2 (5 words)
     {"lna_unfavorable_narrator": 400, "lna_naming_unfavorable": 400, "lna_mentions": 200,
      "lna_lexicon_says_unfavorable": 1, "category_legitimacy": 400, "side_gna_narrator": 400,
      "side_gna_all_voices": 400}),
    ("هاجمت مرتزقة المدينة.",  # an evaluative word with no actor to attach to (3 words)
     {"untargeted": 1000 / 3, "category_foreign_backing": 1000 / 3}),
    ("انقطعت الكهرباء عن المدينة.", {}),  # nothing from the lexicon
    ("", {}),  # empty: a zero row, not an error
]


@pytest.fixture(scope="module")
def lexicon_features():
    return LexiconFeatures(MINI).fit([])


@pytest.mark.parametrize("text,expected", LEXICON_CASES)
def test_lexicon_feature_values(lexicon_features, text, expected):
    names = list(lexicon_features.get_feature_names_out())
    row = lexicon_features.transform([text])[0]
    got = {n: v for n, v in zip(names, row) if v}
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        assert got[name] == pytest.approx(value)


def test_feature_names_cover_every_party_and_category(lexicon_features):
    names = list(lexicon_features.get_feature_names_out())
    assert len(names) == len(set(names)) == lexicon_features.transform(["نص"]).shape[1]
    for party in ("lna", "gna", "turkey", "russia"):
        assert {f"{party}_favorable_narrator", f"{party}_unfavorable_quoted", f"{party}_naming_unfavorable",
                f"{party}_evaluative_favorable", f"{party}_lexicon_says_neutral"} <= set(names)
    assert {"category_criminality", "category_heroism", "untargeted", "side_lna_narrator", "side_gna_all_voices"} <= set(names)
    assert (lexicon_features.lexicon_name_, len(lexicon_features.lexicon_sha256_)) == ("mini", 64)


def test_evidence_names_the_terms_behind_features(lexicon_features):
    evidence = lexicon_features.evidence("وصل المشير مع قوات الجيش الوطني الليبي الباسلة")
    assert evidence["lna_naming_favorable"] == ["المشير"]
    assert evidence["lna_evaluative_favorable"] == ["الباسلة"]
    assert evidence["lna_favorable_narrator"] == ["المشير", "الباسلة"]


def test_columns_are_fixed_at_fit_when_the_lexicon_changes():
    """A fitted transformer keeps its columns if the lexicon is swapped for one with other parties."""
    features = LexiconFeatures(MINI).fit([])
    names = list(features.get_feature_names_out())
    features.set_params(lexicon=str(DATA / "forms"))
    assert features.transform(["قصفت ميليشيات حفتر الأحياء."]).shape == (1, len(names))


BAD_INPUT = [
    ("قصفت ميليشيات حفتر", TypeError, "not a single str"),
    (np.zeros((2, 3)), ValueError, "1-D sequence of texts"),
    (["نص", 3.5], TypeError, r"X\[1\] must be a str. Got float instead"),
    (42, TypeError, "must be a sequence of texts"),
]


@pytest.mark.parametrize("make", [lambda: LexiconFeatures(MINI), TextNgrams])
@pytest.mark.parametrize("X,error,message", BAD_INPUT)
def test_bad_input(make, X, error, message):
    with pytest.raises(error, match=message):
        make().fit(X)


def test_lexicon_features_pickle_without_the_scorer(lexicon_features):
    text = ["قصفت ميليشيات حفتر الأحياء."]
    data = pickle.dumps(lexicon_features)
    assert b"ahocorasick" not in data
    restored = pickle.loads(data)
    np.testing.assert_array_equal(restored.transform(text), lexicon_features.transform(text))
    assert clone(lexicon_features).get_params() == {"lexicon": MINI}


TEXTS = [
    "قصفت الميليشيات الأحياء السكنية في طرابلس",
    "تقدمت القوات نحو طرابلس وقصفت المطار",
    "قصفت الطائرات المطار، وتقدمت القوات!",
    "وصل الوفد إلى المدينة",
]


@pytest.mark.parametrize("kind,ngram_range,analyzer", [
    ("char", None, "char_wb"), ("char", (1, 3), "char_wb"), ("char", (3, 6), "char_wb"),
    ("word", None, "word"), ("word", (1, 3), "word"),
])
def test_ngram_counts_equal_scikit_learns_over_normalised_words(kind, ngram_range, analyzer):
    """The fast per-word computation counts exactly what CountVectorizer counts."""
    ours = TextNgrams(kind, ngram_range, min_df=1).fit(TEXTS)
    default = (2, 5) if kind == "char" else (1, 2)
    words = {"token_pattern": r"(?u)\w+"} if analyzer == "word" else {}  # one-letter words count too
    ref = CountVectorizer(analyzer=analyzer, ngram_range=ngram_range or default, lowercase=False, **words)
    ref_counts = ref.fit_transform([" ".join(normalized_words(t)) for t in TEXTS])
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())
    np.testing.assert_array_equal(ours.transform(TEXTS).toarray(), ref_counts.toarray())


def test_ngrams_see_normalised_text():
    plain = TextNgrams(min_df=1).fit(["قصفت الميليشيات المدينة"])
    decorated = "قَصَفَتْ المـيليشيـات المدينةُ"  # diacritics and tatweel
    np.testing.assert_array_equal(plain.transform([decorated]).toarray(), plain.transform(["قصفت الميليشيات المدينة"]).toarray())


@pytest.mark.parametrize("min_df,texts", [
    (2, TEXTS),  # kept n-grams occur in two texts or more
    (2, TEXTS[:1]),  # one training text: min_df is capped at 1
])
def test_min_df(min_df, texts):
    ngrams = TextNgrams(min_df=min_df).fit(texts)
    assert len(ngrams.get_feature_names_out()) > 0
    assert " طرا" in ngrams.vocabulary_ and " الوف" not in ngrams.vocabulary_
    if len(texts) > 1:
        assert " السك" not in ngrams.vocabulary_  # only in the first text


@pytest.mark.parametrize("params,message", [
    ({"kind": "letters"}, "kind must be 'char' or 'word'"),
    ({"ngram_range": (3, 2)}, "ngram_range must be"),
])
def test_bad_ngram_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        TextNgrams(**params).fit(TEXTS)


@pytest.mark.parametrize("kwargs,blocks", [
    ({"lexicon": MINI}, ["lexicon", "ngrams"]),
    ({"lexicon": MINI, "ngram": None}, ["lexicon"]),
    ({"lexicon": False}, ["ngrams"]),
])
def test_make_features_blocks(kwargs, blocks):
    union = make_features(**kwargs).fit(TEXTS)
    names = union.get_feature_names_out()
    assert sorted({n.split("__")[0] for n in names}) == sorted(blocks)
    assert union.transform(TEXTS).shape == (len(TEXTS), len(names))


def test_make_features_needs_a_block():
    with pytest.raises(ValueError, match="needs the lexicon features, the n-grams or both"):
        make_features(lexicon=False, ngram=None)


# scikit-learn's checks feed numeric arrays; tests/adapters.py renders each row as a text first
# (documented there). Every check runs (but the array-API one, see sklearn_checks); none may fail.
@sklearn_checks([NumericLexiconFeatures(MINI), NumericTextNgrams()])
def test_scikit_learn_contract(estimator, check):
    check(estimator)
