"""The progress bar of a corpus whose records cannot be counted before it is read (a compressed
file, CSV, a JSON array): the bytes read out of the files' size, and the articles so far."""

import bz2
import csv
import gzip
import io
import json
import lzma
import random

import pytest

from framing.cli import main
from framing.corpus import ReaderOptions, read_lines
from framing.progress import BytesRead, input_bytes, reading

WORDS = ["قوات", "الوفاق", "الجيش", "الوطني", "طرابلس", "حفتر", "المرتزقة", "الحكومة", "الشرعية", "مصادر",
         "ميدانية", "أكدت", "المدينة", "الجنوب", "اشتباكات", "عنيفة", "محور", "المطار"]


LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _records(n: int, seed: int = 0) -> list[dict]:
    # Words of the lexicon among words of random letters: a compressed file of them stays large
    # enough to be read in many pieces.
    rng = random.Random(seed)

    def word():
        return rng.choice(WORDS) if rng.random() < 0.2 else "".join(rng.choices(LETTERS, k=rng.randint(3, 7)))

    return [{"id": f"a{k}", "text": " ".join(word() for _ in range(rng.randint(40, 200)))} for k in range(n)]


def _write(path, records) -> None:
    """``records`` in the file format and compression the name says."""
    name = path.name
    base = name.rsplit(".", 1)[0] if name.endswith((".gz", ".bz2", ".xz")) else name
    if base.endswith(".csv"):
        out = io.StringIO()
        writer = csv.DictWriter(out, ["id", "text"])
        writer.writeheader()
        writer.writerows(records)
        text = out.getvalue()
    elif base.endswith(".json"):
        text = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"
    else:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    data = text.encode("utf-8")
    # bzip2 decompresses a block at a time: blocks of 100 KB (level 1), not 900 KB, make a file
    # of a few blocks here.
    compress = {".gz": gzip.compress, ".bz2": lambda d: bz2.compress(d, 1), ".xz": lzma.compress}.get(
        path.suffix, lambda d: d)
    path.write_bytes(compress(data))


SOURCES = [
    ("CSV", ["c.csv"]),
    ("JSON array", ["c.json"]),
    ("gzip JSONL", ["c.jsonl.gz"]),
    ("xz CSV", ["c.csv.xz"]),
    ("bzip2 JSON array", ["c.json.bz2"]),
    ("several files", ["a.jsonl.gz", "b.csv", "c.json"]),
]


@pytest.mark.parametrize("names", [s[1] for s in SOURCES], ids=[s[0] for s in SOURCES])
def test_bytes_read_move_with_the_records_to_the_files_size(tmp_path, monkeypatch, names):
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", 1 << 16)  # a JSON array is read a window at a time
    paths = [tmp_path / name for name in names]
    for k, path in enumerate(paths):
        _write(path, _records(1500, seed=k))
    position, seen = BytesRead(), []
    items = 0
    for path in paths:
        for _ in read_lines(str(path), ReaderOptions(), position.opened):
            items += 1
            seen.append(position())
    total = sum(input_bytes(str(p)) for p in paths)
    assert total == sum(p.stat().st_size for p in paths) > 500_000
    assert items == 1500 * len(paths)
    assert seen == sorted(seen)  # never back
    assert 0 < seen[0] and len(set(seen)) >= 3  # it moves while the files are read, not only at the end
    assert position() == total  # every byte, once the last file is closed


def test_bar_of_bytes_for_a_compressed_csv_and_an_array(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    a, b = tmp_path / "a.csv.gz", tmp_path / "b.json"
    _write(a, _records(300))
    _write(b, _records(200, seed=1))
    assert main(["score", str(a), str(b), "--json", "--progress", "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 500 and "scoring" not in out
    last = err.split("\r")[-1]
    assert "scoring: 100%" in last and "500 articles" in last
    size = (a.stat().st_size + b.stat().st_size) / 1024
    assert f"{size:.0f}k/{size:.0f}k" in last or f"/{size:.0f}k" in last, last


def test_counted_corpus_keeps_the_bar_of_articles(tmp_path, capsys, monkeypatch):
    # Must not: a JSONL file's lines are counted, so its bar counts articles, not bytes.
    monkeypatch.delenv("CI", raising=False)
    path = tmp_path / "c.jsonl"
    _write(path, _records(120))
    assert main(["score", str(path), "--json", "--progress", "--jobs", "1"]) == 0
    last = capsys.readouterr().err.split("\r")[-1]
    assert "120/120" in last and "B/s" not in last


def test_score_corpus_bar_of_bytes(tmp_path, capsys):
    from framing.table import score_corpus

    path = tmp_path / "c.csv.bz2"
    _write(path, _records(80))
    table = score_corpus(path, progress=True, n_jobs=1)
    last = capsys.readouterr().err.split("\r")[-1]
    assert len(table) == 80 and "scoring: 100%" in last and "80 articles" in last


def test_no_bar_reads_the_same(tmp_path):
    path = tmp_path / "c.json.xz"
    _write(path, _records(50))
    quiet = list(reading(read_lines, [str(path)], ReaderOptions(), enabled=False))
    shown = list(reading(read_lines, [str(path)], ReaderOptions(), enabled=True))
    assert [r.text for r in quiet] == [r.text for r in shown] == [r["text"] for r in _records(50)]
