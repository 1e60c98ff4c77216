"""Cross-validated evaluation of per-party stance models against two baselines.

For one party, the articles labelled for it are split into folds, either stratified by class
(``StratifiedKFold``, shuffled with a fixed seed) or by a metadata field such as the outlet
(``GroupKFold``: every article of an outlet is in the same test fold, so the model is judged on
outlets it never saw; random splits let a model learn an outlet's house style instead of stance).
Predictions of all test folds are pooled, and the same pooled metrics are computed for

* ``majority`` -- the most frequent class of each training fold;
* ``lexicon`` -- the scorer's narrator stance toward the party (abstention read as ``neutral``),
  which needs no training and is the rule the model has to beat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .labels import LABELS


@dataclass(frozen=True)
class Metrics:
    """Pooled out-of-fold metrics of one predictor.

    ``macro_f1`` averages the F1 of the classes present in the labels (a class nobody labelled
    does not count); ``confusion[i][j]`` counts articles of ``labels[i]`` predicted ``labels[j]``.
    """

    macro_f1: float
    accuracy: float
    n: int
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    per_class: dict[str, dict[str, float]]

    def to_dict(self) -> dict:
        return {"macro_f1": round(self.macro_f1, 4), "accuracy": round(self.accuracy, 4), "n": self.n,
                "labels": list(self.labels), "confusion": [list(r) for r in self.confusion],
                "per_class": {k: {m: round(v, 4) if isinstance(v, float) else v for m, v in d.items()}
                              for k, d in self.per_class.items()}}


@dataclass(frozen=True)
class PartyEvaluation:
    """The model's and both baselines' metrics for one party under one cross-validation scheme."""

    party: str
    scheme: str
    folds: int
    group_by: str | None
    counts: dict[str, int]
    model: Metrics
    majority: Metrics
    lexicon: Metrics

    @property
    def beats_lexicon(self) -> bool:
        return self.model.macro_f1 > self.lexicon.macro_f1

    def to_dict(self) -> dict:
        out = self.model.to_dict()
        out["counts"] = dict(self.counts)
        out["cv"] = {"scheme": self.scheme, "folds": self.folds, "group_by": self.group_by}
        out["baselines"] = {"majority": self.majority.to_dict(), "lexicon": self.lexicon.to_dict()}
        out["beats_lexicon"] = self.beats_lexicon
        return out


def metrics(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] = LABELS) -> Metrics:
    """Macro-F1, accuracy, confusion matrix and per-class precision/recall/F1.

    ``labels`` gives the classes and their order (default: the per-party stance labels); the
    macro average is over those that occur in ``y_true``.
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    present = [c for c in labels if c in set(y_true)] or sorted(set(y_true))
    every = [c for c in labels if c in set(y_true) | set(y_pred)]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=present, zero_division=0)
    per_class = {c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                 for i, c in enumerate(present)}
    # Counted here rather than with sklearn's confusion_matrix, which warns on a one-class group.
    index = {c: i for i, c in enumerate(every)}
    cm = np.zeros((len(every), len(every)), dtype=int)
    for t, p_ in zip(y_true, y_pred):
        if t in index and p_ in index:
            cm[index[t], index[p_]] += 1
    return Metrics(float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
                   float(accuracy_score(y_true, y_pred)), len(y_true), tuple(every),
                   tuple(tuple(int(v) for v in row) for row in cm), per_class)


def lexicon_stances(texts: Sequence[str], parties: Sequence[str], scorer) -> dict[str, list[str]]:
    """The scorer's narrator stance toward each party, abstention (None) read as ``neutral``."""
    out: dict[str, list[str]] = {p: [] for p in parties}
    for text in texts:
        stances = scorer.score(text).parties
        for p in parties:
            out[p].append(stances[p].stance or "neutral")
    return out


def check_folds(party: str, y: Sequence[str], folds: int, groups: Sequence[str] | None = None,
                group_by: str | None = None) -> None:
    """Raise :class:`InputError` when a party's labels cannot be split into ``folds`` folds."""
    counts = Counter(y)
    shown = ", ".join(f"{c} {counts[c]}" for c in LABELS if c in counts)
    if len(counts) < 2:
        raise InputError(f"party {party!r}: all {len(y)} labelled articles are {next(iter(counts))!r}; "
                         "a classifier needs at least two classes")
    if groups is None:
        small = [c for c in LABELS if 0 < counts[c] < folds]
        if small:
            raise InputError(
                f"party {party!r}: too few labelled articles for {folds}-fold cross-validation: "
                f"class {small[0]!r} has {counts[small[0]]} (counts: {shown}); label more articles or use fewer folds",
                option="folds",
            )
    elif len(set(groups)) < 2:
        raise InputError(f"party {party!r}: holding out groups of {group_by!r} needs at least two distinct values; "
                         f"all {len(y)} labelled articles have {next(iter(groups))!r}", option="group_by")


def cross_validate(texts: Sequence[str], y: Sequence[str], lexicon_pred: Sequence[str],
                   make_model: Callable[[], object], *, party: str, folds: int = 5,
                   groups: Sequence[str] | None = None, group_by: str | None = None,
                   on_fold: Callable[[int, int], None] | None = None) -> PartyEvaluation:
    """Evaluate ``make_model()`` (a fresh classifier per fold) and the baselines for one party.

    Parameters
    ----------
    texts, y : sequences of the same length
        The articles labelled for ``party`` and their labels.
    lexicon_pred : sequence
        The lexicon rule's label for each article (see :func:`lexicon_stances`).
    folds : int
        Number of folds; with ``groups``, at most the number of distinct groups.
    groups : sequence, optional
        A group per article (e.g. its outlet): whole groups are held out.
    """
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    from .features import shared_work

    texts, y, lexicon_pred = list(texts), np.asarray(y), np.asarray(lexicon_pred)
    check_folds(party, y.tolist(), folds, groups, group_by)
    if groups is None:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
        splits = list(splitter.split(np.zeros(len(y)), y))
    else:
        folds = min(folds, len(set(groups)))
        splits = list(GroupKFold(folds).split(np.zeros(len(y)), y, np.asarray(groups)))
    model_pred = np.empty(len(y), dtype=object)
    majority_pred = np.empty(len(y), dtype=object)
    with shared_work():  # every fold scores the same articles: once is enough
        for k, (train, test) in enumerate(splits):
            if on_fold is not None:
                on_fold(k, len(splits))
            model = make_model().fit([texts[i] for i in train], y[train])
            model_pred[test] = model.predict([texts[i] for i in test])
            majority_pred[test] = Counter(y[train]).most_common(1)[0][0]
    counts = Counter(y.tolist())
    return PartyEvaluation(party, "grouped" if groups is not None else "stratified", len(splits), group_by,
                           {c: counts[c] for c in LABELS if c in counts},
                           metrics(y, model_pred), metrics(y, majority_pred), metrics(y, lexicon_pred))
