"""Compressed corpora (``.gz``, ``.bz2``, ``.xz``) read as the files they hold; damaged ones are one line."""

import bz2
import gzip
import json
import lzma
import re

import pytest

from framing.cli import main
from framing.corpus import corpus_suffix, is_corpus, read_items, read_records

A = "قصفت ميليشيات حفتر الأحياء السكنية في طرابلس."
B = "وقال المتحدث: «إن قواتنا الباسلة صدت الهجوم على العاصمة»."
C = "تقدمت قوات الوفاق الشرعية نحو ترهونة بعد معارك عنيفة."
ROWS = [{"id": f"n{k}", "outlet": "X", "text": t} for k, t in enumerate([A, B, C] * 20)]
COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def _corpus(kind: str) -> bytes:
    if kind == ".jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS).encode()
    if kind == ".json":
        return ("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n]\n").encode()
    return ("id,outlet,text\n" + "".join(f'{r["id"]},{r["outlet"]},"{r["text"]}"\n' for r in ROWS)).encode()


@pytest.mark.parametrize("name, expected", [
    ("news.jsonl.gz", (".jsonl", ".gz")),
    ("NEWS.CSV.BZ2", (".csv", ".bz2")),
    ("archive/2019.json.xz", (".json", ".xz")),
    ("news.ndjson", (".ndjson", None)),
    ("article.txt.gz", (".txt", ".gz")),
    ("article.gz", ("", ".gz")),
    ("news.jsonl.zip", (".zip", None)),  # not a compression framing reads
])
def test_corpus_suffix_reads_through_the_compression(name, expected):
    assert corpus_suffix(name) == expected
    assert is_corpus(name) == (expected[0] in (".jsonl", ".ndjson", ".json", ".csv"))


@pytest.mark.parametrize("kind", [".jsonl", ".json", ".csv"])
@pytest.mark.parametrize("compression", [".gz", ".bz2", ".xz"])
def test_a_compressed_corpus_gives_the_records_of_the_plain_one(tmp_path, kind, compression):
    plain = tmp_path / f"news{kind}"
    plain.write_bytes(_corpus(kind))
    packed = tmp_path / f"news{kind}{compression}"
    packed.write_bytes(COMPRESSORS[compression](_corpus(kind)))
    expected, got = list(read_records(str(plain))), list(read_records(str(packed)))
    assert len(got) == len(ROWS)
    assert [(r.text, r.meta) for r in got] == [(r.text, r.meta) for r in expected]
    # Named by the line in the decompressed text, as the plain file names them.
    assert [r.where.replace(str(packed), "") for r in got] == [r.where.replace(str(plain), "") for r in expected]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("compression", [".gz", ".xz"])
