"""``framing report``: an HTML page of one article's evidence, or of a corpus compared by group."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import (
    add_input_options,
    add_jobs_option,
    add_more_inputs,
    add_voice_option,
    check_sources,
    input_files,
    int_at_least,
    one_article,
    reads_corpus,
    score_args,
    sources,
)

HELP = "write an HTML report: one article with its evidence highlighted, or a corpus by group"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report", help=HELP,
        description="Write a self-contained HTML page (no network needed to view it). A single article (text "
                    "file or -) gives the article with every match highlighted and explained; a corpus gives "
                    "the table by --by with intervals, charts, and each group's strongest evidence linked to "
                    "its article.")
    add_input_options(p)
    add_more_inputs(p)
    p.add_argument("-o", "--output", required=True, help="the .html file to write")
    p.add_argument("--by", default="outlet", help="corpus: field whose values form the groups (default: outlet)")
    p.add_argument("--evidence", type=int_at_least(0), default=3, metavar="K",
                   help="corpus: pieces of evidence shown per group (default: 3)")
    p.add_argument("--id", default=None, help="report the one article with this id among the inputs (a text file's id is its name; an id two articles share is refused)")
    p.add_argument("--model", default=None, help="a stance model from `framing train`, shown beside the lexicon")
    p.add_argument("--seed", type=int_at_least(0), default=0, help="corpus: bootstrap seed (default: 0)")
    add_voice_option(p)
    add_jobs_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..output import check_output
    from ..render import html
    from ..scorer import scorer_for

    check_sources(args)
    out = check_output(args.output, input_files(args), suffixes=(".html", ".htm"), what="the report")
    scorer = scorer_for(args.lexicon)
    model = None
    if args.model:
        from ..model import load_model

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    corpus = reads_corpus(args)
    if corpus and args.id is None:
        page = _corpus(args, scorer, model, html)
    else:
        page = _article(args, scorer, model, html, corpus)
    html.write_page(page, out)
    print(f"framing: wrote {out}", file=sys.stderr)
    return 0


def _article(args, scorer, model, html, corpus: bool) -> str:
    chosen = one_article(args)
    result = scorer.score(chosen.text, chosen.meta)
    stance = model.predict([chosen.text])[0] if model is not None else None
    combined = None
    if stance is not None:
        from ..combine import combine

        combined = combine(result, stance)
    name = Path(chosen.where).stem if not corpus else chosen.where
    return html.article_page(result, model_stance=stance, combined=combined, name=name)


def _corpus(args, scorer, model, html) -> str:
    from .. import charts
    from ..groups import CompareSettings
    from ..table import compare

    df = score_args(args, scorer, model)
    table = compare(df, by=args.by, seed=args.seed)
    settings = CompareSettings.of(table)
    evidence = html.strongest_evidence(df, args.by, args.evidence)
    cited = dict.fromkeys(label for items in evidence.values() for label, _ in items)
    text_field = df.attrs.get("text_field", "text")
    keep = [c for c in df.columns if c in ("id", "outlet", "date", "title", args.by)]
    scores = {label: scorer.score(df.at[label, text_field], {k: _plain(df.at[label, k]) for k in keep})
              for label in cited}
    figures = {}
    if "slant.mean" in table.columns:
        figures[f"Slant by {args.by}"] = charts.outlet_chart(table, settings=settings)
        try:
            figures[f"Loaded terms by {args.by}"] = charts.term_chart(df, by=args.by, lexicon=scorer.lexicon)
        except charts.NothingToDraw:  # no outlet's own words are loaded (neutral copy, quotes only): the table says it
            pass
    return html.corpus_page(table, scores, evidence, figures=figures, settings=settings,
                            title=f"Framing by {args.by}: {_inputs(args)}")


def _inputs(args) -> str:
    """The inputs' file names for a title (:func:`framing.corpus.sources_label`)."""
    from ..corpus import display_name, sources_label

    return sources_label(display_name(Path(source).name) for source in sources(args))


def _plain(value):
    """A table cell as a plain value (pandas' missing values become None)."""
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
