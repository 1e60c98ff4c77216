"""How to combine the lexicon's and the classifier's per-party stances, measured by cross-validation.

For a labelled corpus (``stance_<party>`` fields), trains :class:`framing.model.StanceModel` on K-1
folds and predicts the held-out fold (folds grouped by ``outlet`` when records have one, so that
no outlet is both trained and tested on), then prints per-party macro-F1 (favorable / neutral /
unfavorable; where the lexicon abstains, the sign of ``net``) of

* the lexicon alone, the classifier alone, and
* the combined stance of :func:`framing.combine.combine` for several ``min_evidence`` values.

It is a benchmark, not a test: a real labelled corpus is given as an argument and is not part of
the project. It trains K models; on a 2-core machine and 253 texts it takes a few minutes.

Usage: python benchmarks/combined_stance.py CORPUS [FOLDS]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from framing.combine import combine
from framing.corpus import read_records
from framing.evaluate import lexicon_reading
from framing.labels import LABELS, read_labelled
from framing.model import StanceModel
from framing.scorer import Scorer

THRESHOLDS = (1.0, 2.0, 3.0, 4.0)


def main(source: str, folds: int = 5) -> None:
    scorer = Scorer()
    corpus = read_labelled(read_records(source), scorer.lexicon.parties)
    texts = list(corpus.texts)
    groups = [m.get("outlet") or f"row {i}" for i, m in enumerate(corpus.meta)]
    predicted = [None] * len(texts)
    for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
        model = StanceModel().fit([texts[i] for i in train],
                                  {p: [v[i] for i in train] for p, v in corpus.labels.items()})
        for i, row in zip(test, model.predict([texts[i] for i in test])):
            predicted[i] = row
    scores = [scorer.score(t) for t in texts]
    # Where the lexicon abstains, the sign of its net evidence, as `framing evaluate` counts it.
    readers = {"lexicon alone": lambda s, row, p: lexicon_reading(s).resolved[p],
               "classifier alone": lambda s, row, p: row[p]["label"]}
    for t in THRESHOLDS:
        readers[f"combined, min_evidence {t:g}"] = (
            lambda s, row, p, t=t: combine(s, {p: row[p]}, t)[p]["stance"])
    parties = [p for p in corpus.labels if all(row is not None and p in row for row in predicted)]
    print(f"{source}: {len(texts)} labelled texts, {folds}-fold cross-validation grouped by outlet")
    print(f"{'per-party macro-F1':<32}" + "".join(f"{p:>8}" for p in parties))
    for name, read in readers.items():
        cells = []
        for p in parties:
            pairs = [(y, read(s, row, p)) for y, s, row in zip(corpus.labels[p], scores, predicted) if y is not None]
            gold, got = zip(*pairs)
            cells.append(f1_score(gold, got, average="macro", labels=list(LABELS)))
        print(f"{name:<32}" + "".join(f"{c:>8.3f}" for c in cells))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python benchmarks/combined_stance.py CORPUS [FOLDS]")
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
