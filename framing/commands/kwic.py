"""``framing kwic``: every occurrence of a word, a phrase or a lexicon entry, in its context."""

from __future__ import annotations

from .common import SkipCounter, add_input_options, add_more_inputs, check_sources, int_at_least, print_json, records

HELP = "keyword in context: a word, phrase or lexicon entry in every article"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "kwic", help=HELP,
        description="List each occurrence of PATTERN, found through Arabic clitics and spelling normalisation "
                    "as the matcher finds terms (a spelling of a lexicon entry also finds its other spellings), "
                    "with its context; with --term, PATTERN names a lexicon entry and each line shows the "
                    "target, rule and voice the scorer gave it. Offsets index the original text.")
    p.add_argument("pattern", metavar="PATTERN", help="a word or phrase (with --term: any spelling of a lexicon entry)")
    add_input_options(p)
    add_more_inputs(p)
    p.add_argument("--term", action="store_true", help="PATTERN is a lexicon entry: show the scorer's matches of it")
    p.add_argument("--width", type=int_at_least(0), default=40, help="characters of context on each side (default: 40)")
    p.add_argument("--sample", type=int_at_least(1), default=None, metavar="N",
                   help="show N occurrences drawn at random (in corpus order)")
    p.add_argument("--seed", type=int_at_least(0), default=0, help="random seed of --sample (default: 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object per occurrence (JSON Lines)")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..concordance import draw, lines
    from ..render.text import kwic_line

    check_sources(args)
    skips = SkipCounter()
    read = [0]

    def counted():
        for record in records(args, skips):
            read[0] += 1
            yield record

    pattern, term = (None, args.pattern) if args.term else (args.pattern, None)
    found = lines(counted(), pattern, term=term, lexicon=args.lexicon, width=args.width)
    if args.sample is not None:
        found = draw(found, args.sample, args.seed)
    n = 0
    for line in found:
        n += 1
        if args.json:
            print_json(line.to_dict())
        else:
            print(kwic_line(line))
    if not args.json:
        shown = f"{n} occurrence{'s' if n != 1 else ''}" + (" (a random sample)" if args.sample else "")
        print(f"{shown} in {read[0]} article{'s' if read[0] != 1 else ''}")
    skips.summary(read[0])
    return 0
