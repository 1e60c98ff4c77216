"""What the lexicon's ``bare`` column does to the reading of a labelled corpus, and what the words
left without a bare party would do with one.

For each corpus, prints the figures of ``framing evaluate`` (leans right and given on the sided
texts, neutral texts given a lean, 3-way text-stance macro-F1, per-party macro-F1) for:

* ``no bare parties``: the shipped lexicon with its ``bare`` column emptied (the ``bare`` rule never
  fires);
* ``shipped``: the lexicon as it is;
* ``shipped + «TERM» -> PARTY``: one candidate given a bare party on top of the shipped ones: the
  words the lexicon's README says were measured and left without one.

Each configuration is a copy of the lexicon in a temporary directory with one column changed, read
by a :class:`framing.Scorer` of its own. It is a benchmark, not a test: a real labelled corpus is
given as an argument and is not part of the project.

Usage: python benchmarks/bare_words.py CORPUS [CORPUS ...]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing import FramingError, Scorer
from framing.evaluate import evaluate
from framing.lexicon import TERM_COLUMNS, resolve_lexicon

#: Words measured and left without a bare party (lexicons/libya-2019-2020/README.md says why).
CANDIDATES = (("مرتزقة", "gna"), ("ديكتاتور", "lna"), ("انقلابية", "lna"))
BARE = TERM_COLUMNS.index("bare")


def lexicon_copy(source: Path, target: Path, bare: dict | None) -> Path:
    """A copy of the lexicon ``source`` in ``target`` whose ``bare`` cells are those of ``bare``
    (term -> party) on top of its own, or all emptied when ``bare`` is None."""
    shutil.copytree(source, target)
    lines = (source / "terms.tsv").read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < BARE or cells[1] != "evaluative":
            continue
        cells += [""] * (BARE + 1 - len(cells))
        term = cells[0].split("|")[0].strip()
        cells[BARE] = "" if bare is None else bare.get(term, cells[BARE])
        lines[i] = "\t".join(cells)
    (target / "terms.tsv").write_text("\n".join(lines), encoding="utf-8")
    return target


def main(corpora: list[str]) -> None:
    source = resolve_lexicon()
    configurations = [("no bare parties", None), ("shipped", {})]
    configurations += [(f"shipped + «{term}» -> {party}", {term: party}) for term, party in CANDIDATES]
    with tempfile.TemporaryDirectory() as tmp:
        scorers = [(name, Scorer(lexicon_copy(source, Path(tmp) / f"lexicon{k}", bare)))
                   for k, (name, bare) in enumerate(configurations)]
        for corpus in corpora:
            figures = [(name, evaluate(corpus, scorer=scorer).figures["lexicon"]) for name, scorer in scorers]
            print(f"{corpus}: lexicon {source.name}")
            print(f"{'':38}{'leans right':>12}{'given':>7}{'neutral given':>15}{'3-way F1':>10}{'F1 lna':>8}{'F1 gna':>8}")
            for name, f in figures:
                parties = {p: m.macro_f1 for p, m in f.parties.items()}
                print(f"{name:38}{f.lean_right:>12}{f.lean_given:>7}{f.neutral_given_lean:>10}/{f.neutral:<4}"
                      f"{f.text_stance.macro_f1:>10.3f}{parties.get('lna', float('nan')):>8.3f}"
                      f"{parties.get('gna', float('nan')):>8.3f}")
            print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    try:
        main(sys.argv[1:])
    except FramingError as exc:  # a corpus that is not there or not labelled: one line, as the CLI says it
        sys.exit(f"bare_words.py: {exc}")
