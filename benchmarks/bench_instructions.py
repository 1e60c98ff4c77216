"""Instructions and cache misses per article of ``Scorer.score``, and of the whole ``framing score
--json`` with its start-up apart, counted by valgrind: measures of the cost that a busy machine does
not move.

``bench_score.py`` times the scorer against floors measured in the same run, and on a machine
shared with other work its articles/s move by up to a third within minutes (the ratios it prints
move less, not never). The count of instructions the processor runs to score the same articles is the
same from one run to the next: it says whether a change made the core do less work, which a
timing on a busy host cannot say to a few percent. It is not a time: waits on memory (the scan's
table) cost time and no instructions, so the misses of two caches as valgrind simulates them are
counted too (see FIGURES); the timings of ``bench_score.py`` stay the targets' measure.

How: each checkout scores the first ``--articles`` articles of the dense corpus of
``bench_score.py`` (the same generator and seed) in a child process under ``valgrind
--tool=cachegrind``, and again reading them without scoring them; the difference over the articles
is the count per article (the start-up, reading the corpus and building the scorer are the same
in both and cancel). The command is counted the same way: ``framing score --json --jobs 1`` of the
corpus (its output to /dev/null) less the same command on a corpus of one word, which is its
start-up (imports, the lexicon, the scorer and the JSON writer built). With ``--baseline PATH``
(a checkout of another commit, its compiled modules built, e.g. ``git worktree add /tmp/base
98a783f && (cd /tmp/base && python setup.py build_ext --inplace)``) that checkout is counted too,
in the same way, and ``now/base`` printed.

Needs valgrind (``apt-get install valgrind``); about 20 seconds a run of 300 articles.

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

# framing score --json of the corpus argv[1], as the command line runs it.
COMMAND = """
import sys
from framing.cli import main
sys.exit(main(["score", sys.argv[1], "--json", "--jobs", "1"]))
"""


# What valgrind's cachegrind prints at exit, per figure: instructions, and the misses of data reads
# and writes in the first-level cache (32 KB, as valgrind simulates it here) and in the last, set
# to 1 MB: about the second-level cache of one core of today's x86 servers, which the scan's
# table (about 3.5 MB) does not fit.
FIGURES = {"instructions": r"I\s+refs:\s+([\d,]+)", "first-level misses": r"D1\s+misses:\s+([\d,]+)",
           "1 MB cache misses": r"LLd\s+misses:\s+([\d,]+)"}


def environment(checkout: Path) -> dict:
    """The environment of a child that imports ``framing`` from ``checkout``, compiled."""
    # One hash seed: the order of sets and dicts of strings, and so a few instructions, would
    # otherwise differ from run to run.
    env = {**child_environment(), "PYTHONPATH": str(checkout), "PYTHONHASHSEED": "0"}
    env.pop("FRAMING_PURE_PYTHON", None)
    return env


def counts(checkout: Path, *argv: str, code: str = CHILD) -> dict[str, int]:
    """:data:`FIGURES` as valgrind counts them in a child that imports ``framing`` from
    ``checkout`` and runs ``code`` with ``argv`` (:data:`CHILD`: a corpus, and "1" to score it)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--D1=32768,8,64", "--LL=1048576,16,64",
               "--cachegrind-out-file=/dev/null", sys.executable, "-c", code, *argv]
    done = subprocess.run(command, cwd=checkout, env=environment(checkout), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False, text=True)
    found = {name: re.search(pattern, done.stderr) for name, pattern in FIGURES.items()}
    if done.returncode or None in found.values():
        sys.exit(f"valgrind failed on {checkout}: {done.stderr.strip().splitlines()[-1:]}")
    return {name: int(m.group(1).replace(",", "")) for name, m in found.items()}


def per_article(checkout: Path, corpus: Path, n: int) -> dict[str, float]:
    """Each of :data:`FIGURES` per article of scoring the ``n`` articles of ``corpus``, the rest
    taken away."""
    # A first run, not counted, writes the checkout's bytecode: in a fresh checkout the first child
    # to import its modules compiles them, which valgrind would count as scoring.
    subprocess.run([sys.executable, "-c", CHILD, str(corpus), "1"], cwd=checkout, check=True, env=environment(checkout))
    scored, read = counts(checkout, str(corpus), "1"), counts(checkout, str(corpus), "0")
    return {name: (scored[name] - read[name]) / n for name in FIGURES}


def command_counts(checkout: Path, corpus: Path, word: Path, n: int) -> tuple[dict[str, float], dict[str, int]]:
    """:data:`FIGURES` of ``framing score --json`` per article of the ``n`` articles of ``corpus``,
    its start-up (the command on ``word``, a corpus of one word) taken away; and of that start-up."""
    subprocess.run([sys.executable, "-c", COMMAND, str(word)], cwd=checkout, check=True, env=environment(checkout),
                   stdout=subprocess.DEVNULL)  # its bytecode written, as in per_article
    whole, start = counts(checkout, str(corpus), code=COMMAND), counts(checkout, str(word), code=COMMAND)
    return {name: (whole[name] - start[name]) / n for name in FIGURES}, start


def table(title: str, rows: list[tuple[str, dict]]) -> None:
    """``rows`` (a name, its figures) under ``title``, with ``now/base`` when there are two."""
    print(title)
    print(f"  {'':<24}" + "".join(f"{name:>20}" for name in FIGURES))
    for name, figures in rows:
        print(f"  {name:<24}" + "".join(f"{figures[f]:>20,.0f}" for f in FIGURES))
    if len(rows) == 2:
        print(f"  {'now/base':<24}" + "".join(f"{rows[0][1][f] / rows[1][1][f]:>20.3f}" for f in FIGURES))


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
    checkouts = [(ROOT.name, ROOT)]
    if args.baseline is not None:
        checkouts.append((f"{args.baseline.name} (baseline)", args.baseline.resolve()))
    with tempfile.TemporaryDirectory() as tmp:
        corpus, word = Path(tmp) / "dense.jsonl", Path(tmp) / "one-word.jsonl"
        corpus.write_text("".join(dense_lines(args.articles, args.seed)), encoding="utf-8")
        word.write_text('{"text": "نص"}\n', encoding="utf-8")
        how = f"valgrind --tool=cachegrind, Python {sys.version.split()[0]}"
        table(f"Scorer.score, {args.articles} dense articles (seed {args.seed}), per article ({how})",
              [(name, per_article(path, corpus, args.articles)) for name, path in checkouts])
        commands = [(name, command_counts(path, corpus, word, args.articles)) for name, path in checkouts]
        table(f"framing score --json --jobs 1, the same articles, per article, its start-up apart ({how})",
              [(name, figures[0]) for name, figures in commands])
        table("its start-up (the same command on a corpus of one word)",
              [(name, figures[1]) for name, figures in commands])


if __name__ == "__main__":
    main()