def test_score_of_a_compressed_corpus_writes_what_the_plain_one_gives(tmp_path, jobs, compression):
    plain, packed = tmp_path / "news.jsonl", tmp_path / f"news.jsonl{compression}"
    plain.write_bytes(_corpus(".jsonl"))
    packed.write_bytes(COMPRESSORS[compression](_corpus(".jsonl")))
    outputs = []
    for source in (plain, packed):
        out = tmp_path / f"scores-{source.name}.jsonl"
        assert main(["score", str(source), "--json", "--jobs", jobs, "-o", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == len(ROWS)


def test_a_compressed_article_is_one_article_named_without_its_suffixes(tmp_path, capsys):
    (tmp_path / "report.txt").write_text(A, encoding="utf-8")
    (tmp_path / "report.txt.gz").write_bytes(gzip.compress(A.encode()))
    items = [list(read_items(str(tmp_path / name))) for name in ("report.txt", "report.txt.gz")]
    assert [len(i) for i in items] == [1, 1]
    assert items[1][0].text == items[0][0].text == A
    assert items[1][0].meta == items[0][0].meta == {"id": "report"}


def _cut(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def _flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 64]) + data[middle + 64:]


# (suffix, the file's bytes, where reading stops: "first" line, "inside" the file or at its "end",
# the format named). Damage inside a gzip stream is in test_damage_inside_a_gzip_stream_stops_the_run.
DAMAGED = [
    (".gz", lambda d: _cut(gzip.compress(d)), "inside", "gzip"),
    (".gz", lambda d: d, "first", "gzip"),  # plain JSON Lines named .gz
    (".gz", lambda d: gzip.compress(d) + b"more", "end", "gzip"),  # bytes after the gzip stream
    (".bz2", lambda d: _cut(bz2.compress(d)), "first", "bzip2"),  # one bzip2 block: nothing before the cut
    (".bz2", lambda d: b"", "first", "bzip2"),
    (".xz", lambda d: _cut(lzma.compress(d)), "inside", "xz"),
    (".xz", lambda d: _flipped(lzma.compress(d)), "first", "xz"),  # xz checks a block before giving any of it
    (".xz", lambda d: gzip.compress(d), "first", "xz"),  # another format than the suffix says
]


def _bad_line(err: str, path, fmt: str) -> int:
    """The line a one-line decompression error names."""
    found = re.fullmatch(rf"framing: error: {re.escape(str(path))}:(\d+): cannot decompress the {fmt} data \(.+\); "
                         rf"the file is damaged, cut short or not {fmt}\n", err)
    assert found, err
    return int(found.group(1))


@pytest.mark.parametrize("skip_bad", [[], ["--skip-bad"]])
@pytest.mark.parametrize("suffix, damage, stops, fmt", DAMAGED)
def test_a_damaged_compressed_corpus_is_one_line_and_no_output(tmp_path, capsys, suffix, damage, stops, fmt, skip_bad):
    """With or without --skip-bad: what follows the damage cannot be read, so the run stops."""
    data = _corpus(".jsonl") * 40  # long enough to span several blocks of the decompressor
    path = tmp_path / f"news.jsonl{suffix}"
    path.write_bytes(damage(data))
    out = tmp_path / "scores.jsonl"
    assert main(["score", str(path), "--json", "-o", str(out), *skip_bad]) == 2
    line, n = _bad_line(capsys.readouterr().err, path, fmt), data.count(b"\n")
    assert {"first": line == 1, "inside": 1 < line <= n, "end": line == n + 1}[stops], line
    assert not out.exists() and list(tmp_path.iterdir()) == [path]


def test_damage_inside_a_gzip_stream_stops_the_run(tmp_path, capsys):
    """gzip checks its data at the end of the stream: damaged bytes before it may first read as a
    bad record (a stop without --skip-bad); with --skip-bad the check at the end stops the run."""
    path, out = tmp_path / "news.jsonl.gz", tmp_path / "scores.jsonl"
    path.write_bytes(_flipped(gzip.compress(_corpus(".jsonl") * 40)))
    assert main(["score", str(path), "--json", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"framing: error: {path}:")
    assert main(["score", str(path), "--json", "-o", str(out), "--skip-bad"]) == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert _bad_line(last + "\n", path, "gzip") > 1
    assert not out.exists()


@pytest.mark.parametrize("kind, where", [(".json", r"news\.json\.xz"), (".csv", r"news\.csv\.xz:\d+")])
def test_a_damaged_compressed_array_or_csv_is_one_line(tmp_path, capsys, kind, where):
    path = tmp_path / f"news{kind}.xz"
    path.write_bytes(_cut(lzma.compress(_corpus(kind) * 40)))
    assert main(["compare", str(path)]) == 2
    err = capsys.readouterr().err
    assert re.fullmatch(rf"framing: error: \S*{where}: cannot decompress the xz data \(.+\); the file is damaged, "
                        r"cut short or not xz\n", err), err


def test_a_plain_file_that_only_looks_compressed_is_read_as_it_is(tmp_path, capsys):
    """Must not decompress: the suffix decides, not the bytes (a .jsonl beginning with gzip's magic
    bytes is a bad record, not a gzip stream)."""
    path = tmp_path / "news.jsonl"
    path.write_bytes(b"\x1f\x8b" + b"\n" + _corpus(".jsonl"))
    assert main(["score", str(path), "--json", "--skip-bad"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == len(ROWS) and "1 skipped" in err and f"{path}:1:" in err


# Outputs: (options, the output files they name), each written gzip-compressed when its name ends in .gz.
OUTPUTS = [
    (["--json", "-o", "{}/scores.jsonl"], ["scores.jsonl"]),
    (["--format", "jsonl", "-o", "{}/scores.jsonl"], ["scores.jsonl"]),
    (["--format", "csv", "-o", "{}/scores.csv"], ["scores.csv"]),
    (["-o", "{}/report.txt"], ["report.txt"]),
    (["--json", "-o", "{}/scores.jsonl", "--matches", "{}/matches.jsonl"], ["scores.jsonl", "matches.jsonl"]),
    (["--format", "csv", "-o", "{}/scores.csv", "--matches", "{}/matches.csv"], ["scores.csv", "matches.csv"]),
]


@pytest.mark.parametrize("options, names", OUTPUTS)
def test_an_output_named_gz_is_the_plain_output_gzipped_the_same_on_every_core(tmp_path, options, names):
    corpus = tmp_path / "news.jsonl"
    corpus.write_bytes(_corpus(".jsonl"))
    written = {}
    for where, suffix, jobs in (("plain", "", "1"), ("one", ".gz", "1"), ("two", ".gz", "2")):
        (tmp_path / where).mkdir()
        argv = [o.format(tmp_path / where) + (suffix if o.startswith("{}") else "") for o in options]
        assert main(["score", str(corpus), "--jobs", jobs, *argv]) == 0
        written[where] = [(tmp_path / where / f"{name}{suffix}").read_bytes() for name in names]
    for plain, one, two in zip(written["plain"], written["one"], written["two"]):
        assert not plain.startswith(b"\x1f\x8b") and one.startswith(b"\x1f\x8b")  # a plain name stays plain
        assert gzip.decompress(one) == plain and len(plain) > 1000
        assert one[3] & 0x08 == 0 and one[4:8] == bytes(4)  # no file name and no time in the gzip header ...
        assert one == two  # ... so the same text, from one job or two, is the same bytes


@pytest.mark.parametrize("options, message", [
    (["--json", "-o", "{}/scores.jsonl.xz"], "scores.jsonl.xz: framing writes gzip (.gz), not .xz"),
    (["--format", "csv", "-o", "{}/scores.csv.bz2"], "scores.csv.bz2: framing writes gzip (.gz), not .bz2"),
    (["--json", "--matches", "{}/matches.jsonl.xz"], "matches.jsonl.xz: framing writes gzip (.gz), not .xz"),
    (["--format", "parquet", "-o", "{}/scores.parquet.gz"], "scores.parquet.gz: the output must end in .parquet"),
    (["--json", "--matches", "{}/matches.parquet.gz"], "matches.parquet.gz: Parquet compresses its own columns"),
    (["--json", "--matches", "{}/matches.tsv.gz"], "matches.tsv.gz: the format of a table must be one of"),
])
def test_an_output_framing_cannot_compress_is_refused_before_any_work(tmp_path, capsys, monkeypatch, options,
                                                                      message):
    corpus = tmp_path / "news.jsonl"
    corpus.write_bytes(_corpus(".jsonl"))
    monkeypatch.setattr("framing.scorer.scorer_for", lambda *a: pytest.fail("scored before refusing"))
    assert main(["score", str(corpus), *[o.format(tmp_path) for o in options]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == [corpus]


@pytest.mark.parametrize("records, options, names", [
    ([{"id": "en", "text": "no Arabic here"}], ["--json", "-o", "{}/scores.jsonl", "--matches", "{}/matches.jsonl"],
     ["scores.jsonl", "matches.jsonl"]),
    ([{"id": "en", "text": "no Arabic here"}], ["--json", "--matches", "{}/matches.csv"], ["matches.csv"]),
])
def test_an_output_of_no_match_is_still_a_gzip_file(tmp_path, capsys, records, options, names):
    """Not an empty file, which gzip and zcat refuse: one empty member. (A corpus of no article is
    an error, and writes nothing: tests/test_hostile.py.)"""
    corpus = tmp_path / "news.jsonl"
    corpus.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    for where, suffix in (("plain", ""), ("packed", ".gz")):
        (tmp_path / where).mkdir()
        argv = [o.format(tmp_path / where) + (suffix if o.startswith("{}") else "") for o in options]
        assert main(["score", str(corpus), *argv]) == 0
    for name in names:
        packed = (tmp_path / "packed" / f"{name}.gz").read_bytes()
        assert packed.startswith(b"\x1f\x8b") and gzip.decompress(packed) == (tmp_path / "plain" / name).read_bytes()


@pytest.mark.parametrize("compression", ["", ".gz", ".xz"])
@pytest.mark.parametrize("skip_bad", [False, True])
def test_a_line_longer_than_max_line_is_a_bad_record_never_held(tmp_path, capsys, monkeypatch, compression, skip_bad):
    """A compressed file can inflate to one endless line: past MAX_LINE bytes it is read past in
    pieces, reported at its line, and the lines after it keep their numbers."""
    import framing.corpus

    monkeypatch.setattr(framing.corpus, "MAX_LINE", 300)
    head, tail = b'{"text": "' + A.encode(), b'"}\n'
    fitting = head + b" " * (300 - len(head) - len(tail)) + tail
    assert len(fitting) == 300  # a line of MAX_LINE bytes, its newline included, is read
    data = fitting + json.dumps({"text": B * 200}).encode() + b"\n" + fitting + (b"x" * 5000) + b"\n" + fitting
    path = tmp_path / f"news.jsonl{compression}"
    path.write_bytes(COMPRESSORS[compression](data) if compression else data)
    code = main(["score", str(path), "--json", *(["--skip-bad"] if skip_bad else [])])
    out, err = capsys.readouterr()
    if not skip_bad:
        assert code == 2 and err == f"framing: error: {path}:2: a line longer than 300 bytes, which is not one " \
                                    "article's record (is the file JSON Lines?)\n"
        return
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [f"{path}:{k}" for k in (1, 3, 5)]
    assert f"{path}:2: a line longer than 300 bytes" in err and f"{path}:4: a line longer" in err
    assert "3 articles processed, 2 skipped" in err


def test_a_long_line_read_in_pieces_counts_once_in_a_decompression_error(tmp_path, capsys, monkeypatch):
    import framing.corpus

    monkeypatch.setattr(framing.corpus, "MAX_LINE", 300)
    data = b"".join(json.dumps({"text": A}).encode() + b"\n" for _ in range(3)) + b"x" * 5000 + b"\n"
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(gzip.compress(data) + b"more")  # 4 lines, the last in 17 pieces, then bytes that are not gzip
    assert main(["score", str(path), "--json", "--skip-bad"]) == 2
    assert _bad_line(capsys.readouterr().err.splitlines()[-1] + "\n", path, "gzip") == 5
