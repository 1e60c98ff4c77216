"""``framing train``: cross-validate per-party stance models against baselines, and save one."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from .common import (
    SkipCounter,
    add_input_options,
    add_more_inputs,
    check_sources,
    input_files,
    int_at_least,
    items,
    print_json,
    sources,
)

HELP = "train per-party stance classifiers on labelled articles"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "train", help=HELP,
        description="Cross-validate one stance classifier per labelled party (fields stance_<party> = "
                    "favorable, neutral or unfavorable) against the majority class and the lexicon rule; "
                    "with -o, fit on every labelled article and save the model.")
    add_input_options(p, corpus_only=True)
    add_more_inputs(p)
    p.add_argument("-o", "--output", default=None, help="save the model fitted on all labelled articles (.skops)")
    p.add_argument("--cv", type=int_at_least(2), default=5, help="number of cross-validation folds (default: 5)")
    p.add_argument("--group-by", default=None, metavar="FIELD",
                   help="hold out whole groups (e.g. `outlet`) instead of stratified folds")
    p.add_argument("--ngram", choices=("char", "word"), default="char",
                   help="character n-grams inside words (default) or word n-grams")
    p.add_argument("--top", type=int_at_least(0), default=8, help="top features shown per party and class (default: 8)")
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object keyed by party")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..corpus import CORPUS_FILES, is_corpus, sources_label
    from ..features import shared_work
    from ..labels import read_labelled
    from ..scorer import scorer_for

    check_sources(args)
    if not is_corpus(args.input):
        raise InputError(f"{args.input}: training needs a labelled corpus ({CORPUS_FILES})")
    if args.output:  # checked now rather than after minutes of cross-validation
        from ..output import check_output

        check_output(args.output, input_files(args), what="the model")
    scorer = scorer_for(args.lexicon)
    skips = SkipCounter()
    corpus = read_labelled(items(args), scorer.lexicon.parties, args.skip_bad)
    skips.report(corpus.skips)
    named = sources_label(sources(args))
    if not len(corpus):
        raise InputError(f"{named}: no articles")
    if not corpus.labels:
        raise InputError(f"{named}: no stance labels; give articles fields stance_<party> (e.g. stance_lna) "
                         "set to favorable, neutral or unfavorable")
    groups = _groups(corpus, args.group_by) if args.group_by else None
    lexicon = args.lexicon
    if lexicon is not None and Path(lexicon).is_dir():  # a path, recorded absolute so the model finds it later
        lexicon = str(Path(lexicon).resolve())
    params = {"ngram": args.ngram}
    with shared_work():  # the parties, folds and final fit all score the same articles
        return _train(args, corpus, scorer, lexicon, params, groups, skips)


def _train(args, corpus, scorer, lexicon, params, groups, skips) -> int:
    from ..evaluation import cross_validate, lexicon_stances
    from ..progress import wanted
    from ..render.text import training_report

    def make_model():
        from ..classifier import StanceClassifier

        return StanceClassifier(lexicon, **params)

    labelled = sorted({i for p in corpus.labels for i in corpus.party(p)[2]})
    position = {i: k for k, i in enumerate(labelled)}
    rule = lexicon_stances([corpus.texts[i] for i in labelled], list(corpus.labels), scorer)
    results = {}
    show = wanted()
    for party in corpus.labels:
        texts, y, index = corpus.party(party)

        def on_fold(k, n, party=party):
            if show:  # cross-validating a large corpus takes minutes: say where it is, on a terminal only
                print(f"\rframing: cross-validating {party}: fold {k + 1}/{n}", end="", file=sys.stderr, flush=True)

        evaluation = cross_validate(texts, y, [rule[party][position[i]] for i in index], make_model, party=party,
                                    folds=args.cv, groups=None if groups is None else [groups[i] for i in index],
                                    group_by=args.group_by, on_fold=on_fold)
        if show:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
        results[party] = evaluation
    model = None
    if args.output:
        from ..model import StanceModel, save_model

        model = StanceModel(lexicon, **params).fit(corpus.texts, corpus.labels)
        save_model(model, args.output)
    if args.json:
        print_json({party: e.to_dict() for party, e in results.items()})
    else:
        print(training_report(results, model, args.top))
    if model is not None:
        print(f"framing: saved the stance model of {', '.join(model.parties)} to {args.output}", file=sys.stderr)
    skips.summary(len(corpus))
    return 0


def _groups(corpus, field: str) -> dict[int, str]:
    """The group of every labelled article (an unlabelled one may lack the field)."""
    out = {}
    for party in corpus.labels:
        for i in corpus.party(party)[2]:
            value = corpus.meta[i].get(field)
            if value is None or value == "":
                raise InputError(f"{corpus.where[i]}: no {field!r} field for --group-by {field}")
            out[i] = str(value)
    return out
