"""``framing predict``: per-party stance of articles with a model from ``framing train``."""

from __future__ import annotations

from .common import SkipCounter, add_input_options, print_json, records

BATCH = 512  # articles predicted together: fast, and memory stays flat on any corpus size


def add_parser(sub) -> None:
    p = sub.add_parser("predict", help="predict per-party stance with a trained model",
                       description="Predict the stance of each article toward every party of a model "
                                   "made by `framing train` (label and calibrated probabilities).")
    p.add_argument("model", help="model file from `framing train -o` (.skops)")
    add_input_options(p)
    p.add_argument("--json", action="store_true",
                   help='print one JSON object per article: {"id": ..., "stance": {party: {"label", "proba"}}}')
    p.add_argument("--explain", type=int, default=0, metavar="N",
                   help="also show the N features that pushed each prediction most (default: 0)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..model import load_model

    model = load_model(args.model, lexicon=args.lexicon, warn=warn)
    skips = SkipCounter()
    done = 0
    batch = []

    def flush():
        for record, stance in zip(batch, model.predict([r.text for r in batch])):
            explanation = model.explain(record.text, args.explain) if args.explain > 0 else None
            _emit(record, stance, explanation, args.json)
        batch.clear()

    for record in records(args, skips, "predicting"):
        batch.append(record)
        done += 1
        if len(batch) >= BATCH:
            flush()
    flush()
    skips.summary(done)
    return 0


def _emit(record, stance: dict, explanation: dict | None, as_json: bool) -> None:
    if as_json:
        out = {"id": record.meta.get("id", record.where), "stance": stance}
        if explanation is not None:
            out["explanation"] = {p: e.to_dict() for p, e in explanation.items()}
        print_json(out)
        return
    from ..render.text import prediction_lines

    print(prediction_lines(record.meta.get("id", record.where), stance, explanation))


