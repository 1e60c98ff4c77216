"""``framing chart``: draw one article's evidence, or a corpus chart, to a PNG, SVG or PDF file."""

from __future__ import annotations

import sys

from ..errors import InputError
from .common import (
    PERIODS,
    add_input_options,
    add_jobs_option,
    add_more_inputs,
    add_slant_option,
    add_voice_option,
    check_sources,
    input_files,
    int_at_least,
    note_undated,
    one_article,
    reads_corpus,
    score_args,
)

KINDS = ("article", "outlets", "terms", "trend", "distinctive")


HELP = "draw a framing chart (one article, outlet slant, term heatmap, trend, distinctive words)"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "chart", help=HELP,
        description="Draw a chart to a .png, .svg or .pdf file. A single article (text file or -) gives the "
                    "evidence chart; a corpus gives --kind outlets (slant with CIs, the default), terms "
                    "(group x term heatmap), trend (slant over time) or distinctive (words that separate two groups).")
    add_input_options(p)
    add_more_inputs(p)
    p.add_argument("-o", "--output", required=True, help="file to write: .png, .svg or .pdf")
    p.add_argument("--kind", choices=KINDS, default=None,
                   help="chart to draw (default: article for one article, outlets for a corpus)")
    p.add_argument("--by", default="outlet", help="field whose values form the groups (default: outlet)")
    p.add_argument("--over", choices=PERIODS, default="month", help="period of the trend chart (default: month)")
    p.add_argument("--date-field", default="date", help="field holding ISO dates (default: date)")
    p.add_argument("--groups", nargs="+", metavar="GROUP", default=None,
                   help="draw only these groups (outlets, terms, trend); for --kind distinctive, the two groups "
                        "to compare (default: the two most opposite in slant)")
    p.add_argument("--top", type=int_at_least(1), default=None, metavar="K",
                   help="draw the K groups with the most articles (default: all, at most 40 outlets, "
                        "25 term columns, 12 trend panels)")
    p.add_argument("--min-n", type=int_at_least(1), default=None, metavar="N",
                   help="leave out groups with fewer than N articles")
    p.add_argument("--terms", type=int_at_least(1), default=None, metavar="N",
                   help="terms shown (terms: 20; distinctive: 15 per group)")
    p.add_argument("--id", default=None, help="with --kind article: the id of the article to draw among the inputs (a text file's id is its name; an id two articles share is refused)")
    p.add_argument("--seed", type=int_at_least(0), default=0, help="bootstrap seed of the outlets and trend charts (default: 0)")
    add_voice_option(p)
    add_jobs_option(p)
    add_slant_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import charts
    from ..corpus import CORPUS_FILES, is_scores

    check_sources(args)
    charts.check_output(args.output, input_files(args))
    corpus = reads_corpus(args) or is_scores(args.input)
    kind = args.kind or ("outlets" if corpus else "article")
    if kind == "distinctive" and args.groups is not None and len(args.groups) != 2:
        raise InputError(f"--kind distinctive compares two groups: give --groups A B. Got {len(args.groups)} instead")
    if kind == "terms":  # counts uses of words, each in one voice: refused before the corpus is scored
        from ..schema import MATCH_VOICES, check_voice

        check_voice(args.voice, MATCH_VOICES)
    if kind != "article" and not corpus:
        raise InputError(f"{args.input}: --kind {kind} needs a corpus ({CORPUS_FILES}), not a single article")
    if kind == "article":
        fig = _article(args, corpus, charts)
    else:
        fig = _corpus_chart(args, kind, charts)
    charts.save_figure(fig, args.output)
    print(f"framing: wrote {args.output}", file=sys.stderr)
    return 0


def _article(args, corpus: bool, charts):
    from ..scorer import scorer_for

    if corpus and args.id is None:
        raise InputError("--kind article draws one article: give a text file, or --id ID to pick it from the corpus")
    scorer = scorer_for(args.lexicon)
    record = one_article(args)
    return charts.article_chart(scorer.score(record.text, record.meta), lexicon=scorer.lexicon)


def _corpus_chart(args, kind: str, charts):
    from ..corpus import is_scores
    from ..distinctive import distinctive_terms
    from ..groups import CompareSettings
    from ..scorer import scorer_for
    from ..table import compare, statistics_columns

    scorer = scorer_for(args.lexicon)
    if is_scores(args.input) and kind in ("terms", "distinctive"):
        raise InputError(f"{args.input}: --kind {kind} needs each article's matches, which a table of scores does not "
                         "keep: chart the corpus itself")
    if kind in ("outlets", "trend") or args.slant is not None:
        scorer.lexicon.slant_pair(args.slant)  # checked before the corpus is scored
    # Only what the chart's statistics read is kept of each article.
    needed = {"outlets": statistics_columns(args.by), "trend": statistics_columns(args.by, args.over, args.date_field),
              "terms": ["where", args.by, "words", "matches", "sides.*"],
              "distinctive": ["where", args.by, args.text_field, "sides.*"]}
    df = score_args(args, scorer, keep=needed[kind])
    choice = {"groups": args.groups, "top": args.top, "min_n": args.min_n}
    if kind == "outlets":
        table = compare(df, by=args.by, seed=args.seed, slant=args.slant)
        return charts.outlet_chart(table, settings=CompareSettings.of(table), **choice)
    if kind == "trend":
        table = compare(df, by=args.by, over=args.over, date_field=args.date_field, seed=args.seed, slant=args.slant)
        settings = CompareSettings.of(table)
        note_undated(settings, args.date_field)
        return charts.trend_chart(table, settings=settings, **choice)
    if kind == "terms":
        return charts.term_chart(df, by=args.by, lexicon=scorer.lexicon, top=args.terms or 20, voice=args.voice,
                                 slant=args.slant, groups=args.groups, top_groups=args.top, min_n=args.min_n)
    terms = distinctive_terms(df, args.by, args.groups, lexicon=scorer.lexicon, slant=args.slant)
    return charts.distinctive_chart(terms, top=args.terms or 15)
