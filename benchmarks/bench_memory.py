"""Peak memory of `framing compare` and `framing score` as the corpus grows: flat, or a few bytes per article.

Generates corpora of short articles (40-120 words of dense partisan vocabulary, the generator of
``bench_score.py``; 2,000 distinct texts drawn at random for each record) from 12 outlets, each
with an id, a date and a title, and runs in a child process per size:

* ``framing compare corpus.jsonl --by outlet --over month --json`` (the table it keeps: only what
  the statistics read, ``score_corpus(keep=statistics_columns(...))``);
* the same statistics on the whole table, as compare kept it before (``score_corpus`` with every
  text, match and field, then ``compare``), at the smaller sizes only (``--whole-up-to``);
* ``framing score corpus.jsonl --format parquet -o scores.parquet`` (rows streamed to the file), and
  the size of the file's footer (one entry per row group and column, which waits in a temporary
  file until the writer closes, not in memory: see ``framing/parquet_file.py``);
* with ``--runs lines``: ``framing score corpus.jsonl --json`` and ``--format jsonl`` (lines
  streamed to standard output, here /dev/null);
* with ``--runs json``: ``framing score corpus.json --format jsonl``, the same records as one
  JSON array (read a window at a time, as JSON Lines are read a line at a time);
* with ``--runs dask``: ``framing score part*.jsonl --engine dask -o dask.parquet`` (files of 20,000
  articles, a local cluster of ``--jobs`` workers), then ``framing compare dask.parquet``, which
  reads only the columns its statistics need.

It prints each run's peak resident memory (VmHWM) of the main process and the largest of its
worker processes (``--jobs``), and the growth per article between the smallest and largest size.

Usage: python benchmarks/bench_memory.py [--sizes 20000 200000 ...] [--jobs N] [--boot B] [--whole-up-to N]
                                         [--runs compare whole score lines json dask]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_score import Vocabulary, article, child_environment, dense_sentence

from framing.lexicon import load_lexicon

# Runs `framing ARGS` (or, with --whole, compare on the whole table), then prints the peak memory
# of this process and of its largest worker, in KiB.
CHILD = """
import re, resource, sys
if sys.argv[1] == "--whole":
    from framing.table import compare, score_corpus
    df = score_corpus(sys.argv[2], n_jobs=int(sys.argv[3]), progress=False)
    compare(df, by="outlet", over="month", n_boot=int(sys.argv[4]))
    code = 0
else:
    from framing.cli import main
    code = main(sys.argv[1:])
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def run(argv) -> tuple[float, float, float]:
    """Peak MiB of the main process and of its largest worker, and wall-clock seconds."""
    start = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", CHILD, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, cwd=ROOT, check=False, env=child_environment())
    if child.returncode:
        raise SystemExit(f"framing {' '.join(argv)} failed:\n{child.stderr}")
    main_kib, worker_kib = map(int, child.stderr.strip().splitlines()[-1].split())
    return main_kib / 1024, worker_kib / 1024, time.perf_counter() - start


