"""``framing lexicon``: list the lexicons, check one for errors, lint it, suggest terms it lacks."""

from __future__ import annotations

import sys

from .common import LEXICON_HELP, add_input_options, int_at_least, print_json, reader_options

HELP = "list, check or lint a lexicon, or suggest terms it lacks"


def add_parser(sub) -> None:
    p = sub.add_parser("lexicon", help=HELP,
                       description="Work on a lexicon: `list` the available ones, `check` one (every error as "
                                   "file:line, exit 3), `lint` it (errors and warnings, each at file:line), or "
                                   "`suggest` words and phrases a corpus has and the lexicon lacks.")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="the lexicons found by name").set_defaults(run=run_list)
    check = actions.add_parser("check", help="validate a lexicon: every error as file:line (exit 3 on errors)")
    check.add_argument("name", nargs="?", metavar="LEXICON", default=None, help=LEXICON_HELP)
    check.set_defaults(run=run_check)
    lint = actions.add_parser(
        "lint", help="every problem of a lexicon at file:line: exit 0 with warnings only, 3 with errors",
        description="Report every error and warning of a lexicon at once, each at file:line (checks listed in "
                    "`framing.lint`). With --corpus, also entries the scorer never counts there and the ten "
                    "terms most often left without a target. Exit code 0 with warnings only, 3 with errors.")
    lint.add_argument("name", nargs="?", metavar="LEXICON", default=None, help=LEXICON_HELP)
    lint.add_argument("--corpus", default=None, help="a JSONL/CSV corpus (or `demo`) to check the entries against")
    lint.add_argument("--text-field", default="text", help="corpus field holding the article (default: text)")
    lint.add_argument("--encoding", default="utf-8", help="corpus encoding (default: utf-8)")
    lint.add_argument("--json", action="store_true", help="print one JSON object per finding (JSON Lines)")
    lint.set_defaults(run=run_lint)
    suggest = actions.add_parser(
        "suggest", help="candidate terms the lexicon lacks, from two groups of a corpus (terms.tsv rows)",
        description="The words and phrases that most separate two groups of articles (Fightin' Words z-scores), "
                    "clitic variants merged into one candidate, pieces of existing entries left out, each with "
                    "three lines of context: terms.tsv rows to paste, kind, party and polarity left for you.")
    add_input_options(suggest, corpus_only=True)
    suggest.add_argument("--by", required=True, metavar="FIELD", help="the field whose values form the groups")
    suggest.add_argument("--groups", nargs=2, default=None, metavar=("A", "B"),
                         help="the two groups, A against B (default: the two values of FIELD, or the two most "
                              "opposite by slant)")
    suggest.add_argument("--top", type=int_at_least(1), default=20, help="candidates per group (default: 20)")
    suggest.add_argument("--max-n", type=int_at_least(1), default=2, help="longest phrase, in words (default: 2)")
    suggest.add_argument("--json", action="store_true", help="print one JSON object per candidate (JSON Lines)")
    suggest.set_defaults(run=run_suggest)


def run_list(args) -> int:
    from ..lexicon import available_lexicons

    for name in available_lexicons():
        print(name)
    return 0


def run_check(args) -> int:
    from ..lexicon import load_lexicon
    from ..render.text import lexicon_summary

    print(lexicon_summary(load_lexicon(args.name)))  # a LexiconError lists every error, one file:line per line
    return 0


def run_lint(args) -> int:
    from ..lint import lint
    from .common import SkipCounter

    result = lint(args.name, args.corpus, options=reader_options(args))
    SkipCounter().report(result.skips)
    findings = result.findings
    for finding in findings:
        if args.json:
            print_json(finding.to_dict())
        else:
            print(finding)
    counts = {level: sum(f.level == level for f in findings) for level in ("error", "warning", "note")}
    summary = ", ".join(f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items())
    print(f"framing lexicon lint: {summary}", file=sys.stderr)
    return 3 if counts["error"] else 0


def run_suggest(args) -> int:
    from ..render.text import suggestion_rows
    from ..suggest import MIN_Z, suggest
    from .common import SkipCounter

    result = suggest(args.input, args.by, args.groups, lexicon=args.lexicon, top=args.top, max_n=args.max_n,
                     options=reader_options(args))
    SkipCounter().report(result.skips)
    if args.json:
        for c in result.candidates:
            print_json(c.to_dict())
    else:
        print(suggestion_rows(result.groups, result.candidates, args.by, MIN_Z))
    return 0
