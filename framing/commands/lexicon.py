"""``framing lexicon``: list the available lexicons or check one for errors."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("lexicon", help="list lexicons, or validate one (errors as file:line)")
    p.add_argument("action", choices=("list", "check"))
    p.add_argument("name", nargs="?", default=None, help="lexicon name or directory (check only)")
    p.set_defaults(run=run)


def run(args) -> int:
    from collections import Counter

    from ..lexicon import available_lexicons, load_lexicon

    if args.action == "list":
        for name in available_lexicons():
            print(name)
        return 0
    lexicon = load_lexicon(args.name)
    kinds = Counter(e.kind for e in lexicon.entries)
    sides = Counter()
    for e in lexicon.entries:
        if e.kind in ("naming", "evaluative") and e.party:
            side = lexicon.side_of(e.party)
            sides[side if e.polarity == "favorable" else f"against {side}"] += 1
    print(f"{lexicon.name}: OK, {len(lexicon.entries)} entries ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
          f"{len(lexicon.parties)} parties, sides {', '.join(lexicon.sides)}")
    print(f"naming entries by the side they favour: {dict(sides)}; sha256 {lexicon.sha256[:12]}")
    return 0
