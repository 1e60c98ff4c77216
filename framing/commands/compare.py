"""``framing compare``: per-group framing scores with bootstrap confidence intervals."""

from __future__ import annotations

import math
import sys

from .common import (
    PERIODS,
    add_input_options,
    add_jobs_option,
    add_voice_option,
    input_files,
    int_at_least,
    note_undated,
    print_json,
    score_args,
)

GROUP_WIDTH = 26
VOICE_LABELS = {"narrator": "narrator voice", "all": "all voices (quotations included)"}


def add_parser(sub) -> None:
    p = sub.add_parser("compare", help="compare outlets (or any field): framing scores with 95%% CIs, lean shares",
                       description="Score a corpus and compare groups of articles: per group the article count, "
                                   "mean framing per side and net stance per party with bootstrap confidence "
                                   "intervals, and the share of articles leaning each way.")
    add_input_options(p, corpus_only=True)
    p.add_argument("--by", default="outlet", help="field whose values form the groups (default: outlet)")
    p.add_argument("--over", choices=PERIODS, default=None, help="also split each group by period of --date-field")
    p.add_argument("--date-field", default="date", help="field holding ISO dates, for --over (default: date)")
    p.add_argument("--json", action="store_true", help="print the table as JSON (one object per group)")
    p.add_argument("--chart", default=None, metavar="PATH",
                   help="also draw the table (.png/.svg/.pdf): outlet slant, or slant over time with --over")
    add_voice_option(p)
    add_jobs_option(p)
    p.add_argument("--model", default=None, help="a stance model from `framing train`: adds mean probabilities")
    p.add_argument("--boot", type=int_at_least(1), default=2000, help="bootstrap resamples per group (default: 2000)")
    p.add_argument("--seed", type=int_at_least(0), default=0, help="bootstrap seed (default: 0)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..corpus import is_corpus
    from ..errors import InputError
    from ..export import is_scores
    from ..scorer import scorer_for
    from ..table import compare, to_records

    if not is_corpus(args.input) and not is_scores(args.input):
        raise InputError(f"{args.input}: compare needs a corpus (.jsonl, .json, .csv or `demo`); "
                         "for one article use `framing score` or `framing chart`")
    if args.chart:
        from ..charts import check_output

        check_output(args.chart, input_files(args))
    scorer = scorer_for(args.lexicon)
    model = None
    if args.model:
        from ..model import load_model

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    df = score_args(args, scorer, model)
    table = compare(df, by=args.by, over=args.over, date_field=args.date_field, n_boot=args.boot, seed=args.seed)
    note_undated(table, args.date_field)
    if args.json:
        print_json(to_records(table))
    else:
        print(render(table))
    if args.chart:
        from ..charts import outlet_chart, save_figure, trend_chart

        fig = trend_chart(table) if args.over else outlet_chart(table)
        save_figure(fig, args.chart)
        print(f"framing: wrote {args.chart}", file=sys.stderr)
    return 0


def _interval(row, metric: str, signed: bool = False) -> str:
    fmt = "{:+.2f}" if signed else "{:.2f}"
    mean, lo, hi = row[f"{metric}.mean"], row[f"{metric}.lo"], row[f"{metric}.hi"]
    if math.isnan(lo):  # too few articles
        return fmt.format(mean) + " [no CI]"
    return f"{fmt.format(mean)} [{fmt.format(lo)}, {fmt.format(hi)}]"


def _cut(value, width: int) -> str:
    text = "(missing)" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def render(table) -> str:
    """The compare table as aligned text for the terminal."""
    a = table.attrs
    by, over, sides = a["by"], a.get("over"), a["sides"]
    two = len(sides) >= 2
    heads = [f"{by:<{GROUP_WIDTH}}"] + ([f"{'period':<10}"] if over else []) + [f"{'n':>5}"]
    if two:
        heads.append(f"{'slant ' + sides[0].upper() + '−' + sides[1].upper():<23}")
    heads += [f"{s.upper() + ' framing':<21}" for s in sides]
    heads += [f"{'net ' + s.upper():<23}" for s in sides]
    heads.append("lean " + "/".join(s.upper() for s in sides) + "/none")
    lines = [
        (f"{a['articles']} articles by {by}{' and ' + over if over else ''} · lexicon {a.get('lexicon')} · "
         f"{VOICE_LABELS[a.get('voice', 'narrator')]} · {round(100 * a['ci'])}% bootstrap CIs ({a['n_boot']} resamples, seed {a['seed']})"),
        "",
        " ".join(heads),
    ]
    for _, row in table.iterrows():
        cells = [f"{_cut(row[by], GROUP_WIDTH):<{GROUP_WIDTH}}"] + ([f"{row['period']:<10}"] if over else [])
        cells.append(f"{int(row['n']):>5}")
        if two:
            cells.append(f"{_interval(row, 'slant', True):<23}")
        cells += [f"{_interval(row, f'sides.{s}'):<21}" for s in sides]
        cells += [f"{_interval(row, f'parties.{s}.net', True):<23}" for s in sides]
        cells.append(" / ".join(f"{100 * row[f'lean_share.{k}']:.0f}%" for k in [*sides, "none"]))
        lines.append(" ".join(cells))
    lines.append("")
    lines.append("framing per side: per 1,000 words; net: favorable − unfavorable evidence about the party per article; "
                 "lean: share of articles.")
    if two:
        lines.append(f"slant: {sides[0].upper()} framing minus {sides[1].upper()} framing; rows run from the most "
                     f"{sides[0].upper()}-slanted group to the most {sides[1].upper()}-slanted.")
    small = int(table["note"].notna().sum())
    if small:
        lines.append(f"{small} group(s) have fewer than {a['min_n']} articles: mean only, no confidence interval.")
    lines.append("Every party (and a model's mean probabilities, with --model) is in --json.")
    return "\n".join(lines)
