"""Input and output a researcher meets first: .json array corpora, progress bars, the text report."""

import json
import re

import pytest

from framing import corpus
from framing.attach import RULES
from framing.cli import main
from framing.corpus import read_records

from .conftest import EXAMPLES

A = "قصفت ميليشيات حفتر طرابلس."
B = "تقدمت قوات الوفاق الباسلة."


def test_json_array_is_a_corpus_with_lines(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(f'[\n  {{"id": "a", "text": "{A}"}},\n  {{"outlet": "X",\n   "text": "{B}"}}\n]\n', encoding="utf-8")
    records = list(read_records(str(path)))
    assert [r.text for r in records] == [A, B]
    assert [r.where for r in records] == [f"{path}:2", f"{path}:3"]
    assert records[1].meta == {"outlet": "X", "id": f"{path}:3"}


@pytest.mark.parametrize("content, message", [
    ('{"text": "نص"}', ":1: a .json corpus must be a JSON array of records"),
    ("", ":1: a .json corpus must be a JSON array of records"),
    ('[{"text": "نص"},\n {"text": }]', ":2: invalid JSON"),
    ('[{"text": "نص"}\n {"text": "نص"}]', ":2: invalid JSON (expected ',' or ']' after a record)"),
    ('[{"text": "نص"}] x', ":1: invalid JSON (text after the closing ']')"),
    ('[{"text": "نص"},\n 7]', ":2: a record must be a JSON object. Got int instead"),
])
def test_bad_json_array_is_one_line_naming_the_line(tmp_path, capsys, content, message):
    path = tmp_path / "c.json"
    path.write_text(content, encoding="utf-8")
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}{message}" in err and err.count("\n") == 1


