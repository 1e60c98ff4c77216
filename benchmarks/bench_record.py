"""One very long record scored end to end: time and peak memory of ``framing score --json``.

A crawl can hold a whole book, a forum thread or a broken page as one record. Scoring must stay
linear in the length of an article (issue #15: a 100 MB record used to never finish), so this
script generates single records of growing size from the lexicon's own vocabulary (dense partisan
text with a paragraph break every ~40 sentences, as ``bench_score.py``'s long corpus; no copied
text), writes each as a one-line JSONL corpus and runs the whole command on it in a child process
pinned to one core, output to /dev/null. Per size it prints the CPU time, MB scored per
CPU-second (flat if every stage is linear), the wall-clock time and the peak memory of the
command (which holds the one article, its matches and its JSON line at once).

With ``--one-sentence`` every sentence end (``framing.voice.SENTENCE_END``) becomes a space: the
whole record is one sentence, the worst case for the voice rules, which read from a reporting verb
to the end of its sentence (they were quadratic in a sentence's length until 2026-12-07).

Usage: python benchmarks/bench_record.py [--sizes MB [MB ...]] [--seed S] [--one-sentence]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import Vocabulary, long_article, machine, run_cli

from framing import Scorer
from framing.voice import SENTENCE_END

# Every character that ends a sentence, made a space.
ONE_SENTENCE = str.maketrans(dict.fromkeys(SENTENCE_END, " "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 100], metavar="MB",
                        help="record sizes in MB (default: 1 10 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one-sentence", action="store_true", help="no sentence end in the record")
    args = parser.parse_args()
    scorer = Scorer()
    print(machine(scorer))
    vocab = Vocabulary(scorer.lexicon)
    one = {min(os.sched_getaffinity(0))} if hasattr(os, "sched_getaffinity") else None
    print(f"{'record':>9} {'chars':>13} {'CPU s':>8} {'MB/CPU-s':>9} {'wall s':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "record.jsonl"
        for size in args.sizes:
            rng = random.Random(args.seed)
            text = long_article(vocab, rng, int(size * 1e6))
            if args.one_sentence:
                text = text.translate(ONE_SENTENCE)
            with path.open("w", encoding="utf-8") as f:
                f.write(json.dumps({"id": "record", "text": text}, ensure_ascii=False) + "\n")
            chars = len(text)
            megabytes = len(text.encode()) / 1e6
            del text
            cpu, wall, peak = run_cli(["score", str(path), "--json", "--jobs", "1"], one)
            print(f"{megabytes:7.1f} MB {chars:13,} {cpu:8.1f} {megabytes / cpu:9.2f} {wall:8.1f} {peak:8.0f}")


if __name__ == "__main__":
    main()
