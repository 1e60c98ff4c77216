"""How far the lexicon scorer agrees with a labelled corpus (default: the demo corpus).

Prints what ``framing evaluate CORPUS --lexicon LEXICON`` prints (lean accuracy with abstention as
wrong, coverage, precision, neutral texts given a lean, 3-way text-stance macro-F1, per-party
macro-F1 and confusion matrices, evidence recall; definitions in :mod:`framing.evaluate`), then
the lean agreement behind the scorer's default ``lean_min_evidence``: the texts whose lean is the
one their labels imply (sided texts given their side, neutral texts given none) with 1.0 and
with the stricter 2.0.

Run it before and after a change to the lexicon or the rules. It is not a test: the demo corpus is
small and illustrative, and the figures describe it, not Arabic news in general.

Usage: python benchmarks/lexicon_agreement.py [CORPUS [LEXICON]]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.evaluate import evaluate
from framing.render.text import evaluation_report
from framing.scorer import Scorer


def main(source: str = "demo", lexicon: str | None = None) -> None:
    scorer = Scorer(lexicon)
    result = evaluate(source, scorer=scorer)
    print(evaluation_report(result))
    print()
    for threshold in (1.0, 2.0):
        f = evaluate(source, scorer=Scorer(scorer.lexicon, lean_min_evidence=threshold)).figures["lexicon"]
        agree = f.lean_right + f.neutral - f.neutral_given_lean
        wrong = f.lean_given - f.lean_right
        print(f"lean_min_evidence={threshold:g}: {agree}/{f.n} texts get the lean their labels imply; "
              f"{wrong} on the wrong side")


if __name__ == "__main__":
    main(*sys.argv[1:3])
