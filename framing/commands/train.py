"""``framing train``: cross-validate per-party stance models against baselines, and save one."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import SkipCounter, add_input_options, feature_label, input_files, int_at_least, print_json, records


def add_parser(sub) -> None:
    p = sub.add_parser(
        "train", help="train per-party stance classifiers on labelled articles",
        description="Cross-validate one stance classifier per labelled party (fields stance_<party> = "
                    "favorable, neutral or unfavorable) against the majority class and the lexicon rule; "
                    "with -o, fit on every labelled article and save the model.")
    add_input_options(p, corpus_only=True)
    p.add_argument("-o", "--output", default=None, help="save the model fitted on all labelled articles (.skops)")
    p.add_argument("--cv", type=int_at_least(2), default=5, help="number of cross-validation folds (default: 5)")
    p.add_argument("--group-by", default=None, metavar="FIELD",
                   help="hold out whole groups (e.g. `outlet`) instead of stratified folds")
    p.add_argument("--ngram", choices=("char", "word"), default="char",
                   help="character n-grams inside words (default) or word n-grams")
    p.add_argument("--top", type=int, default=8, help="top features shown per party and class (default: 8)")
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object keyed by party")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..corpus import is_corpus
    from ..errors import InputError
    from ..evaluation import cross_validate, lexicon_stances
    from ..labels import read_labelled
    from ..progress import wanted
    from ..scorer import scorer_for

    if not is_corpus(args.input):
        raise InputError(f"{args.input}: training needs a labelled corpus (.jsonl, .json, .csv or `demo`)")
    if args.output:  # checked now rather than after minutes of cross-validation
        from ..output import check_output

        check_output(args.output, input_files(args), what="the model")
    scorer = scorer_for(args.lexicon)
    skips = SkipCounter()
    corpus = read_labelled(records(args, skips), scorer.lexicon.parties, args.skip_bad, skips)
    if not len(corpus):
        raise InputError(f"{args.input}: no articles")
    if not corpus.labels:
        raise InputError(f"{args.input}: no stance labels; give articles fields stance_<party> (e.g. stance_lna) "
                         "set to favorable, neutral or unfavorable")
    groups = _groups(corpus, args.group_by) if args.group_by else None
    lexicon = args.lexicon
    if lexicon is not None and Path(lexicon).is_dir():  # a path, recorded absolute so the model finds it later
        lexicon = str(Path(lexicon).resolve())
    params = {"ngram": args.ngram}

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
        print(_report(results, model, args.top))
    if model is not None:
        print(f"framing: saved the stance model of {', '.join(model.parties)} to {args.output}", file=sys.stderr)
    skips.summary(len(corpus))
    return 0


def _groups(corpus, field: str) -> dict[int, str]:
    """The group of every labelled article (an unlabelled one may lack the field)."""
    from ..errors import InputError

    out = {}
    for party in corpus.labels:
        for i in corpus.party(party)[2]:
            value = corpus.meta[i].get(field)
            if value is None or value == "":
                raise InputError(f"{corpus.where[i]}: no {field!r} field for --group-by {field}")
            out[i] = str(value)
    return out


def _report(results, model, top: int) -> str:
    lines = []
    for party, e in results.items():
        scheme = (f"{e.folds} folds holding out whole groups of {e.group_by!r}" if e.scheme == "grouped"
                  else f"stratified {e.folds}-fold")
        counts = ", ".join(f"{c} {n}" for c, n in e.counts.items())
        lines += [f"{party}: {e.model.n} labelled articles ({counts}); cross-validation: {scheme}",
                  f"  {'':<22}{'macro-F1':>9}{'accuracy':>10}"]
        for name, m in (("model", e.model), ("baseline: majority", e.majority), ("baseline: lexicon", e.lexicon)):
            lines.append(f"  {name:<22}{m.macro_f1:>9.3f}{m.accuracy:>10.3f}")
        if not e.beats_lexicon:
            lines.append(f"  the model does NOT beat the lexicon-only rule for {party} "
                         f"(macro-F1 {e.model.macro_f1:.3f} vs {e.lexicon.macro_f1:.3f})")
        labels = e.model.labels
        lines.append("  confusion (rows: label, columns: model prediction)")
        lines.append("  " + " " * 14 + "".join(f"{c[:11]:>12}" for c in labels))
        for c, row in zip(labels, e.model.confusion):
            lines.append(f"  {c:<14}" + "".join(f"{v:>12}" for v in row))
        if model is not None and top > 0:
            clf = model.classifiers_[party]
            for block in ("lexicon", "ngrams"):
                lines.append(f"  top {'lexicon features' if block == 'lexicon' else 'n-grams'} of the saved model "
                             f"for {party}:")
                for label, feats in clf.top_features(top, block).items():
                    lines.append(f"    {label:<12} {', '.join(feature_label(f) for f, _ in feats)}")
        lines.append("")
    return "\n".join(lines).rstrip()


