"""A folder of text files against a JSON Lines corpus of the same articles: what an archive costs.

Researchers often keep an outlet's archive as one text file per article in dated folders
(``2019/04/05/001.txt``). ``framing score DIR`` reads such a folder as a corpus; this script
times it against the same articles in one ``.jsonl`` file, so that what the folder costs beyond
the scoring (listing folders, opening files, naming each article by its path) shows as a ratio.

The articles are short wire-like texts (``bench_score.wire_sentence``, 40-120 words), so that the
cost per file is not hidden behind the cost of scoring long ones. Both runs are the whole
command in a child process pinned to one core, start-up included, output to /dev/null; the
least CPU time of ``--repeat`` runs is printed. With ``--baseline PATH`` (a checkout of another
commit, its compiled core built: ``python setup.py build_ext --inplace`` there) both are timed for
that checkout too, runs of the two taking turns.

Usage: python benchmarks/bench_folder.py [--articles N] [--per-folder N] [--seed S] [--repeat R]
       [--baseline PATH]
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

from bench_score import ROOT, Scorer, Vocabulary, article, machine, run_cli, wire_sentence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--per-folder", type=int, default=100, help="text files in each dated folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, metavar="PATH", help="a checkout of another commit to time too")
    args = parser.parse_args()
    scorer = Scorer()
    vocab = Vocabulary(scorer.lexicon)
    rng = random.Random(args.seed)
    texts = [article(vocab, rng, rng.randint(40, 120), wire_sentence) for _ in range(args.articles)]
    one = {min(os.sched_getaffinity(0))} if hasattr(os, "sched_getaffinity") else None
    print(machine(scorer))
    with tempfile.TemporaryDirectory() as tmp:
        folder, corpus = Path(tmp) / "archive", Path(tmp) / "archive.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for k, text in enumerate(texts):
                day, number = divmod(k, args.per_folder)
                path = folder / f"{2019 + day // 365}" / f"{day % 365:03d}" / f"{number:03d}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                rel = path.relative_to(folder).with_suffix("").as_posix()
                out.write(json.dumps({"id": rel, "text": text}, ensure_ascii=False) + "\n")
        folders = len({p.parent for p in folder.rglob("*.txt")})
        print(f"{args.articles:,} articles of 40-120 words, as {folders:,} folders of text files and as one "
              f".jsonl; least CPU seconds of {args.repeat} runs of `framing score INPUT --json --jobs 1` on one core")
        checkouts = {"": ROOT} if args.baseline is None else {"here: ": ROOT, "baseline: ": args.baseline.resolve()}
        inputs = {"folder of text files": folder, "one .jsonl": corpus}
        seconds = dict.fromkeys(((c, i) for c in checkouts for i in inputs), float("inf"))
        for _ in range(args.repeat):  # the checkouts and the inputs take turns
            for label, name in seconds:
                cpu = run_cli(["score", str(inputs[name]), "--json", "--jobs", "1"], one, checkouts[label])[0]
                seconds[label, name] = min(seconds[label, name], cpu)
        for label in checkouts:
            for name in inputs:
                t = seconds[label, name]
                print(f"  {label + name:<32}{t:7.2f} s  {args.articles / t:9,.0f} articles/s")
            ratio = seconds[label, "folder of text files"] / seconds[label, "one .jsonl"]
            print(f"  {label}the folder takes {ratio:.2f}x the time of the .jsonl")


if __name__ == "__main__":
    main()
