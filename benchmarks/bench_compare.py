"""Time to score and compare a generated corpus of 20,000 articles from 12 outlets, on one core.

Each generated outlet has its own editorial mix: the share of its articles drawn from the demo
corpus's pro-LNA, neutral and pro-GNA outlets. An article joins two demo articles of the drawn
alignment (about 2 KB of Arabic, a typical news story) and gets a date between April 2019 and
October 2020. The benchmark times, with the default lexicon:

1. ``score_corpus`` (every article scored into a DataFrame, matches kept),
2. ``compare(by="outlet")`` with 2,000 bootstrap resamples per outlet,
3. ``compare(by="outlet", over="month")`` (12 outlets × 19 months),
4. the whole command ``framing compare corpus.jsonl --by outlet --json`` (read, score, compare, print).

The target is under 30 s for steps 1 and 2 together.

Usage: python benchmarks/bench_compare.py [N_ARTICLES] [N_OUTLETS]
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.corpus import read_records
from framing.table import compare, score_corpus

ALIGNMENTS = ("pro-lna", "neutral", "pro-gna")


def generate(n: int, outlets: int, seed: int = 0):
    """Rows of a corpus: ``outlets`` outlets whose editorial mix runs from pro-LNA to pro-GNA."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    pools = {a: [] for a in ALIGNMENTS}
    for record in read_records("demo"):
        pools[record.meta["outlet_alignment"]].append(record.text)
    days = pd.date_range("2019-04-04", "2020-10-24").strftime("%Y-%m-%d").to_numpy()
    mixes = []
    for k in range(outlets):  # from mostly pro-LNA (k=0) through mostly neutral to mostly pro-GNA
        lean = k / max(outlets - 1, 1)
        mixes.append(np.array([max(0.0, 1 - 2 * lean), 1 - abs(1 - 2 * lean), max(0.0, 2 * lean - 1)]) * 0.8 + 0.2 / 3)
    rows = []
    for i in range(n):
        k = i % outlets
        alignment = ALIGNMENTS[rng.choice(3, p=mixes[k])]
        pool = pools[alignment]
        text = pool[rng.integers(len(pool))] + "\n" + pool[rng.integers(len(pool))]
        rows.append({"id": f"g{i}", "outlet": f"Outlet {k + 1:02d}", "date": str(days[rng.integers(len(days))]),
                     "text": text})
    return pd.DataFrame(rows)


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<46}{elapsed:7.2f} s")
    return result, elapsed


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    outlets = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    corpus = generate(n, outlets)
    size = corpus["text"].str.encode("utf-8").str.len()
    print(f"corpus: {n} articles from {outlets} outlets, {size.sum() / 1e6:.1f} MB, {size.mean():.0f} bytes/article")
    df, t_score = timed("score_corpus", lambda: score_corpus(corpus, progress=False))
    _, t_compare = timed("compare(by='outlet'), 2,000 resamples", lambda: compare(df, by="outlet"))
    timed("compare(by='outlet', over='month')", lambda: compare(df, by="outlet", over="month"))
    print(f"{'score + compare (target < 30 s)':<46}{t_score + t_compare:7.2f} s   "
          f"({n / t_score:,.0f} articles/s scoring)")

    from framing.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for row in corpus.to_dict("records"):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        sink = io.StringIO()
        start = time.perf_counter()
        with redirect_stdout(sink):
            cli(["compare", str(path), "--by", "outlet", "--json"])
        print(f"{'framing compare corpus.jsonl --by outlet --json':<46}{time.perf_counter() - start:7.2f} s")
    groups = json.loads(sink.getvalue())
    print("outlets by slant (LNA − GNA per 1,000 words): "
          + ", ".join(f"{g['group'][-2:]} {g['slant']['mean']:+.1f}" for g in groups))


if __name__ == "__main__":
    main()
