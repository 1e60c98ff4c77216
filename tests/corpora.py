"""Corpora shaped unlike the demo, built from the demo's own (invented) articles, for the tests.

The demo has seven outlets, every record dated and alignments written ``pro-lna``. A real corpus
has hundreds of outlets, many undated records and its own spellings of every field value.
"""

import json
from pathlib import Path

from framing.corpus import read_records


def demo_rows() -> list[dict]:
    return [{**r.meta, "text": r.text} for r in read_records("demo")]


def many_outlets(path: Path, outlets: int = 40, copies: int = 1, undated_every: int = 3) -> Path:
    """Write the demo's articles (``copies`` times) as a JSONL corpus with ``outlets`` outlets.

    Fields: ``source`` (the outlet: «Source 017 / pro_lna» ...), ``alignment`` (``pro_lna``,
    ``pro_gna``, ``neutral``), ``date`` missing, null or empty on one record in ``undated_every``,
    ``stance_<party>`` labels as in the demo. Each outlet keeps one alignment; a few outlets have
    many articles and most have few.
    """
    rows = demo_rows()
    alignments = sorted({r["outlet_alignment"] for r in rows})
    per_line = {a: [k for k in range(outlets) if k % len(alignments) == i] for i, a in enumerate(alignments)}
    seen = dict.fromkeys(alignments, 0)
    with path.open("w", encoding="utf-8") as f:
        for copy in range(copies):
            for i, r in enumerate(rows):
                line = r["outlet_alignment"]
                choices = per_line[line]
                # Every outlet gets an article, then most go to a few large outlets, as in real corpora.
                j = seen[line]
                k = choices[j] if j < len(choices) else choices[int(len(choices) * ((j * 7919) % 1000 / 1000) ** 3)]
                seen[line] += 1
                out = {"id": f"{r['id']}-{copy}", "source": f"Source {k:03d} / {line.replace('-', '_')}",
                       "alignment": line.replace("-", "_"), "text": r["text"],
                       "stance_lna": r.get("stance_lna"), "stance_gna": r.get("stance_gna")}
                undated = (i + copy) % undated_every == 0
                if not undated:
                    out["date"] = r["date"]
                elif i % 2:
                    out["date"] = None if i % 4 == 1 else ""
                f.write(json.dumps(out, ensure_ascii=False) + "\n")
    return path
