"""Numeric-input adapters, so scikit-learn's estimator checks can exercise text estimators.

The checks feed 2-D numeric arrays, while framing's estimators take articles. Each adapter is the
real estimator with one difference: a numeric row is first validated like any scikit-learn input
(NaN, inf, complex, empty, feature count; ``validate_data``) and then written out as a short text
in which every feature is a word naming its column, sign and half-unit bin, e.g. ``f0p3 f1n1``,
followed by a sentence with lexicon terms chosen by the same bins (so the lexicon features vary
too). Everything after that, fitting, calibration, probabilities, persistence, is the estimator's
own code.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from framing.classifier import StanceClassifier
from framing.features import LexiconFeatures, TextNgrams

from .conftest import DATA

MINI = str(DATA / "mini")
# Sentences with terms of the mini lexicon: bins pick among them.
SENTENCES = ("قصفت ميليشيات حفتر الأحياء.", "تقدمت قوات الوفاق الباسلة.", "قال المشير إن الجيش الوطني الليبي تقدم.",
             "ما يسمى بالوفاق يرفض الحوار.", "مرتزقة فاغنر في الجنوب.")


def render(X) -> list[str]:
    texts = []
    for row in np.asarray(X, dtype=float):
        words = [f"f{j}{'n' if v < 0 else 'p'}{int(abs(v) * 2)}" for j, v in enumerate(row)]
        bins = int(abs(row).sum() * 2) if len(row) else 0
        texts.append(" ".join(words) + " " + SENTENCES[bins % len(SENTENCES)])
    return texts


def _numeric_tags(tags):
    tags.input_tags.two_d_array = True
    tags.input_tags.string = False
    return tags


class NumericTransformer:
    """Mixin: validate numeric X, render it as text, then the text transformer's own code."""

    def __sklearn_tags__(self):
        return _numeric_tags(super().__sklearn_tags__())

    def fit(self, X, y=None):
        X = validate_data(self, X)
        return super().fit(render(X), y)

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return super().transform(render(X))


class NumericLexiconFeatures(NumericTransformer, LexiconFeatures):
    pass


class NumericTextNgrams(NumericTransformer, TextNgrams):
    pass


class NumericStanceClassifier(StanceClassifier):
    def __sklearn_tags__(self):
        return _numeric_tags(super().__sklearn_tags__())

    def fit(self, X, y):
        X, y = validate_data(self, X, y)
        return super().fit(render(X), y)

    def predict_proba(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return super().predict_proba(render(X))


def sklearn_checks(estimators, expected_failed_checks=None):
    """``parametrize_with_checks`` (strict about expected failures), without the array-API check.

    ``check_array_api_input`` runs only when SciPy was imported with ``SCIPY_ARRAY_API=1`` and
    skips otherwise; our estimators do not claim array-API support, so it is left out rather than
    reported as a skip.
    """
    import pytest
    from sklearn.utils.estimator_checks import parametrize_with_checks

    mark = parametrize_with_checks(estimators, expected_failed_checks=expected_failed_checks, xfail_strict=True)
    argnames, values = mark.args
    ids = mark.kwargs["ids"]

    def name(value):
        check = value.values[1] if hasattr(value, "values") else value[1]
        return ids(check)

    return pytest.mark.parametrize(argnames, [v for v in values if "check_array_api_input" not in name(v)], ids=ids)
