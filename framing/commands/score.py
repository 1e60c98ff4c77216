"""``framing score``: the framing evidence of one article or of every article in a corpus."""

from __future__ import annotations

import sys
from contextlib import closing

from .common import SkipCounter, add_input_options, add_jobs_option, records

BATCH = 512  # with --model: articles predicted together (one call per article is ~10x slower)
CHUNK = 64  # without a model: articles sent to a worker at a time


def add_parser(sub) -> None:
    p = sub.add_parser("score", help="score one article or a corpus with a lexicon",
                       description="Score articles: lean, per-side framing, per-party stance and every match.")
    add_input_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object per article (JSON Lines)")
    p.add_argument("--model", default=None, help="a stance model from `framing train`, shown beside the lexicon")
    add_jobs_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..corpus import is_corpus
    from ..parallel import ordered_map, resolve_jobs
    from ..scorer import scorer_for

    jobs = resolve_jobs(args.jobs) if is_corpus(args.input) else 1
    scorer = scorer_for(args.lexicon)
    model = None
    if args.model:
        from ..model import load_model  # scikit-learn is imported only when a model is used

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    skips = SkipCounter()
    pending: list = []  # skip messages of the reader, kept in their place among the records
    stream = records(args, pending.append, "scoring")
    chunked = in_order(stream, pending, BATCH if model is not None else CHUNK)
    write = sys.stdout.write
    done = 0
    from ..jsonl import JsonRenderer

    state = (scorer, model, JsonRenderer(scorer.lexicon) if args.json else None)
    with closing(ordered_map(score_chunk, chunked, state, jobs)) as results:
        for events in results:
            for kind, payload in events:
                if kind == "line":
                    write(payload)
                    done += 1
                elif kind == "warn":
                    warn(payload)
                elif kind == "skip":
                    skips(payload)
                else:
                    raise payload
    skips.summary(done)
    return 0


def in_order(stream, pending: list, size: int):
    """Chunks of ``size`` records, each with the reader's skip messages before the record they
    preceded, and a reader's error as the last item (raised when the output reaches it)."""
    from ..errors import FramingError

    chunk: list = []
    count = 0
    try:
        for record in stream:
            chunk.extend(("skip", m) for m in pending)
            pending.clear()
            chunk.append(record)
            count += 1
            if count == size:
                yield chunk
                chunk, count = [], 0
    except FramingError as exc:
        chunk.extend(("skip", m) for m in pending)
        chunk.append(("error", exc))
        pending.clear()
    chunk.extend(("skip", m) for m in pending)
    if chunk:
        yield chunk


def score_chunk(state, items) -> list:
    """Score a chunk (in a worker): ``(kind, payload)`` events in input order, each article's
    warnings before its output line."""
    from ..errors import FramingError
    from ..report import render

    scorer, model, renderer = state
    articles = [x for x in items if not isinstance(x, tuple)]
    stances = iter(model.predict([r.text for r in articles]) if model is not None and articles else ())
    events = []
    for item in items:
        if isinstance(item, tuple):
            events.append(item)
            continue
        stance = next(stances, None)
        try:
            result = scorer.score(item.text, item.meta)
        except FramingError as exc:
            events.append(("error", exc))
            break
        events.extend(("warn", f"{item.where}: {message}") for message in result.warnings)
        if renderer is not None:
            events.append(("line", renderer.render(result, None if stance is None else {"model": stance}) + "\n"))
        else:
            events.append(("line", render(result, item.text, item.where, stance) + "\n"))
    return events
