"""One per-party stance from the lexicon's reading and a stance classifier's prediction.

The rule: the lexicon's stance where it commits on strong evidence about the party (at least
``min_evidence`` of summed weight: two clearly loaded words), the classifier's label otherwise.
The lexicon's stance can be checked match by match; the classifier reads what the lexicon misses
(framing without loaded words, sourcing, topic).

How the rule was chosen: on a labelled sample of real Arabic news about the 2019-2020 Libyan war
(253 texts, 178 outlets), with a classifier trained by 5-fold cross-validation grouped by outlet,
``benchmarks/combined_stance.py`` prints these per-party macro-F1 (LNA / GNA; the README's
"Combined stance" quotes its latest run): lexicon alone 0.873 / 0.873, classifier alone
0.907 / 0.860, combined with ``min_evidence`` 1 0.907 / 0.869, 2 to 4 0.907 / 0.860. The default,
3, was chosen on the run before (1: 0.902 / 0.869, 3: 0.907 / 0.855), where it was the least
threshold as accurate as the classifier for both parties, while every stance with much lexicon
evidence stays one a reader can check match by match; on 253 texts the two runs differ by a text
or two. For the GNA the lexicon alone does better on this sample (0.873). Run the benchmark on your own
labelled corpus before trusting these figures for it.
"""

from __future__ import annotations

#: Summed lexicon weight about a party from which the lexicon's stance is kept.
MIN_EVIDENCE = 3.0


def combine(score, predicted: dict[str, dict], min_evidence: float = MIN_EVIDENCE) -> dict[str, dict]:
    """The combined stance of each party the classifier predicts.

    Parameters
    ----------
    score : Score
        The lexicon's reading of the article (:meth:`framing.scorer.Scorer.score`).
    predicted : dict
        One row of :meth:`framing.model.StanceModel.predict`: ``{party: {"label": ..., "proba": ...}}``.
    min_evidence : float, default=3.0
        Evidence about a party (favorable plus unfavorable, in lexicon weights) from which the
        lexicon's stance is kept.

    Returns
    -------
    dict
        ``{party: {"stance": str, "source": "lexicon" | "classifier"}}``.
    """
    out = {}
    for party, row in predicted.items():
        stance = score.parties.get(party)
        if stance is not None and stance.stance is not None and stance.favorable + stance.unfavorable >= min_evidence:
            out[party] = {"stance": stance.stance, "source": "lexicon"}
        else:
            out[party] = {"stance": row["label"], "source": "classifier"}
    return out
