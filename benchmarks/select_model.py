"""Choose the stance classifier by cross-validation on the demo corpus (the figures quoted in
``framing/classifier.py``).

Each candidate is a Pipeline (feature union + linear model) evaluated per party under stratified
5-fold and outlet-grouped cross-validation with the same splits as ``framing train``; it prints
pooled macro-F1 and log-loss of the out-of-fold probabilities, and the fit time of one model on
the whole demo corpus. Candidates differ in one thing at a time from the chosen configuration.

Usage: python benchmarks/select_model.py [CANDIDATE ...]   (default: all)
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.metrics import f1_score, log_loss
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from framing.classifier import StanceClassifier
from framing.corpus import read_records
from framing.features import make_features
from framing.labels import LABELS, read_labelled
from framing.lexicon import load_lexicon


def calibrated(model):
    return CalibratedClassifierCV(model, method="sigmoid", cv=StratifiedKFold(3, shuffle=True, random_state=0),
                                  ensemble=False)


def pipeline(model, calibrate=True, scaler=None, **features):
    """The StanceClassifier pipeline with one piece swapped."""
    features.setdefault("lexicon_weight", 0.5)
    union = make_features(**features)
    if scaler is not None:
        union.set_params(lexicon__scale=scaler)
    return Pipeline([("features", union), ("model", calibrated(model) if calibrate else model)])


def logistic(C=10.0):
    return LogisticRegression(C=C, class_weight="balanced", tol=1e-3, max_iter=1000)


def svc(C):
    return LinearSVC(C=C, class_weight="balanced")


CANDIDATES = {
    "chosen: StanceClassifier() defaults": StanceClassifier,
    "logistic regression C=1": lambda: pipeline(logistic(1.0)),
    "logistic regression C=3": lambda: pipeline(logistic(3.0)),
    "logistic regression C=30": lambda: pipeline(logistic(30.0)),
    "logistic C=10, not calibrated": lambda: pipeline(logistic(), calibrate=False),
    "linear SVM C=1 (calibrated)": lambda: pipeline(svc(1.0)),
    "linear SVM C=0.1 (calibrated)": lambda: pipeline(svc(0.1)),
    "ridge classifier (calibrated)": lambda: pipeline(RidgeClassifier(class_weight="balanced")),
    "SGD log-loss alpha=1e-4 (calibrated)": lambda: pipeline(
        SGDClassifier(loss="log_loss", alpha=1e-4, class_weight="balanced", random_state=0)),
    "word 1-2-grams + lexicon": lambda: pipeline(logistic(), ngram="word"),
    "char 3-5-grams + lexicon": lambda: pipeline(logistic(), ngram_range=(3, 5)),
    "char n-grams only": lambda: pipeline(logistic(), lexicon=False),
    "lexicon features only": lambda: pipeline(logistic(), ngram=None),
    "lexicon weight 0.25": lambda: pipeline(logistic(), lexicon_weight=0.25),
    "lexicon weight 1": lambda: pipeline(logistic(), lexicon_weight=1.0),
    "lexicon weight 2": lambda: pipeline(logistic(), lexicon_weight=2.0),
    "standardised lexicon features": lambda: pipeline(logistic(), scaler=StandardScaler()),
}


def evaluate(make, texts, y, groups):
    out = {}
    for scheme, splits in (("stratified", StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y)),
                           ("grouped", GroupKFold(5).split(texts, y, groups))):
        proba = np.zeros((len(y), len(LABELS)))
        for train, test in splits:
            model = make().fit([texts[i] for i in train], y[train])
            p = model.predict_proba([texts[i] for i in test])
            for k, c in enumerate(model.classes_):
                proba[test, LABELS.index(c)] = p[:, k]
        pred = np.array(LABELS)[proba.argmax(1)]
        present = [c for c in LABELS if c in set(y)]
        out[scheme] = (f1_score(y, pred, labels=present, average="macro", zero_division=0),
                       log_loss(y, np.clip(proba, 1e-6, 1), labels=list(LABELS)))
    start = time.perf_counter()
    make().fit(texts, y)
    out["fit"] = time.perf_counter() - start
    return out


def main() -> None:
    warnings.filterwarnings("ignore")
    lexicon = load_lexicon()
    corpus = read_labelled(read_records("demo"), lexicon.parties)
    names = sys.argv[1:] or list(CANDIDATES)
    print(f"demo corpus: {len(corpus)} articles, lexicon {lexicon.name}; macro-F1 / log-loss per party")
    print(f"{'candidate':<40}" + "".join(f"{p + ' strat':>16}{p + ' outlet':>16}{p + ' fit s':>10}"
                                         for p in corpus.labels))
    for name in names:
        cells = []
        for party in corpus.labels:
            texts, y, index = corpus.party(party)
            groups = np.array([corpus.meta[i]["outlet"] for i in index])
            r = evaluate(CANDIDATES[name], texts, np.array(y), groups)
            cells += [f"{r['stratified'][0]:.3f}/{r['stratified'][1]:.2f}", f"{r['grouped'][0]:.3f}/{r['grouped'][1]:.2f}",
                      f"{r['fit']:.1f}"]
        print(f"{name:<40}" + "".join(f"{c:>16}" if k % 3 < 2 else f"{c:>10}" for k, c in enumerate(cells)), flush=True)


if __name__ == "__main__":
    main()