def write_corpus(path: Path, n: int, texts: list[str], rng: random.Random) -> None:
    with path.open("w", encoding="utf-8") as out:
        for k in range(n):
            record = {"id": f"r{k}", "outlet": f"Outlet {k % 12 + 1:02d}",
                      "date": f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                      "title": f"خبر رقم {k}", "text": rng.choice(texts)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def footer(path: Path) -> str:
    """The Parquet footer a writer keeps until it closes: one entry per row group and column."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    return (f"{meta.num_row_groups:,} row groups x {meta.num_columns} columns: footer of "
            f"{meta.num_row_groups * meta.num_columns:,} column chunks, {meta.serialized_size:,} bytes in the file")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 200000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--boot", type=int, default=2000, help="bootstrap resamples per group (default: 2000)")
    parser.add_argument("--whole-up-to", type=int, default=200000,
                        help="measure the whole table only up to this size (it grows by kilobytes per article)")
    parser.add_argument("--runs", nargs="+", choices=("compare", "whole", "score", "lines", "json", "dask"),
                        default=["compare", "whole", "score"],
                        help="what to measure (default: compare, whole, score; lines: score --json and "
                             "--format jsonl to standard output; json: score --format jsonl of the corpus as one "
                             "JSON array; dask: score --engine dask into a "
                             "directory of Parquet files, then compare that directory)")
    args = parser.parse_args()
    vocab = Vocabulary(load_lexicon())
    rng = random.Random(0)
    texts = [article(vocab, rng, rng.randint(40, 120), dense_sentence) for _ in range(2000)]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
          f"Python {sys.version.split()[0]}; --jobs {args.jobs}, --boot {args.boot}")
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sorted(args.sizes):
            corpus = tmp / "corpus.jsonl"
            write_corpus(corpus, n, texts, rng)
            parts = []
            if "dask" in args.runs:  # Dask scores one partition per file: files of 20,000 articles
                with corpus.open(encoding="utf-8") as whole:
                    for k, start in enumerate(range(0, n, 20000)):
                        parts.append(tmp / f"part{k:04d}.jsonl")
                        parts[-1].write_text("".join(next(whole) for _ in range(min(20000, n - start))),
                                             encoding="utf-8")
            mb = corpus.stat().st_size / 1e6
            print(f"{n:,} articles ({mb:,.0f} MB of JSONL, {1e6 * mb / n:.0f} bytes/article):")
            runs = {}
            if "compare" in args.runs:
                runs["compare"] = ["compare", str(corpus), "--by", "outlet", "--over", "month", "--json",
                                   "--jobs", str(args.jobs), "--boot", str(args.boot), "--no-progress"]
            if "whole" in args.runs and n <= args.whole_up_to:
                runs["compare, whole table"] = ["--whole", str(corpus), str(args.jobs), str(args.boot)]
            if "score" in args.runs:
                runs["score --format parquet"] = ["score", str(corpus), "--format", "parquet", "-o",
                                                  str(tmp / "scores.parquet"), "--jobs", str(args.jobs),
                                                  "--no-progress"]
            if "lines" in args.runs:
                for output in (["--json"], ["--format", "jsonl"]):
                    runs[f"score {' '.join(output)}"] = ["score", str(corpus), *output, "--jobs", str(args.jobs),
                                                         "--no-progress"]
            if "json" in args.runs:
                array = tmp / "corpus.json"
                with corpus.open(encoding="utf-8") as lines, array.open("w", encoding="utf-8") as out:
                    for k, line in enumerate(lines):
                        out.write(("[\n" if k == 0 else ",\n") + line.rstrip("\n"))
                    out.write("\n]\n")
                runs["score corpus.json"] = ["score", str(array), "--format", "jsonl", "--jobs", str(args.jobs),
                                             "--no-progress"]
            if "dask" in args.runs:
                runs["score --engine dask"] = ["score", *map(str, parts), "--engine", "dask", "--jobs", str(args.jobs),
                                               "-o", str(tmp / "dask.parquet"), "--no-progress"]
                runs["compare dask.parquet"] = ["compare", str(tmp / "dask.parquet"), "--by", "outlet", "--over",
                                                "month", "--json", "--boot", str(args.boot)]
            for name, argv in runs.items():
                main_mib, worker_mib, wall = run(argv)
                results.setdefault(name, {})[n] = main_mib
                print(f"  {name:<24} peak {main_mib:8,.0f} MiB main, {worker_mib:6,.0f} MiB largest worker  "
                      f"({wall:6.1f} s, load {os.getloadavg()[0]:.1f})")
                if name == "score --format parquet":
                    print(f"  {'':<24} {footer(tmp / 'scores.parquet')}")
            if n == min(args.sizes) and "compare" in args.runs:
                from framing.table import score_corpus, statistics_columns

                kept = score_corpus(str(corpus), keep=statistics_columns("outlet", "month"), n_jobs=args.jobs,
                                    progress=False)
                print(f"  the table compare keeps: {kept.memory_usage(deep=True).sum() / n:,.0f} bytes/article "
                      f"({len(kept.columns)} columns; DataFrame.memory_usage(deep=True))")
                del kept
            corpus.unlink()
            for path in [*parts, tmp / "scores.parquet"]:
                path.unlink(missing_ok=True)
            shutil.rmtree(tmp / "dask.parquet", ignore_errors=True)
    print("growth of the main process's peak per article, smallest to largest size measured:")
    for name, peaks in results.items():
        if len(peaks) > 1:
            (a, pa), (b, pb) = min(peaks.items()), max(peaks.items())
            print(f"  {name:<24} {1024 * 1024 * (pb - pa) / (b - a):8,.0f} bytes/article  "
                  f"({a:,} -> {b:,} articles: {pa:,.0f} -> {pb:,.0f} MiB)")


if __name__ == "__main__":
    main()
