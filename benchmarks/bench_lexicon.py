"""What a large lexicon costs on every run: loading, validating and compiling it (issue #15).

Generates a lexicon of ``--rows`` rows (default 50,000) of invented words (random letters, one to
three words, a third of them with «ال»; the bundled lexicon's parties; actors, naming and
evaluative rows in about the bundled lexicon's proportions) and, in a child process, loads it,
builds a :class:`~framing.Scorer` and scores one article, printing the CPU time of each step and
the peak memory of the process. The same is printed for the bundled lexicon, as a yardstick.

With ``--baseline PATH`` (a checkout of another commit, e.g. ``git worktree add /tmp/base
4c74efe``) the same child runs against that checkout too, for a before/after on the same files.

Usage: python benchmarks/bench_lexicon.py [--rows N] [--seed S] [--baseline PATH]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import ROOT, _child, machine

from framing import Scorer
from framing.lexicon import load_lexicon
from framing.normalize import normalize
from framing.voice import marker_forms

CHILD = """
import re, sys, time
from framing.lexicon import load_lexicon
from framing.scorer import Scorer
start = time.process_time()
lexicon = load_lexicon(sys.argv[1])
loaded = time.process_time()
scorer = Scorer(lexicon)
built = time.process_time()
scorer.score(sys.argv[2])
scored = time.process_time()
peak = re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)
print(len(lexicon.entries), loaded - start, built - loaded, scored - built, int(peak) / 1024)
"""
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
ARTICLE = "قصفت ميليشيات حفتر الأحياء السكنية في طرابلس، وقال المتحدث إن قوات الوفاق صدت الهجوم."


def write_lexicon(directory: Path, rows: int, rng: random.Random) -> None:
    """A valid lexicon of ``rows`` invented terms in ``directory``."""
    directory.mkdir()
    (directory / "parties.tsv").write_bytes((load_lexicon().path / "parties.tsv").read_bytes())
    markers = {normalize(f).text for forms in marker_forms().values() for f in forms}
    seen: set[str] = set()
    lines = ["term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss"]
    while len(lines) <= rows:
        words = [("ال" if rng.random() < 0.3 else "") + "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 8)))
                 for _ in range(rng.randint(1, 3))]
        term = " ".join(words)
        if term in seen or any(normalize(w).text in markers for w in words):
            continue
        seen.add(term)
        r = rng.random()
        party = rng.choice(("lna", "gna"))
        if r < 0.25:
            lines.append(f"{term}\tactor\t{party}\t\t\t\t\tinvented actor")
        elif r < 0.45:
            lines.append(f"{term}\tnaming\t{party}\tunfavorable\t\tlegitimacy\t2\tinvented naming")
        else:
            polarity = rng.choice(("favorable", "unfavorable"))
            attach = rng.choice(("noun", "adj"))
            lines.append(f"{term}\tevaluative\t\t{polarity}\t{attach}\tviolence\t1\tinvented evaluative")
    (directory / "terms.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(checkout: Path, lexicon: Path) -> tuple[float, ...]:
    """Entries, CPU seconds to load, to build the scorer and to score one article, and peak MB."""
    return tuple(map(float, _child(CHILD, [str(lexicon), ARTICLE], None, checkout, subprocess.PIPE).stdout.split()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", type=Path, metavar="PATH", help="a checkout of another commit to time too")
    args = parser.parse_args()
    print(machine(Scorer()))
    print("CPU seconds in a child process (least of 2 runs); peak memory of that process")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        write_lexicon(big, args.rows, random.Random(args.seed))
        checkouts = [("now", ROOT)]
        if args.baseline is not None:
            head = subprocess.run(["git", "-C", str(args.baseline), "rev-parse", "--short", "HEAD"], check=False,
                                  capture_output=True, text=True)
            checkouts.append((head.stdout.strip() or args.baseline.name, args.baseline.resolve()))
        for label, checkout in checkouts:
            for name, lexicon in (("bundled", load_lexicon().path), (f"{args.rows:,} rows", big)):
                rows, load, build, score, peak = min((run(checkout, lexicon) for _ in range(2)),
                                                     key=lambda r: r[1] + r[2])
                print(f"  {label:<8} {name:<12} {rows:>7,.0f} entries  load {load:6.2f} s  build scorer {build:6.2f} s"
                      f"  score one article {score * 1000:4.1f} ms  peak {peak:5.0f} MB")


if __name__ == "__main__":
    main()
