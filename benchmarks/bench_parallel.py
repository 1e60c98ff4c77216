"""Every core and Dask: wall-clock articles/s of `framing score` with --jobs 1, --jobs N and Dask.

Generates a dense partisan corpus (the generator of ``bench_score.py``: the project's own
vocabulary), split into files, and times in child processes, wall clock:

* ``framing score corpus.jsonl --format parquet -o ... --jobs 1`` and ``--jobs N`` (N = every core),
  with each command's peak memory (main process) and ``--jobs N``'s speed-up over ``--jobs 1``;
  with ``--repeat R``, R runs of each taking turns, and the speed-up of the fastest over the fastest
  (as ``timeit`` reports the fastest run: the others measure the machine's other work);
* ``framing score 'part*.jsonl' --engine dask --jobs N -o scores.parquet`` (a local cluster of N
  workers, its start-up included), against the fastest ``--jobs N``.

Usage: python benchmarks/bench_parallel.py [--articles N] [--files K] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_score import CHILD, CORES, child_environment, dense_lines


def run(argv) -> tuple[float, float]:
    """Wall-clock seconds and peak memory (MB, main process) of ``framing <argv>``; prints the CPU
    seconds it took (with its worker processes) and the load average before and after it, since on a
    shared machine the wall clock says as much about the other jobs as about this one."""
    before, load = resource.getrusage(resource.RUSAGE_CHILDREN), os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", CHILD, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, check=True, cwd=ROOT, env=child_environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    NOTES.append(f"    ({wall:.1f} s wall, {cpu:.1f} CPU-s with its workers; load average {load:.1f} before, "
                 f"{os.getloadavg()[0]:.1f} after)")
    return wall, int(child.stderr.strip().splitlines()[-1]) / 1024


NOTES: list[str] = []  # what run() measured besides the wall clock, printed after each result


def note() -> None:
    print(NOTES.pop())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of --jobs 1 and --jobs N, taking turns; the fastest of each is compared too")
    args = parser.parse_args()
    cores = len(CORES) if CORES else os.cpu_count()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        whole = tmp / "corpus.jsonl"
        parts = [(tmp / f"part{k:03d}.jsonl").open("w", encoding="utf-8") for k in range(args.files)]
        with whole.open("w", encoding="utf-8") as out:
            for k, line in enumerate(dense_lines(args.articles)):
                out.write(line)
                parts[k * args.files // args.articles].write(line)
        for f in parts:
            f.close()
        megabytes = whole.stat().st_size / 1e6
        print(f"corpus: {args.articles} dense articles, {megabytes:.1f} MB of JSONL, also split into {args.files} files")
        ones, manys = [], []
        for k in range(args.repeat):  # taking turns, so that a change in the machine's load hits both
            ones.append(run(["score", str(whole), "--format", "parquet", "-o", str(tmp / "a.parquet"), "--jobs", "1"]))
            print(f"  --jobs 1:           {args.articles / ones[-1][0]:8,.0f} articles/s  (peak {ones[-1][1]:.0f} MB)")
            note()
            manys.append(run(["score", str(whole), "--format", "parquet", "-o", str(tmp / "b.parquet"),
                              "--jobs", str(cores)]))
            print(f"  --jobs {cores}:           {args.articles / manys[-1][0]:8,.0f} articles/s  (peak "
                  f"{manys[-1][1]:.0f} MB in the main process; {ones[-1][0] / manys[-1][0]:.2f}x --jobs 1)")
            note()
        one, many = min(t for t, _ in ones), min(t for t, _ in manys)
        if args.repeat > 1:
            print(f"  fastest of {args.repeat} runs each: --jobs 1 {args.articles / one:,.0f} articles/s, --jobs {cores} "
                  f"{args.articles / many:,.0f} articles/s: {one / many:.2f}x --jobs 1")
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("  dask: not installed (pip install 'framing[dask]')")
            return
        dask_time, _ = run(["score", *map(str, sorted(tmp.glob("part*.jsonl"))), "--engine", "dask", "--jobs",
                            str(cores), "-o", str(tmp / "d.parquet")])
        print(f"  dask, {cores} workers:    {args.articles / dask_time:8,.0f} articles/s  ({many / dask_time:.2f}x "
              f"--jobs {cores}, a local cluster's start-up included)")
        note()


if __name__ == "__main__":
    main()
