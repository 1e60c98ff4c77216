"""StanceClassifier: learning stance from our small labelled corpus, probabilities, explanations,
degenerate label sets, and the scikit-learn contract."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression

from framing.classifier import StanceClassifier
from framing.corpus import read_records
from framing.labels import read_labelled

from .adapters import MINI, NumericStanceClassifier, sklearn_checks
from .conftest import DATA

CORPUS = read_labelled(read_records(str(DATA / "stance.jsonl")))

# Articles the classifier never saw (written for this test), with the stance toward each party.
UNSEEN = [
    ("تقدمت قوات الجيش الوطني الليبي الباسلة وحررت أحياء جديدة من ميليشيات الوفاق.", "favorable", "unfavorable"),
    ("صدت قوات الوفاق الباسلة عدوان ميليشيات حفتر على طرابلس.", "unfavorable", "favorable"),
    ("افتتحت البلدية سوقا جديدا للخضار في وسط المدينة.", "neutral", "neutral"),
]


@pytest.fixture(scope="module", params=["lna", "gna"])
def fitted(request):
    texts, labels, _ = CORPUS.party(request.param)
    return request.param, StanceClassifier(MINI).fit(texts, labels)


def test_learns_stance_of_unseen_articles(fitted):
    party, clf = fitted
    expected = [lna if party == "lna" else gna for _, lna, gna in UNSEEN]
    assert list(clf.predict([t for t, _, _ in UNSEEN])) == expected


def test_probabilities(fitted):
    _, clf = fitted
    texts = [t for t, _, _ in UNSEEN] + list(CORPUS.texts[:5])
    proba = clf.predict_proba(texts)
    assert list(clf.classes_) == ["favorable", "neutral", "unfavorable"]
    assert proba.shape == (len(texts), 3) and np.allclose(proba.sum(axis=1), 1) and (proba >= 0).all()
    assert list(clf.predict(texts)) == list(clf.classes_[proba.argmax(axis=1)])
    model = clf.pipeline_.named_steps["model"]
    assert isinstance(model, CalibratedClassifierCV) and model.method == "sigmoid"


def test_explanation_is_an_exact_decomposition(fitted):
    """Contributions (all of them) plus the intercept are the linear score of the predicted class."""
    _, clf = fitted
    text = UNSEEN[1][0]
    e = clf.explain(text, n=10**6)
    k = list(clf.classes_).index(e.label)
    linear = clf._linear()
    row = clf.pipeline_.named_steps["features"].transform([text])
    score = linear.decision_function(row)[0]
    score = score[k] if np.ndim(score) else (score if k == 1 else -score)
    intercept = linear.intercept_[k] if len(linear.intercept_) > 1 else (linear.intercept_[0] if k == 1 else -linear.intercept_[0])
    total = sum(c.contribution for c in e.toward + e.against) + intercept
    assert total == pytest.approx(score, abs=1e-6)
    assert e.proba[e.label] == max(e.proba.values())
    assert all(c.contribution > 0 for c in e.toward) and all(c.contribution < 0 for c in e.against)


def test_explanation_names_terms_and_ngrams():
    texts, labels, _ = CORPUS.party("lna")
    clf = StanceClassifier(MINI).fit(texts, labels)
    e = clf.explain(UNSEEN[1][0], n=40)
    lexical = [c for c in e.toward + e.against if c.feature.startswith("lexicon__") and c.terms]
    assert any("ميليشيات" in c.terms for c in lexical)
    assert any(c.feature.startswith("ngrams__") for c in e.toward)
    assert e.to_dict()["label"] == e.label


def test_top_features(fitted):
    _, clf = fitted
    top = clf.top_features(5)
    assert set(top) == set(clf.classes_)
    for feats in top.values():
        weights = [w for _, w in feats]
        assert 0 < len(feats) <= 5 and weights == sorted(weights, reverse=True) and min(weights) > 0
    for block in ("lexicon", "ngrams"):
        for feats in clf.top_features(5, block).values():
            assert feats and all(name.startswith(f"{block}__") for name, _ in feats)


# (labels, expected classes, expected final model): class sets a partially labelled corpus produces.
LABEL_SETS = [
    (["favorable"] * 6 + ["unfavorable"] * 6, ["favorable", "unfavorable"], CalibratedClassifierCV),
    (["favorable"] * 2 + ["neutral"] * 10, ["favorable", "neutral"], CalibratedClassifierCV),  # 2-fold calibration
    (["favorable"] + ["neutral"] * 11, ["favorable", "neutral"], LogisticRegression),  # too few to calibrate
]


@pytest.mark.parametrize("labels,classes,final", LABEL_SETS)
def test_label_sets(labels, classes, final):
    texts = list(CORPUS.texts[:len(labels)])
    clf = StanceClassifier(MINI).fit(texts, labels)
    assert list(clf.classes_) == classes
    assert isinstance(clf.pipeline_.named_steps["model"], final)
    proba = clf.predict_proba(texts)
    assert proba.shape == (len(texts), len(classes)) and np.allclose(proba.sum(axis=1), 1)
    e = clf.explain(texts[0], n=3)
    assert e.label in classes and len(e.toward) <= 3


def test_single_class_predicts_it():
    clf = StanceClassifier(MINI).fit(list(CORPUS.texts[:4]), ["neutral"] * 4)
    assert list(clf.predict(["أي نص"])) == ["neutral"] and clf.predict_proba(["أي نص"]).tolist() == [[1.0]]
    with pytest.raises(ValueError, match="single class"):
        clf.top_features()


# Predicting no article gives no row, whatever the fitted pipeline (the scaler refused 0 rows).
@pytest.mark.parametrize("labels,params", [
    (["favorable"] * 6 + ["unfavorable"] * 6, {}),
    (["favorable"] + ["neutral"] * 11, {}),
    (["favorable"] * 6 + ["unfavorable"] * 6, {"ngram": None}),
    (["neutral"] * 4, {}),
])
@pytest.mark.parametrize("empty", [[], (), np.array([], dtype=str)], ids=["list", "tuple", "array"])
def test_no_article_gives_no_prediction(labels, params, empty):
    clf = StanceClassifier(MINI, **params).fit(list(CORPUS.texts[:len(labels)]), labels)
    assert clf.predict_proba(empty).shape == (0, len(clf.classes_))
    assert clf.predict(empty).shape == (0,)
    assert clf.predict_proba(["أي نص"]).shape == (1, len(clf.classes_))


@pytest.mark.parametrize("params", [{"ngram": "word"}, {"ngram": None}, {"lexicon_weight": 0.5, "C": 1.0}])
def test_variants_learn_too(params):
    texts, labels, _ = CORPUS.party("lna")
    clf = StanceClassifier(MINI, **params).fit(texts, labels)
    assert (clf.predict(texts) == np.array(labels)).mean() >= 0.8
    assert clone(clf).get_params() == clf.get_params()


@pytest.mark.parametrize("X,y,error,message", [
    (["نص", "نص آخر"], ["neutral"], ValueError, "same length"),
    ([], [], ValueError, "0 articles"),
    (["نص", "نص آخر"], [0.5, 1.5], ValueError, "Unknown label type"),
    (["نص", "نص آخر"], [["a"], ["b"]], ValueError, "must be 1-D"),
    ("نص واحد", ["neutral"], TypeError, "not a single str"),
])
def test_bad_fit_input(X, y, error, message):
    with pytest.raises(error, match=message):
        StanceClassifier(MINI).fit(X, y)


def test_use_lexicon_changes_the_lexicon_of_a_fitted_classifier():
    texts, labels, _ = CORPUS.party("lna")
    clf = StanceClassifier(MINI).fit(texts, labels)
    before = clf.predict_proba(texts[:3])
    clf.use_lexicon(str(DATA / "forms"))
    assert clf.lexicon == str(DATA / "forms") and clf._lexicon_features().lexicon == str(DATA / "forms")
    assert clf._lexicon_features()._get_scorer().lexicon.name == "forms"  # the new lexicon is the one used
    assert clf.predict_proba(texts[:3]).shape == before.shape


# The classifier with numeric rows rendered as texts (tests/adapters.py).
EXPECTED_FAILURES = {
    "check_class_weight_classifiers": (
        "the label is the most probable class after sigmoid calibration, and calibration maps the "
        "class-weighted scores back to observed frequencies; class_weight shapes the scores, it cannot "
        "force the predictions toward one class as this check demands"),
}


@sklearn_checks([NumericStanceClassifier(MINI)], expected_failed_checks=lambda est: EXPECTED_FAILURES)
def test_scikit_learn_contract(estimator, check):
    check(estimator)


def test_composes_with_scikit_learn_tools():
    """Model selection utilities index a pandas Series of texts and clone the classifier per fold."""
    import pandas as pd
    from sklearn.model_selection import GridSearchCV

    texts, labels, _ = CORPUS.party("lna")
    search = GridSearchCV(StanceClassifier(MINI), {"C": [1.0, 10.0]}, cv=3, scoring="f1_macro").fit(
        pd.Series(texts), pd.Series(labels))
    assert search.best_params_["C"] in (1.0, 10.0) and search.best_score_ > 0.5
    assert list(search.predict([t for t, _, _ in UNSEEN])) == [lna for _, lna, _ in UNSEEN]
