"""``framing score``: the framing evidence of one article or of every article in a corpus."""

from __future__ import annotations

from itertools import islice

from .common import SkipCounter, add_input_options, print_json, records

BATCH = 512  # with --model: articles predicted together (one call per article is ~10x slower)


def add_parser(sub) -> None:
    p = sub.add_parser("score", help="score one article or a corpus with a lexicon",
                       description="Score articles: lean, per-side framing, per-party stance and every match.")
    add_input_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object per article (JSON Lines)")
    p.add_argument("--model", default=None, help="a stance model from `framing train`: its stance, and the combined stance "
                   "(the lexicon where it has strong evidence, the classifier otherwise)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..combine import combine
    from ..render.text import score_report
    from ..scorer import scorer_for

    scorer = scorer_for(args.lexicon)
    model = None
    if args.model:
        from ..model import load_model  # scikit-learn is imported only when a model is used

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    skips = SkipCounter()
    done = 0
    stream = records(args, skips, "scoring")
    while batch := list(islice(stream, BATCH if model is not None else 1)):
        stances = model.predict([r.text for r in batch]) if model is not None else [None] * len(batch)
        for record, stance in zip(batch, stances):
            result = scorer.score(record.text, record.meta)
            for message in result.warnings:
                warn(f"{record.where}: {message}")
            if args.json:
                out = result.to_dict()
                if stance is not None:
                    out["model"] = stance
                    out["combined"] = combine(result, stance)
                print_json(out)
            else:
                print(score_report(result, record.text, record.where, stance))
            done += 1
    skips.summary(done)
    return 0