def test_json_array_skip_bad_counts_in_and_out(tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text(json.dumps([{"text": A}, {"text": 3}, {"text": B}], ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path), "--json", "--skip-bad"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and "2 articles processed, 1 skipped" in err


# A .json array is read a window at a time (framing.corpus.JSON_CHUNK bytes): with windows of a
# few bytes every record, string, escape, number and multi-byte letter is cut somewhere, and the
# records and the messages must be those of the file read whole.
CHUNKS = [1, 2, 3, 5, 16, 1 << 30]

ARRAYS = [
    ("records over lines", f'[\n  {{"id": "a", "text": "{A}"}},\n  {{"outlet": "X",\n   "text": "{B}"}}\n]\n'),
    ("byte order mark, CRLF", f'\ufeff[\r\n{{"text": "{A}"}},\r\n{{"text": "{B}"}}\r\n]\r\n'),
    ("numbers and constants at every cut", (f'[{{"text": "{A}", "n": 123456789, "x": -1.25e+10, "t": true, "z": null}},'
                                           f'{{"n": 9876543210123, "f": false, "text": "{B}"}}]')),
    ("escapes and nesting", f'[{{"text": "\\u0642\\u0635\\u0641 \\"{A}\\" \\\\ \\ud83d\\ude00", "tags": [["a"], {{"b": [1, 2]}}]}}]'),
    ("a long record", f'[{{"text": "{A * 300}"}}, {{"text": "{B}"}}]'),
    ("no space at all", f'[{{"text":"{A}"}},{{"text":"{B}"}}]'),
    ("white space runs", f'[   \n\n\t {{"text": "{A}"}}   \n ,  \n\n {{"text": "{B}"}}  \n\n ]   \n\n'),
    ("empty", "  [ \n ]  "),
]


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("name, content", ARRAYS, ids=[a[0] for a in ARRAYS])
def test_json_array_read_in_windows_gives_the_records(tmp_path, monkeypatch, chunk, name, content):
    path = tmp_path / "c.json"
    path.write_bytes(content.encode("utf-8"))
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", chunk)
    records = list(read_records(str(path)))
    rows = json.loads(content.removeprefix("\ufeff"))
    assert [r.text for r in records] == [row["text"] for row in rows]
    assert [{k: v for k, v in r.meta.items() if k != "id"} for r in records] == \
        [{k: v for k, v in row.items() if k not in ("text", "id")} for row in rows]
    # Each record is named by the line its opening brace is on.
    starts = [m.start() for m in re.finditer(r'\{"(?:id|outlet|text|n)"', content)]
    assert [r.where for r in records] == [f"{path}:{content.count(chr(10), 0, s) + 1}" for s in starts]


BAD_ARRAYS = [
    ("no value", '[{"text": "نص"},\n {"text": }]', ":2: invalid JSON (Expecting value at column 11)"),
    ("missing comma", '[{"text": "نص"}\n {"text": "نص"}]', ":2: invalid JSON (expected ',' or ']' after a record)"),
    ("text after the array", '[{"text": "نص"}]\n\n   x', ":1: invalid JSON (text after the closing ']')"),
    ("not an array", '  \n {"text": "نص"}', ":2: a .json corpus must be a JSON array of records"),
    ("cut short in a string", '[{"text": "نص"},\n {"text": "نص', ":2: invalid JSON (Unterminated string starting at column 11)"),
    ("cut short after a number", '[{"text": "نص", "n": 12', ":1: invalid JSON (Expecting ',' delimiter at column 24)"),
    ("a raw line break in a string", '[{"text": "نص"},\n  {"text": "ن\nص"}, {"text": "نص"}]',
     ":2: invalid JSON (Invalid control character at column 14)"),
    ("bad escape", '[{"text": "نص"}, {"text": "\\x"}]', ":1: invalid JSON (Invalid \\escape at column 28)"),
    ("a constant cut short", '[{"text": "نص", "v": -Inf}]', ":1: invalid JSON (Expecting value at column 22)"),
    ("nothing", "   ", ":1: a .json corpus must be a JSON array of records ([{\"text\": ...}, ...]); found nothing"),
]


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("name, content, message", BAD_ARRAYS, ids=[b[0] for b in BAD_ARRAYS])
def test_bad_json_array_read_in_windows_names_the_place(tmp_path, capsys, monkeypatch, chunk, name, content, message):
    path = tmp_path / "c.json"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", chunk)
    assert main(["score", str(path), "--skip-bad"]) == 2
    err = capsys.readouterr().err
    assert f"{path}{message}" in err and err.count("\n") == 1, err


@pytest.mark.parametrize("chunk", CHUNKS)
def test_json_array_not_in_its_encoding_names_the_byte(tmp_path, capsys, monkeypatch, chunk):
    path = tmp_path / "c.json"
    good = f'[{{"text": "{A}"}}, {{"text": "'.encode()
    path.write_bytes(good + b"\xd9\xff" + b'"}]')
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", chunk)
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: not valid utf-8 (byte 0xd9 at offset {len(good)})" in err, err


@pytest.fixture
def windows(monkeypatch):
    """The length of the window after each read of a .json array (one entry per read)."""
    sizes, more = [], corpus._JsonWindow.more

    def spy(self, keep):
        read = more(self, keep)
        sizes.append(len(self.text))
        return read

    monkeypatch.setattr(corpus._JsonWindow, "more", spy)
    return sizes


@pytest.mark.parametrize("chunk", [4, 1 << 30])
def test_json_array_record_left_open_is_bounded(tmp_path, capsys, monkeypatch, windows, chunk):
    path = tmp_path / "c.json"
    path.write_text(f'[{{"text": "{A}"}},\n{{"text": "{"x" * 400}', encoding="utf-8")
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", chunk)
    monkeypatch.setattr("framing.corpus.MAX_LINE", 200)
    assert main(["score", str(path), "--skip-bad"]) == 2
    assert f"{path}:2: a record longer than 200 characters" in capsys.readouterr().err
    assert max(windows) <= 200 + max(chunk, len(A) + 20) + 1  # the bound and at most a chunk


@pytest.mark.parametrize("chunk", CHUNKS)
def test_json_array_skip_bad_in_windows(tmp_path, capsys, monkeypatch, chunk):
    # A record that is a number or a constant has no closing bracket: one cut by a window's end
    # must be read on, not taken for a shorter number and the rest for a missing comma.
    path = tmp_path / "c.json"
    path.write_text(f'[{{"text": "{A}"}},\n1234567890,\n{{"text": "{B}", "v": NaN}},\nfalse,\n{{"text": "{B}"}}]',
                    encoding="utf-8")
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", chunk)
    assert main(["score", str(path), "--json", "--skip-bad"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and "2 articles processed, 3 skipped" in err
    assert f"{path}:2: a record must be a JSON object. Got int instead" in err
    assert f"{path}:3: invalid JSON (NaN is not a JSON number)" in err
    assert f"{path}:4: a record must be a JSON object. Got bool instead" in err


def test_json_array_error_is_reported_where_it_is(tmp_path, capsys, monkeypatch):
    """Invalid JSON inside a record is reported at once, not read past as if the window had cut the
    record (which would read on to the end of the file, or to MAX_LINE)."""
    path = tmp_path / "c.json"
    path.write_text('[{"text": "\\x"},\n' + ",\n".join([f'{{"text": "{A}"}}'] * 50) + "]", encoding="utf-8")
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", 8)
    monkeypatch.setattr("framing.corpus.MAX_LINE", 200)
    assert main(["score", str(path)]) == 2
    assert f"{path}:1: invalid JSON (Invalid \\escape at column 12)" in capsys.readouterr().err


def test_long_json_record_is_read_in_few_windows(tmp_path, monkeypatch, windows):
    """Each read is as long as the text kept, so a record of n chunks takes about log2(n) reads
    (each of which decodes the record again), not n."""
    path = tmp_path / "c.json"
    path.write_text(f'[{{"text": "{A * 1000}"}}]', encoding="utf-8")
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", 16)
    assert [r.text for r in read_records(str(path))] == [A * 1000]
    assert len(windows) < 40  # 2,800 chunks; the text grows by half each read (two bytes a letter)


def test_json_array_streams(tmp_path, monkeypatch, windows):
    """The first record comes from the first window read, and no window holds much more than a
    chunk: the reader never holds the file."""
    path = tmp_path / "c.json"
    path.write_text("[" + ",\n".join(json.dumps({"text": A}, ensure_ascii=False) for _ in range(2000)) + "]",
                    encoding="utf-8")
    monkeypatch.setattr("framing.corpus.JSON_CHUNK", 1000)
    records = read_records(str(path))
    next(records)
    assert len(windows) == 1
    assert sum(1 for _ in records) == 1999
    assert len(windows) > 50 and max(windows) < 1000 + len(A) + 20


def test_empty_json_array_is_no_articles(tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text("[ ]", encoding="utf-8")
    assert main(["compare", str(path)]) == 2
    assert "no articles" in capsys.readouterr().err


# A CSV corpus whose lines end in \n, \r\n or \r alone (Excel for Mac's "CSV (Macintosh)"), with
# a quoted article that holds line breaks of its own: each gives the same records, on the same lines.
CSV_ROWS = ["id,outlet,text", f"a,X,{A}", f'b,Y,"{B}<br>{A}"', f"c,,{B}"]


@pytest.mark.parametrize("end, inner", [
    ("\n", "\n"), ("\r\n", "\r\n"), ("\r\n", "\r"),  # unchanged
    ("\r", "\r"), ("\r", "\n"), ("\r", "\r\n"),        # were one line: "new-line character seen in unquoted field"
])
def test_csv_lines_may_end_in_a_carriage_return_alone(tmp_path, end, inner):
    path = tmp_path / "c.csv"
    path.write_bytes((end.join(CSV_ROWS) + end).replace("<br>", inner).encode())
    got = [(r.meta["id"], r.meta["outlet"], r.text, r.where) for r in read_records(str(path))]
    assert got == [("a", "X", A, f"{path}:2"), ("b", "Y", B + inner + A, f"{path}:3"), ("c", "", B, f"{path}:5")]


@pytest.mark.parametrize("end", ["\n", "\r"])
def test_bad_csv_record_is_named_by_its_line_whatever_the_line_ends(tmp_path, capsys, end):
    path = tmp_path / "c.csv"
    path.write_bytes(end.join(["id,text", f"a,{A}", f'"b,{B}', f"c,{B}", "d"]).encode() + end.encode())
    assert main(["score", str(path), "--json", "--skip-bad", "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "c"]
    assert "c.csv:3: malformed CSV record: a quoted field is never closed (found on line 5)" in err
    assert "c.csv:5: 2 columns expected, the row has 1" in err and "2 articles processed, 2 skipped" in err


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])  # \r: was one line, "invalid JSON (Extra data ...)"
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_lines_may_end_in_a_carriage_return_alone(tmp_path, capsys, end, jobs):
    rows = [json.dumps({"id": "a", "text": A + "\r" + B}, ensure_ascii=False), "", "{bad",
            json.dumps({"id": "b", "text": B}, ensure_ascii=False), " "]
    path = tmp_path / "c.jsonl"
    path.write_bytes(end.join(rows).encode())
    assert main(["score", str(path), "--json", "--skip-bad", "--jobs", jobs]) == 0
    out, err = capsys.readouterr()
    assert [(r["id"], r["words"]) for r in map(json.loads, out.splitlines())] == [("a", 8), ("b", 4)]
    assert err.splitlines() == ["framing: skipped: c.jsonl:3: invalid JSON (Expecting property name enclosed in "
                                "double quotes at column 2)".replace("c.jsonl", str(path)),
                                "framing: 2 articles processed, 1 skipped"]


# A carriage return between a record's tokens is JSON's space: the record stays one, whatever
# ends the line.
@pytest.mark.parametrize("record", [
    '{"id": "a",\r "text": "%s"}',
    '{"id": "a", "meta": {"x": 1}\r, "text": "%s"}',
    '{"id": "a",\r\r"text": "%s"}\r',
])
@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_a_carriage_return_inside_a_record_is_space(tmp_path, capsys, record, end):
    path = tmp_path / "c.jsonl"
    path.write_bytes(end.join([record % A, json.dumps({"id": "b", "text": B}, ensure_ascii=False)]).encode())
    assert main(["score", str(path), "--json", "--jobs", "1"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ["a", "b"]


# The progress bar's total counts the records the reader reads, whatever ends the lines.
@pytest.mark.parametrize("data", [
    b'{"text": "a"}\n{"text": "b"}\n',
    b'{"text": "a"}\r{"text": "b"}\r{"text": "c"}\r',
    b'\r{"text": "a"}\r\r{"text": "b"}',
    b'{"id": 1,\r "text": "a"}\r\n \r\n{"text": "b"}\r\n',
    b'{"text": "a"}\r \t\r{bad\n\n',
])
def test_the_bar_counts_the_records_the_reader_reads(tmp_path, data):
    from framing.corpus import ReaderOptions, read_items
    from framing.progress import expected_records

    path = tmp_path / "c.jsonl"
    path.write_bytes(data)
    read = list(read_items(str(path), ReaderOptions(skip_bad=True)))
    assert expected_records(str(path)) == len(read)


@pytest.mark.parametrize("command", [["score", "demo", "--json"], ["compare", "demo"]])
def test_progress_bar_when_asked_and_never_in_stdout(capsys, monkeypatch, command):
    monkeypatch.delenv("CI", raising=False)
    assert main([*command, "--progress"]) == 0
    out, err = capsys.readouterr()
    assert "scoring: 100%" in err and "260/260" in err and "scoring" not in out
    assert main(command) == 0  # standard error is not a terminal here: no bar unless asked
    assert "scoring" not in capsys.readouterr().err


def test_text_report_labels_units_and_explains_each_rule_once(capsys):
    assert main(["score", str(EXAMPLES / "pro_lna.txt")]) == 0
    out = capsys.readouterr().out
    assert "framing per 1,000 words" in out and "in summed lexicon weights (not per 1,000 words)" in out
    assert "weight" in out.split("evidence:")[1].splitlines()[1]  # the evidence table has a header
    used = set(re.findall(r"→ \w+ \((\w+)\)", out))
    assert {"named", "construct", "speaker"} <= used <= set(RULES)
    for rule in used:
        assert out.count(f"  {rule}: {RULES[rule]}") == 1


def test_over_leaves_undated_articles_out_with_a_note(tmp_path, capsys):
    from .corpora import many_outlets

    path = many_outlets(tmp_path / "c.jsonl", outlets=6)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    undated = sum(1 for r in rows if not r.get("date"))
    assert 0 < undated < len(rows)
    assert main(["compare", str(path), "--by", "alignment", "--over", "quarter", "--json", "--boot", "50"]) == 0
    out, err = capsys.readouterr()
    assert f"framing: note: {undated} articles with no 'date' left out of the periods ({len(rows) - undated} placed)" in err
    assert sum(r["n"] for r in json.loads(out)) == len(rows) - undated


def test_every_rule_in_the_attach_docstring_is_explained():
    import framing.attach

    documented = set(re.findall(r"^``(\w+)``$", framing.attach.__doc__, re.MULTILINE))
    assert documented == set(RULES)
