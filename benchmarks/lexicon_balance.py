"""How a lexicon's loaded vocabulary is spread over the camps whose media use it, and over its categories.

Every gloss of the Libya lexicon ends with a bracket saying whose media use the entry
(``[pro-LNA media]``, ``[pro-GNA media; wire copy too]``, ``[both camps]`` ...). This prints, for
the rows of each kind, the actor rows by side, and for the ``naming`` and ``evaluative`` rows, the number of rows and their total weight by the first
group the bracket names, then by category. The lexicon README's balance tables are these figures.

Usage: python benchmarks/lexicon_balance.py [LEXICON]
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.lexicon import load_lexicon

GROUPS = ("pro-LNA", "pro-GNA", "both camps", "wire copy", "all outlets")
_BRACKET = re.compile(r"\[([^\]]*)\]\s*$")


def usage_group(gloss: str) -> str:
    """The first group a gloss's closing bracket names ('other' when it names none of ``GROUPS``)."""
    found = _BRACKET.search(gloss)
    text = found.group(1) if found else ""
    return next((g for g in GROUPS if text.startswith(g)), "other")


def main(lexicon: str | None = None) -> None:
    lex = load_lexicon(lexicon)
    rows: Counter = Counter()
    weight: defaultdict = defaultdict(float)
    kinds: defaultdict = defaultdict(Counter)
    by_category: Counter = Counter()
    category_weight: defaultdict = defaultdict(float)
    for e in lex.entries:
        if e.kind not in ("naming", "evaluative"):
            continue
        group = usage_group(e.gloss)
        rows[group] += 1
        weight[group] += e.weight
        kinds[group][e.kind] += 1
        by_category[e.category] += 1
        category_weight[e.category] += e.weight
    kind_rows = Counter(e.kind for e in lex.entries)
    actor_sides = Counter(lex.side_of(e.party) for e in lex.entries if e.kind == "actor")
    print(f"{lex.name}: rows by kind {dict(sorted(kind_rows.items()))}; actor rows by side {dict(actor_sides)}")
    print("naming and evaluative rows by the media that use them")
    print(f"  {'used by':<14}{'rows':>6}{'naming':>8}{'evaluative':>12}{'total weight':>14}")
    for group in (*GROUPS, "other"):
        if rows[group]:
            print(f"  {group:<14}{rows[group]:>6}{kinds[group]['naming']:>8}{kinds[group]['evaluative']:>12}"
                  f"{weight[group]:>14.2f}")
    print("by category")
    for category, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {category:<22}{n:>6}{category_weight[category]:>10.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
