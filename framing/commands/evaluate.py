"""``framing evaluate``: how far the scorer (and a stance model) agree with a labelled corpus."""

from __future__ import annotations

from ..errors import InputError, plural
from .common import (
    SkipCounter,
    add_input_options,
    add_more_inputs,
    check_sources,
    int_at_least,
    print_json,
    reader_options,
    sources,
)

HELP = "agreement of the lexicon (and a model) with a labelled corpus"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "evaluate", help=HELP,
        description="Compare the scorer's readings (and a stance model's) with the stance_<party> labels of a "
                    "corpus: lean accuracy (abstention counts as wrong), coverage and precision, neutral texts "
                    "given a lean, 3-way text-stance macro-F1, per-party macro-F1 and confusion matrices, and "
                    "evidence recall when records carry an `evidence` list. Definitions: `framing.evaluate`.")
    add_input_options(p, corpus_only=True)
    add_more_inputs(p)
    p.add_argument("--model", default=None, help="a stance model from `framing train`, evaluated beside the lexicon")
    p.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    p.add_argument("--misses", type=int_at_least(0), default=0, metavar="N",
                   help="list the N texts the lexicon reads worst, with unmatched evidence and untargeted matches")
    p.add_argument("--by", default=None, metavar="FIELD", help="figures per value of a field too (e.g. outlet_alignment)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..corpus import CORPUS_FILES, is_corpus
    from ..evaluate import evaluate
    from ..render.text import evaluation_report
    from ..scorer import scorer_for

    check_sources(args)
    if not is_corpus(args.input):
        raise InputError(f"{args.input}: evaluate needs a labelled corpus ({CORPUS_FILES})")
    scorer = scorer_for(args.lexicon)
    model = None
    if args.model:
        from ..model import load_model

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    skips = SkipCounter()
    result = evaluate(sources(args), scorer=scorer, model=model, by=args.by, options=reader_options(args))
    skips.report(result.skips)
    if result.unlabelled:
        warn(f"{plural(result.unlabelled, 'record')} without any stance_<party> label left out")
    skips.summary(len(result.items) + result.unlabelled)
    if args.json:
        print_json(result.to_dict(args.misses))
    else:
        print(evaluation_report(result, args.misses))
    return 0
