"""``framing compare``: per-group framing scores with bootstrap confidence intervals."""

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
    print_json,
    reads_corpus,
    score_args,
)

HELP = "compare outlets (or any field): framing scores with 95%% CIs, lean shares"


def add_parser(sub) -> None:
    p = sub.add_parser("compare", help=HELP,
                       description="Score a corpus and compare groups of articles: per group the article count, "
                                   "mean framing per side and net stance per party with bootstrap confidence "
                                   "intervals, and the share of articles leaning each way.")
    add_input_options(p, corpus_only=True)
    add_more_inputs(p)
    p.add_argument("--by", default="outlet", help="field whose values form the groups (default: outlet)")
    p.add_argument("--over", choices=PERIODS, default=None, help="also split each group by period of --date-field")
    p.add_argument("--date-field", default="date", help="field holding ISO dates, for --over (default: date)")
    p.add_argument("--json", action="store_true", help="print the table as JSON (one object per group)")
    p.add_argument("--chart", default=None, metavar="PATH",
                   help="also draw the table (.png/.svg/.pdf): outlet slant, or slant over time with --over")
    add_voice_option(p)
    add_jobs_option(p)
    add_slant_option(p)
    p.add_argument("--model", default=None, help="a stance model from `framing train`: adds mean probabilities")
    p.add_argument("--boot", type=int_at_least(1), default=2000, help="bootstrap resamples per group (default: 2000)")
    p.add_argument("--seed", type=int_at_least(0), default=0, help="bootstrap seed (default: 0)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..corpus import CORPUS_FILES, is_scores
    from ..groups import CompareSettings
    from ..render.text import compare_table
    from ..scorer import scorer_for
    from ..table import compare, statistics_columns, to_records

    check_sources(args)
    if not reads_corpus(args) and not is_scores(args.input):
        raise InputError(f"{args.input}: compare needs a corpus ({CORPUS_FILES}); "
                         "for one article use `framing score` or `framing chart`")
    if args.chart:
        from ..charts import check_output

        check_output(args.chart, input_files(args))
    scorer = scorer_for(args.lexicon)
    if args.chart or args.slant is not None:
        scorer.lexicon.slant_pair(args.slant)  # checked before the corpus is scored
    model = None
    if args.model:
        from ..model import load_model

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    # Only what the statistics read is kept of each article (not its text, matches or other fields).
    df = score_args(args, scorer, model, statistics_columns(args.by, args.over, args.date_field))
    table = compare(df, by=args.by, over=args.over, date_field=args.date_field, n_boot=args.boot, seed=args.seed,
                    slant=args.slant)
    settings = CompareSettings.of(table)  # passed on explicitly from here
    note_undated(settings, args.date_field)
    if args.json:
        print_json(to_records(table, settings))
    else:
        print(compare_table(table, settings))
    if args.chart:
        from ..charts import outlet_chart, save_figure, trend_chart

        fig = (trend_chart if args.over else outlet_chart)(table, settings=settings)
        save_figure(fig, args.chart)
        print(f"framing: wrote {args.chart}", file=sys.stderr)
    return 0
