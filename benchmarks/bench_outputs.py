"""What each output of `framing score` costs: wall clock and CPU of every format, on one core and on every core.

Generates a dense partisan corpus (the generator of ``bench_score.py``: the project's own
vocabulary; each record with an id, an outlet and a text) and times ``framing score corpus.jsonl``
in child processes with each output a researcher may ask for:

* ``--json`` (every match in the line), ``--format jsonl``, ``--format csv`` (to standard output,
  here /dev/null) and ``--format parquet -o scores.parquet`` (one flat row per article);
* ``--json --matches m.jsonl``, ``m.csv`` and ``m.parquet`` (the long table of matches, a row per
  match, beside the articles' lines);
* ``--json -o scores.jsonl.gz`` and ``--format csv -o scores.csv.gz`` (written gzip-compressed by
  the writing process), and ``--json`` of the same corpus gzipped (``corpus.jsonl.gz``, decompressed
  by the reading process);

each with ``--jobs 1`` and ``--jobs N`` (N = every core), the fastest of ``--repeat`` runs taking
turns, with the CPU seconds of the command and its workers. With ``--baseline PATH`` (a checkout of
another commit, e.g. ``git worktree add /tmp/base 02a0327``) every run is made with that checkout
too, in turn, and ``now/base`` is the time here over the baseline's (below 1: faster).

Usage: python benchmarks/bench_outputs.py [--articles N] [--repeat R] [--baseline PATH]
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_score import CORES, baseline_checkout, dense_lines, run_cli

OUTPUTS = {  # what to time: the options after `framing score corpus.jsonl` ({tmp}: a temporary directory)
    "--json": ["--json"],
    "--format jsonl": ["--format", "jsonl"],
    "--format csv": ["--format", "csv"],
    "--format parquet": ["--format", "parquet", "-o", "{tmp}/scores.parquet"],
    "--json --matches m.jsonl": ["--json", "--matches", "{tmp}/m.jsonl"],
    "--json --matches m.csv": ["--json", "--matches", "{tmp}/m.csv"],
    "--json --matches m.parquet": ["--json", "--matches", "{tmp}/m.parquet"],
    "--json -o scores.jsonl.gz": ["--json", "-o", "{tmp}/scores.jsonl.gz"],
    "--format csv -o scores.csv.gz": ["--format", "csv", "-o", "{tmp}/scores.csv.gz"],
    "--json of corpus.jsonl.gz": ["--json"],
}
GZIPPED_INPUT = "--json of corpus.jsonl.gz"  # the row that reads the corpus gzipped


def timed(corpus: Path, options: list[str], jobs: int, tmp: Path, checkout: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (with the workers) of one run, its output files removed after it."""
    argv = ["score", str(corpus), *[o.replace("{tmp}", str(tmp)) for o in options], "--jobs", str(jobs),
            "--no-progress"]
    cpu, wall, _ = run_cli(argv, checkout=checkout)
    for path in tmp.glob("*"):
        if not path.name.startswith("corpus.jsonl"):
            path.unlink()
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest is printed")
    parser.add_argument("--baseline", type=Path, metavar="PATH", help="a checkout of another commit to time too")
    args = parser.parse_args()
    checkouts = [("now", ROOT)]
    if args.baseline is not None:
        base, label = baseline_checkout(parser, args.baseline)
        checkouts.append((label, base))
    cores = len(CORES) if CORES else os.cpu_count()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            out.writelines(dense_lines(args.articles))
        packed = tmp / "corpus.jsonl.gz"
        packed.write_bytes(gzip.compress(corpus.read_bytes(), mtime=0))
        print(f"corpus: {args.articles:,} dense articles, {corpus.stat().st_size / 1e6:.1f} MB of JSONL "
              f"({packed.stat().st_size / 1e6:.1f} MB gzipped); "
              f"fastest of {args.repeat} run(s), wall clock (CPU-s of the command and its workers)"
              + (f"; baseline {checkouts[1][0]} at {checkouts[1][1]}" if len(checkouts) > 1 else ""))
        for label, options in OUTPUTS.items():
            for jobs in sorted({1, cores}):
                best = {name: (float("inf"), 0.0) for name, _ in checkouts}
                for _ in range(args.repeat):  # taking turns, so that a change in the machine's load hits both
                    for name, checkout in checkouts:
                        source = packed if label == GZIPPED_INPUT else corpus
                        best[name] = min(best[name], timed(source, options, jobs, tmp, checkout))
                wall, cpu = best["now"]
                line = (f"  {label:<28} --jobs {jobs}: {args.articles / wall:8,.0f} articles/s "
                        f"({wall:5.1f} s, {cpu:5.1f} CPU-s)")
                if len(checkouts) > 1:
                    name = checkouts[1][0]
                    base_wall, base_cpu = best[name]
                    line += (f"   {name}: {args.articles / base_wall:8,.0f} articles/s ({base_wall:5.1f} s, "
                             f"{base_cpu:5.1f} CPU-s)   now/base {wall / base_wall:.2f}")
                print(line, flush=True)


if __name__ == "__main__":
    main()
