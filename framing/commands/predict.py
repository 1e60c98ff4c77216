"""``framing predict``: per-party stance of articles with a model from ``framing train``."""

from __future__ import annotations

import json
import sys
from contextlib import closing

from .common import (
    SkipCounter,
    add_input_options,
    add_jobs_option,
    add_more_inputs,
    check_sources,
    int_at_least,
    reads_corpus,
    records,
)

BATCH = 512  # articles predicted together: fast, and memory stays flat on any corpus size


HELP = "predict per-party stance with a trained model"


def add_parser(sub) -> None:
    p = sub.add_parser("predict", help=HELP,
                       description="Predict the stance of each article toward every party of a model "
                                   "made by `framing train` (label and calibrated probabilities).")
    p.add_argument("model", metavar="MODEL", help="model file from `framing train -o` (.skops)")
    add_input_options(p, lexicon_help="lexicon name or directory (default: the lexicon the model was trained with)")
    add_more_inputs(p)
    p.add_argument("--json", action="store_true",
                   help='print one JSON object per article: {"id": ..., "stance": {party: {"label", "proba"}}}')
    p.add_argument("--explain", type=int_at_least(0), default=0, metavar="N",
                   help="also show the N features that pushed each prediction most (default: 0)")
    add_jobs_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..model import load_model
    from ..parallel import ordered_map, resolve_jobs
    from .score import in_order

    check_sources(args)
    jobs = resolve_jobs(args.jobs) if reads_corpus(args) else 1
    model = load_model(args.model, lexicon=args.lexicon, warn=warn)
    skips = SkipCounter()
    pending: list = []  # skip messages of the reader, kept in their place among the records
    chunked = in_order(records(args, pending.append, "predicting"), pending, BATCH)
    done = 0
    with closing(ordered_map(predict_chunk, chunked, (model, args.explain, args.json), jobs)) as results:
        for events in results:
            for kind, payload in events:
                if kind == "line":
                    sys.stdout.write(payload)
                    done += 1
                elif kind == "skip":
                    skips(payload)
                else:
                    raise payload
    skips.finish(done, args)
    return 0


def predict_chunk(state, items) -> list:
    """Predict a chunk (in a worker with --jobs > 1): ``(kind, payload)`` events in input order."""
    model, explain, as_json = state
    articles = [x for x in items if not isinstance(x, tuple)]
    stances = iter(model.predict([r.text for r in articles]) if articles else ())
    events = []
    for item in items:
        if isinstance(item, tuple):
            events.append(item)
            continue
        stance = next(stances)
        explanation = model.explain(item.text, explain) if explain > 0 else None
        events.append(("line", _format(item, stance, explanation, as_json)))
    return events


def _format(record, stance: dict, explanation: dict | None, as_json: bool) -> str:
    if as_json:
        out = {"id": record.meta.get("id", record.where), "stance": stance}
        if explanation is not None:
            out["explanation"] = {p: e.to_dict() for p, e in explanation.items()}
        return json.dumps(out, ensure_ascii=False) + "\n"
    from ..render.text import prediction_lines

    return prediction_lines(record.meta.get("id", record.where), stance, explanation) + "\n"


