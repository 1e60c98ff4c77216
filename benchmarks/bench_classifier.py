"""Stance classifier speed on one core: training time on generated articles and prediction throughput.

Articles are generated from the demo corpus: each takes the sentences of a demo article, shuffled,
with about a third replaced by sentences of other articles of the same outlet, and keeps the demo
article's labels; so the articles are as long as the demo's (about 1.9 KB) and the vocabulary and
label mix are those of the demo corpus. Times

1. ``StanceModel.fit`` on N articles (default 10,000; one calibrated classifier per party), and
2. ``StanceModel.predict`` on the same N articles (batch), and ``predict_one`` on 500 of them.

Usage: python benchmarks/bench_classifier.py [N_ARTICLES]
"""

from __future__ import annotations

import os
import random
import re
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.corpus import read_records
from framing.labels import read_labelled
from framing.lexicon import load_lexicon
from framing.model import StanceModel

_SENTENCE = re.compile(r"(?<=[.!؟?])\s+|\n+")


def generate(n: int, seed: int = 0) -> tuple[list[str], dict[str, list]]:
    lexicon = load_lexicon()
    corpus = read_labelled(read_records("demo"), lexicon.parties)
    by_outlet = defaultdict(list)
    sentences = []
    for i, text in enumerate(corpus.texts):
        parts = [s for s in _SENTENCE.split(text) if s.strip()]
        sentences.append(parts)
        by_outlet[corpus.meta[i].get("outlet")].extend(parts)
    rng = random.Random(seed)
    texts, labels = [], {p: [] for p in corpus.labels}
    for _ in range(n):
        i = rng.randrange(len(corpus.texts))
        pool = by_outlet[corpus.meta[i].get("outlet")]
        parts = [s if rng.random() > 1 / 3 else rng.choice(pool) for s in sentences[i]]
        rng.shuffle(parts)
        texts.append(" ".join(parts))
        for p in corpus.labels:
            labels[p].append(corpus.labels[p][i])
    return texts, labels


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    texts, labels = generate(n)
    size = sum(len(t.encode()) for t in texts) / n
    print(f"corpus: {n} generated articles, {size:.0f} bytes/article, parties {', '.join(labels)}")
    start = time.perf_counter()
    model = StanceModel().fit(texts, labels)
    elapsed = time.perf_counter() - start
    print(f"training (fit, {len(model.parties)} parties):  {elapsed:8.1f} s")

    from framing.features import _ROW_CACHE

    _ROW_CACHE.clear()  # predict as on unseen articles: no lexicon rows cached from training
    start = time.perf_counter()
    model.predict(texts)
    elapsed = time.perf_counter() - start
    print(f"prediction, batch (predict):   {n / elapsed:8.0f} articles/s")
    _ROW_CACHE.clear()
    some = texts[:500]
    start = time.perf_counter()
    for t in some:
        model.predict_one(t)
    elapsed = time.perf_counter() - start
    print(f"prediction, one by one:        {len(some) / elapsed:8.0f} articles/s (predict_one)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS):         {peak:8.0f} MB")


if __name__ == "__main__":
    main()
