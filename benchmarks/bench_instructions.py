"""Instructions per article of ``Scorer.score``, counted by valgrind: a measure of the scoring
core's cost that a busy machine does not move.

``bench_score.py`` times the scorer against floors measured in the same run, and on a machine
shared with other work its articles/s move by 10-20% within minutes (the ratios it prints move
less, not never). The count of instructions the processor runs to score the same articles is the
same from one run to the next: it says whether a change made the core do less work, which a
timing on a busy host cannot say to a few percent. It is not a time: waits on memory (the scan's
table) cost time and no instructions, so the timings of ``bench_score.py`` stay the targets'
measure.

How: each checkout scores the first ``--articles`` articles of the dense corpus of
``bench_score.py`` (the same generator and seed) in a child process under ``valgrind
--tool=callgrind``, and again reading them without scoring them; the difference over the articles
is the count per article (the start-up, reading the corpus and building the scorer are the same
in both and cancel). With ``--baseline PATH`` (a checkout of another commit, its compiled modules
built, e.g. ``git worktree add /tmp/base 98a783f && (cd /tmp/base && python setup.py build_ext
--inplace)``) that checkout is counted too, in the same way, and ``now/base`` printed.

Needs valgrind (``apt-get install valgrind``); about 10 seconds a run of 300 articles.

Usage: python benchmarks/bench_instructions.py [--articles N] [--seed S] [--baseline PATH]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_score import child_environment, dense_lines

# Reads the texts of the JSON lines argv[1], builds a scorer and, when argv[2] is 1, scores them:
# the two runs differ by the scoring alone.
CHILD = """
import json, sys
from framing import Scorer
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
scorer = Scorer()
if sys.argv[2] == "1":
    for text in texts:
        scorer.score(text)
"""


def instructions(checkout: Path, corpus: Path, score: bool) -> int:
    """Instructions valgrind counts in a child that imports ``framing`` from ``checkout``, reads
    the texts of ``corpus`` and builds a scorer, and with ``score`` scores them."""
    env = {**child_environment(), "PYTHONPATH": str(checkout)}
    env.pop("FRAMING_PURE_PYTHON", None)
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD,
               str(corpus), "1" if score else "0"]
    done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, check=False, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or found is None:
        sys.exit(f"valgrind failed on {checkout}: {done.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1).replace(",", ""))


def per_article(checkout: Path, corpus: Path, n: int) -> float:
    """Instructions per article of scoring the ``n`` articles of ``corpus``, the rest taken away."""
    return (instructions(checkout, corpus, True) - instructions(checkout, corpus, False)) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="dense articles scored (default 300)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit, its modules compiled")
    args = parser.parse_args()
    if args.articles < 1:
        parser.error(f"--articles must be at least 1. Got {args.articles} instead")
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    if args.baseline is not None and not (args.baseline / "framing" / "__init__.py").is_file():
        parser.error(f"--baseline must be a checkout of framing. Got {args.baseline} instead")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "dense.jsonl"
        corpus.write_text("".join(dense_lines(args.articles, args.seed)), encoding="utf-8")
        now = per_article(ROOT, corpus, args.articles)
        print(f"Scorer.score, {args.articles} dense articles (seed {args.seed}), instructions per article "
              f"(valgrind --tool=callgrind, Python {sys.version.split()[0]})")
        print(f"  {ROOT.name:<24} {now:>12,.0f}")
        if args.baseline is not None:
            base = per_article(args.baseline.resolve(), corpus, args.articles)
            print(f"  {args.baseline.name + ' (baseline)':<24} {base:>12,.0f}")
            print(f"  now/base                 {now / base:>12.3f}")


if __name__ == "__main__":
    main()
