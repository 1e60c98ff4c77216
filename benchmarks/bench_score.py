"""Scoring throughput on one core: articles/s and MB/s for ~4 KB articles, and peak memory.

Builds a corpus from the project's own example articles and demo corpus (each article padded to
about 4 KB of UTF-8 by joining several), then times

1. ``Scorer.score`` alone (normalisation, matching, attachment, voice, offsets, scores), and
2. the whole ``framing score corpus.jsonl --json`` command in a child process (start-up, streaming
   read, score, ``to_dict``, JSON Lines out), with its peak memory: it stays flat with corpus size.

Usage: python benchmarks/bench_score.py [N_ARTICLES]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing import Scorer
from framing.corpus import read_records

TARGET_BYTES = 4096
# The CLI in a child process, reporting its own peak memory. VmHWM is read from /proc because
# getrusage's maxrss would include this (large) parent process, which the child is forked from.
CHILD = """
import re, sys
from framing.cli import main
main(["score", sys.argv[1], "--json"])
status = open("/proc/self/status").read()
print(re.search(r"VmHWM:\\s+(\\d+)", status).group(1), file=sys.stderr)
"""


def source_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    return texts + [record.text for record in read_records("demo")]


def build_articles(n: int) -> list[str]:
    texts = source_texts()
    articles, i = [], 0
    while len(articles) < n:
        parts, size = [], 0
        while size < TARGET_BYTES:
            t = texts[i % len(texts)]
            i += 1
            parts.append(t)
            size += len(t.encode()) + 1
        blob = "\n".join(parts).encode()[:TARGET_BYTES].decode("utf-8", "ignore")
        articles.append(blob)
    return articles


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, inherited by the child
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    articles = build_articles(n)
    megabytes = sum(len(a.encode()) for a in articles) / 1e6
    scorer = Scorer()
    scorer.score(articles[0])
    start = time.perf_counter()
    matches = sum(len(scorer.score(a).matches) for a in articles)
    elapsed = time.perf_counter() - start
    print(f"machine: {os.cpu_count()} cores, pinned to 1; Python {sys.version.split()[0]}")
    print(f"corpus: {n} articles, {megabytes:.1f} MB, {megabytes * 1e6 / n:.0f} bytes/article, "
          f"{matches / n:.1f} matches/article (lexicon {scorer.lexicon.name}, {len(scorer.lexicon.entries)} entries)")
    print(f"Scorer.score:            {n / elapsed:8.0f} articles/s  {megabytes / elapsed:6.1f} MB/s")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for k, a in enumerate(articles):
                f.write(json.dumps({"id": k, "outlet": "bench", "text": a}, ensure_ascii=False) + "\n")
        del articles
        start = time.perf_counter()
        with open(os.devnull, "w") as sink:
            child = subprocess.run([sys.executable, "-c", CHILD, str(path)], stdout=sink, stderr=subprocess.PIPE,
                                   text=True, check=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
    peak = int(child.stderr.strip().splitlines()[-1]) / 1024
    print(f"framing score --json:    {n / elapsed:8.0f} articles/s  {megabytes / elapsed:6.1f} MB/s "
          "(whole command: start-up, streaming JSONL in, JSON Lines out)")
    print(f"peak memory of that command (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
