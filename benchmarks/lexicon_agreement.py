"""How far the lexicon scorer's narrator-voice readings agree with a labelled corpus.

Prints, for a corpus with ``stance_lna`` / ``stance_gna`` labels (default: the demo corpus):

* **lean**: how many articles get the lean their labels imply, and how many get the opposite one,
  with the default ``lean_min_evidence`` and with the stricter 2.0 it was chosen against. With
  the two sides of the default lexicon, the implied lean is ``lna`` when the labels are
  favorable to the LNA or unfavorable to the GNA (and nothing points the other way), ``gna`` in
  the mirror case, and none otherwise;
* **per-party stance**: the share of non-abstaining stances equal to the label (precision), and
  the share of all articles read correctly when an abstention counts as ``neutral``;
* **slant by outlet**: mean narrator slant (LNA framing minus GNA framing per 1,000 words).

Run it before and after a change to the lexicon or the rules. It is not a test: the demo corpus is
small and illustrative, and the figures describe it, not Arabic news in general.

Usage: python benchmarks/lexicon_agreement.py [CORPUS [LEXICON]]   (a lexicon with two sides)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.corpus import read_records
from framing.scorer import Scorer


def implied_lean(meta: dict, sides: tuple[str, str] = ("lna", "gna")) -> str | None:
    a, b = (meta.get(f"stance_{side}") for side in sides)
    pro_a = a == "favorable" or b == "unfavorable"
    pro_b = b == "favorable" or a == "unfavorable"
    if pro_a != pro_b:
        return sides[0] if pro_a else sides[1]
    return None


def main(source: str = "demo", lexicon: str | None = None) -> None:
    scorer = Scorer(lexicon)
    sides = scorer.lexicon.sides
    if len(sides) != 2:
        sys.exit(f"lexicon_agreement.py: the lexicon must have two sides. Got {', '.join(sides)} instead")
    strict = Scorer(scorer.lexicon, lean_min_evidence=2.0)
    n = agree = wrong = strict_agree = 0
    decided = defaultdict(int)
    right = defaultdict(int)
    right_as_neutral = defaultdict(int)
    labelled = defaultdict(int)
    slant = defaultdict(list)
    for record in read_records(source):
        voice = scorer.score(record.text).narrator
        n += 1
        implied = implied_lean(record.meta, sides)
        agree += voice.lean == implied
        wrong += voice.lean is not None and implied is not None and voice.lean != implied
        strict_agree += strict.score(record.text).lean == implied
        for party in sides:
            label = record.meta.get(f"stance_{party}")
            if label is None:
                continue
            stance = voice.parties[party].stance
            labelled[party] += 1
            decided[party] += stance is not None
            right[party] += stance == label
            right_as_neutral[party] += (stance or "neutral") == label
        slant[record.meta.get("outlet", "?")].append(voice.sides[sides[0]] - voice.sides[sides[1]])
    print(f"{n} articles from {source}")
    print(f"lean: {agree}/{n} agree with the lean the labels imply; {wrong} on the wrong side "
          f"({strict_agree}/{n} agree with lean_min_evidence=2.0)")
    for party in sides:
        print(f"stance {party}: {right[party]}/{decided[party]} non-abstaining stances agree "
              f"({right[party] / max(decided[party], 1):.3f}); with abstain = neutral "
              f"{right_as_neutral[party]}/{labelled[party]} ({right_as_neutral[party] / max(labelled[party], 1):.3f})")
    print(f"mean narrator slant ({sides[0].upper()} - {sides[1].upper()} per 1,000 words):")
    for outlet in sorted(slant, key=lambda o: -np.mean(slant[o])):
        print(f"  {outlet:<28} {np.mean(slant[outlet]):+.2f}  (n={len(slant[outlet])})")


if __name__ == "__main__":
    main(*sys.argv[1:3])
