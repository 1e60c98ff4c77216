"""``framing evaluate``: how far the scorer (and a stance model) agree with a labelled corpus."""

from __future__ import annotations

from .common import SkipCounter, add_input_options, int_at_least, print_json


def add_parser(sub) -> None:
    p = sub.add_parser(
        "evaluate", help="agreement of the lexicon (and a model) with a labelled corpus",
        description="Compare the scorer's readings (and a stance model's) with the stance_<party> labels of a "
                    "corpus: lean accuracy (abstention counts as wrong), coverage and precision, neutral texts "
                    "given a lean, 3-way text-stance macro-F1, per-party macro-F1 and confusion matrices, and "
                    "evidence recall when records carry an `evidence` list. Definitions: `framing.evaluate`.")
    add_input_options(p, corpus_only=True)
    p.add_argument("--model", default=None, help="a stance model from `framing train`, evaluated beside the lexicon")
    p.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    p.add_argument("--misses", type=int_at_least(0), default=0, metavar="N",
                   help="list the N texts the lexicon reads worst, with unmatched evidence and untargeted matches")
    p.add_argument("--by", default=None, metavar="FIELD", help="figures per value of a field too (e.g. outlet_alignment)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..corpus import is_corpus
    from ..errors import InputError
    from ..evaluate import evaluate
    from ..scorer import scorer_for

    if not is_corpus(args.input):
        raise InputError(f"{args.input}: evaluate needs a labelled corpus (.jsonl, .json, .csv or `demo`)")
    scorer = scorer_for(args.lexicon)
    model = None
    if args.model:
        from ..model import load_model

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    skips = SkipCounter()
    result = evaluate(args.input, scorer=scorer, model=model, by=args.by, text_field=args.text_field,
                      encoding=args.encoding, skip_bad=args.skip_bad, on_skip=skips)
    if result.unlabelled:
        warn(f"{result.unlabelled} records without any stance_<party> label left out")
    skips.summary(len(result.items) + result.unlabelled)
    if args.json:
        print_json(result.to_dict(args.misses))
    else:
        print(render(result, args.misses))
    return 0


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _frac(x: float | None, a: int | None, b: int | None) -> str:
    return "-" if x is None else f"{x:.3f} ({a}/{b})"


ROWS = (
    ("lean accuracy (abstain = wrong)", lambda f: _frac(f.lean_accuracy, f.lean_right, f.sided)),
    ("lean coverage", lambda f: _frac(f.lean_coverage, f.lean_given, f.sided)),
    ("lean precision", lambda f: _frac(f.lean_precision, f.lean_right, f.lean_given)),
    ("neutral texts given a lean", lambda f: _frac(f.neutral_lean_share, f.neutral_given_lean, f.neutral)),
    ("3-way text stance macro-F1", lambda f: _f(f.text_stance.macro_f1)),
)


def render(result, misses: int = 0) -> str:
    """The evaluation as text: a table of figures per reader, confusion matrices, groups, misses."""
    counts = result.counts()
    sided = sum(n for s, n in counts.items() if s != "neutral")
    lines = [f"{result.source}: {len(result.items)} labelled texts ({sided} sided: "
             + ", ".join(f"{s} {n}" for s, n in counts.items()) + f"); lexicon {result.lexicon}",
             ("text stance from the labels: favorable to a party votes for its side, unfavorable for the other "
             "side(s), split; the side with the most votes, neutral on a tie"),
             ""]
    width = 40
    lines.append((f"{'':<{width}}" + "".join(f"{r:<22}" for r in result.readers)).rstrip())
    rows = list(ROWS)
    for party in result.parties:
        rows.append((f"macro-F1 {party} (abstain = sign of net)",
                     lambda f, p=party: _f(f.parties[p].macro_f1) if p in f.parties else "-"))
    lexicon = result.figures["lexicon"]
    if lexicon.evidence is not None:
        rows.append(("evidence recall (sided texts)",
                     lambda f: _frac(f.evidence_recall, f.evidence_sided_matched, f.evidence_sided)))
        rows.append(("evidence recall (all texts)",
                     lambda f: _frac(f.evidence_recall_all, f.evidence_matched, f.evidence)))
    for name, get in rows:
        lines.append(f"{name:<{width}}" + "".join(f"{get(result.figures[r]):<22}" for r in result.readers).rstrip())
    for reader in result.readers:
        for party, pf in result.figures[reader].parties.items():
            lines += ["", f"{party} ({reader}): gold rows, reading columns"]
            columns = list(next(iter(pf.confusion.values())))
            lines.append(f"{'':<14}" + "".join(f"{c:>13}" for c in columns))
            for gold, row in pf.confusion.items():
                lines.append(f"{gold:<14}" + "".join(f"{row[c]:>13}" for c in columns))
    if result.by is not None:
        lines += _groups(result)
    if misses:
        lines += _misses(result, misses)
    return "\n".join(lines)


def _groups(result) -> list[str]:
    head = ["n", "sided", "lean acc", "coverage", "precision", "neutral lean", "3-way F1"]
    head += [f"F1 {p}" for p in result.parties]
    has_evidence = result.figures["lexicon"].evidence is not None
    if has_evidence:
        head.append("evidence")
    lines = []
    for reader in result.readers:
        lines += ["", f"by {result.by} ({reader})", f"{'':<24}" + "".join(f"{h:>13}" for h in head)]
        for group, figs in result.groups.items():
            f = figs[reader]
            cells = [str(f.n), str(f.sided), _f(f.lean_accuracy), _f(f.lean_coverage), _f(f.lean_precision),
                     _f(f.neutral_lean_share), _f(f.text_stance.macro_f1)]
            cells += [_f(f.parties[p].macro_f1) if p in f.parties else "-" for p in result.parties]
            if has_evidence:
                cells.append(_f(f.evidence_recall) if reader == "lexicon" else "-")
            lines.append(f"{group[:23]:<24}" + "".join(f"{c:>13}" for c in cells))
    return lines


def _misses(result, n: int) -> list[str]:
    worst = result.misses(n)
    lines = ["", f"the {len(worst)} texts the lexicon reads worst:"]
    for it in worst:
        reading = it.readings["lexicon"]
        gold = ", ".join(f"{p} {label}" for p, label in it.labels.items())
        read = ", ".join(f"{p} {reading.stances.get(p) or 'abstain'}" for p in it.labels)
        lines.append(f"- {it.id} ({it.where}): gold {it.stance} ({gold}); read {reading.stance} ({read})")
        unmatched = [e for e, hit in zip(it.evidence, it.matched) if not hit]
        if unmatched:
            lines.append("    unmatched evidence: " + " | ".join(f"«{e}»" for e in unmatched))
        if it.untargeted:
            lines.append("    untargeted matches: " + " | ".join(it.untargeted))
    return lines
