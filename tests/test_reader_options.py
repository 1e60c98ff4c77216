"""Reader options are one frozen value; skipped records are data (a Skip in the stream), so that
parallel and Dask paths can carry them back and report them."""

import dataclasses
import json
import pickle
import re

import pandas as pd
import pytest

from framing import InputError
from framing.concordance import kwic
from framing.corpus import ReaderOptions, Record, Skip, read_items, read_records, report_skips
from framing.evaluate import evaluate
from framing.labels import read_labelled
from framing.lexicon import load_lexicon
from framing.lint import lint
from framing.suggest import suggest
from framing.table import read_articles, score_corpus

from .conftest import DATA

GOOD = "قصفت ميليشيات حفتر الأحياء السكنية."
LINES = [
    json.dumps({"id": "a", "text": GOOD}, ensure_ascii=False),
    "{not json",
    json.dumps({"id": "c"}),
    json.dumps({"id": "d", "text": "   "}),
    json.dumps(["a list"]),
    json.dumps({"id": "f", "body": GOOD, "text": GOOD}, ensure_ascii=False),
]
# (line, kind of item, start of the message) for every line, in file order
EXPECTED = [
    (1, Record, None),
    (2, Skip, "invalid JSON"),
    (3, Skip, "no 'text' field"),
    (4, Skip, "field 'text' is empty"),
    (5, Skip, "a record must be a JSON object. Got list instead"),
    (6, Record, None),
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def test_skips_are_items_of_the_stream_in_file_order(corpus):
    items = list(read_items(str(corpus), ReaderOptions(skip_bad=True)))
    assert [(type(i), i.where) for i in items] == [(kind, f"{corpus}:{line}") for line, kind, _ in EXPECTED]
    for item, (line, kind, message) in zip(items, EXPECTED):
        if kind is Skip:
            assert item.message == f"{corpus}:{line}: {message}" or item.message.startswith(f"{corpus}:{line}: {message}")
            assert str(item) == item.message and "\n" not in item.message
            assert item.to_dict() == {"where": item.where, "message": item.message}


def test_without_skip_bad_the_first_bad_record_raises(corpus):
    stream = read_items(str(corpus), ReaderOptions())
    assert next(stream).meta["id"] == "a"
    with pytest.raises(InputError, match=f"{corpus}:2: invalid JSON"):
        next(stream)


def test_callback_form_reports_every_skip(corpus):
    messages = []
    records = list(read_records(str(corpus), skip_bad=True, on_skip=messages.append))
    assert [r.meta["id"] for r in records] == ["a", "f"]
    assert len(records) + len(messages) == len(LINES)  # count in = count out + reported skips
    assert messages == [i.message for i in read_items(str(corpus), ReaderOptions(skip_bad=True)) if isinstance(i, Skip)]


def test_skips_cross_a_process_boundary(corpus):
    skips = [i for i in read_items(str(corpus), ReaderOptions(skip_bad=True)) if isinstance(i, Skip)]
    assert pickle.loads(pickle.dumps(skips)) == skips


def test_options_are_frozen():
    options = ReaderOptions("body", "cp1256", True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.skip_bad = False
    assert options == ReaderOptions(text_field="body", encoding="cp1256", skip_bad=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"text_field": ""}, "text_field must be a non-empty string. Got '' instead"),
    ({"text_field": 3}, "text_field must be a non-empty string. Got 3 instead"),
    ({"encoding": None}, "encoding must be a non-empty string. Got None instead"),
    ({"skip_bad": "yes"}, "skip_bad must be True or False. Got 'yes' instead"),
])
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        ReaderOptions(**kwargs)


@pytest.mark.parametrize("options, ids, skipped", [
    (ReaderOptions(skip_bad=True), ["0", "3"], ["row 1: column 'text' must be a string. Got float instead",
                                                "row 2: column 'text' is empty"]),
    (ReaderOptions("body", skip_bad=True), ["1", "2", "3"], ["row 0: column 'body' is empty"]),
])
def test_a_dataframe_gives_skips_as_data_too(options, ids, skipped):
    frame = pd.DataFrame({"text": [GOOD, None, " ", GOOD], "body": ["", GOOD, GOOD, GOOD]})
    items = list(read_articles(frame, options))
    assert [i.where.removeprefix("row ") for i in items if isinstance(i, Record)] == ids
    assert [i.message for i in items if isinstance(i, Skip)] == skipped


def test_report_skips_passes_records_and_reports_the_rest():
    seen = []
    items = [Record("t", {}, "x:1"), Skip("x:2", "x:2: bad"), Record("u", {}, "x:3")]
    assert [r.where for r in report_skips(items, seen.append)] == ["x:1", "x:3"]
    assert seen == ["x:2: bad"]


def test_score_corpus_takes_the_options_as_one_value(corpus):
    messages = []
    df = score_corpus(str(corpus), lexicon=DATA / "mini", options=ReaderOptions(skip_bad=True),
                      on_skip=messages.append, progress=False)
    assert list(df["id"]) == ["a", "f"] and len(messages) == 4
    with pytest.raises(InputError, match=":2: invalid JSON"):
        score_corpus(str(corpus), lexicon=DATA / "mini", options=ReaderOptions(), progress=False)


# --------------------------------------------------------------------------------------------
# Labels and evaluation return their skips as data too: reading skips and bad labels, in file order

LABELLED = [
    ({"id": "a", "stance_lna": "unfavorable", "text": GOOD}, None),
    ("{not json", "invalid JSON"),
    ({"id": "c", "stance_lna": "hostile", "text": GOOD}, "field 'stance_lna' must be one of favorable, neutral"),
    ({"id": "d", "stance_nobody": "neutral", "text": GOOD}, "field 'stance_nobody' names no party of the lexicon"),
    ({"id": "e", "stance_gna": "neutral", "evidence": "not a list", "text": GOOD}, "evaluate: field 'evidence' must"),
    ({"id": "f", "text": GOOD}, None),  # must not skip: unlabelled is not bad
    ({"id": "g", "stance_gna": "favorable", "text": GOOD}, None),
]


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r, _ in LABELLED), encoding="utf-8")
    return path


def _expected(reader):
    """(line, message start) of the records ``reader`` leaves out."""
    out = []
    for line, (_, message) in enumerate(LABELLED, 1):
        if message is None or (message.startswith("evaluate: ") and reader != "evaluate"):
            continue
        out.append((line, message.removeprefix("evaluate: ")))
    return out


def _read_labelled(path):
    corpus = read_labelled(read_items(str(path), ReaderOptions(skip_bad=True)), load_lexicon(DATA / "mini").parties,
                           skip_bad=True)
    return corpus.skips, [m["id"] for m in corpus.meta]


def _evaluate(path):
    result = evaluate(str(path), lexicon=DATA / "mini", options=ReaderOptions(skip_bad=True))
    return result.skips, [it.id for it in result.items] + ["f"] * result.unlabelled


@pytest.mark.parametrize("reader, read, kept", [
    ("read_labelled", _read_labelled, ["a", "e", "f", "g"]),
    ("evaluate", _evaluate, ["a", "g", "f"]),
])
def test_labels_and_evaluation_return_skips_as_data(labelled, reader, read, kept):
    skips, ids = read(labelled)
    assert ids == kept
    assert len(ids) + len(skips) == len(LABELLED)  # count in = count out + skips
    assert [int(s.where.rsplit(":", 1)[1]) for s in skips] == [line for line, _ in _expected(reader)]
    for skip, (line, message) in zip(skips, _expected(reader)):
        assert isinstance(skip, Skip) and skip.message.startswith(f"{labelled}:{line}: ") and message in skip.message
    assert pickle.loads(pickle.dumps(skips)) == skips  # they can come back from another process


@pytest.mark.parametrize("call", [
    lambda path: read_labelled(read_items(str(path)), load_lexicon(DATA / "mini").parties),
    lambda path: evaluate(str(path), lexicon=DATA / "mini"),
])
@pytest.mark.parametrize("bad, message", LABELLED[2:4])
def test_without_skip_bad_a_bad_label_raises(tmp_path, call, bad, message):
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (LABELLED[0][0], bad)), encoding="utf-8")
    with pytest.raises(InputError, match=rf"l\.jsonl:2: {message}"):
        call(path)


# Every public reader of a corpus takes the options as one value, gives what the three keywords give, and
# returns its skipped records as data, no callback: reader -> (call, what it read, the messages of its skips)
def _score_corpus(path, **kw):
    messages = []  # score_corpus reports each skip as it goes (long runs): its callback stays
    df = score_corpus(str(path), lexicon=DATA / "mini", progress=False, on_skip=messages.append, **kw)
    return df["id"].tolist(), messages


def _messages(result):
    return [skip.message for skip in result.skips]


READERS = {
    "score_corpus": (_score_corpus, lambda out: out[0], lambda out: out[1]),
    "evaluate": (lambda path, **kw: evaluate(str(path), lexicon=DATA / "mini", **kw),
                 lambda r: [it.id for it in r.items], _messages),
    "kwic": (lambda path, **kw: kwic(str(path), "ميليشيات", **kw),
             lambda df: df["where"].tolist(), lambda df: [skip["message"] for skip in df.attrs["skips"]]),
    "lint": (lambda path, **kw: lint(DATA / "mini", str(path), **kw),
             lambda r: [str(f) for f in r.findings], _messages),
    "suggest": (lambda path, **kw: suggest(str(path), "outlet", lexicon=DATA / "mini", min_count=1, **kw),
                lambda r: r.groups, _messages),
}


def _read(reader, path, **kw):
    call, read, skipped = READERS[reader]
    out = call(path, **kw)
    return read(out), skipped(out)


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_takes_the_options_as_one_value(tmp_path, reader):
    path = tmp_path / "body.jsonl"
    rows = [{"id": f"r{i}", "outlet": "AB"[i % 2], "stance_lna": "unfavorable", "body": f"{GOOD} {i}"} for i in range(6)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "{broken\n", encoding="utf-8")
    got, skipped = _read(reader, path, text_field="body", skip_bad=True)
    assert got  # something was read from the field the options name
    assert _read(reader, path, options=ReaderOptions("body", skip_bad=True)) == (got, skipped)
    assert len(skipped) == 1 and "body.jsonl:7: invalid JSON" in skipped[0]
    with pytest.raises(InputError, match="no 'text' field"):
        _read(reader, path)  # must not: read another field than the default when told nothing


@pytest.mark.parametrize("reader", ["kwic", "lint", "suggest"])
def test_no_skip_callback_left(reader):
    import inspect

    assert "on_skip" not in inspect.signature({"kwic": kwic, "lint": lint, "suggest": suggest}[reader]).parameters


# Count in = count out + reported skips: reader -> how many articles it read (kwic: GOOD holds the word once;
# lint: its never-matched findings say in how many texts)
COUNTED = {
    "kwic": lambda out: len(set(out["where"])),
    "lint": lambda out: int(next(re.search(r"in (\d+) texts", f.message).group(1) for f in out.findings
                                 if f.code == "never-matched")),
}


@pytest.mark.parametrize("reader", COUNTED)
def test_count_in_is_count_out_plus_skips(tmp_path, reader):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    call, _, skipped = READERS[reader]
    out = call(path, skip_bad=True)
    assert COUNTED[reader](out) == 2 and len(skipped(out)) == len(LINES) - 2


# Commands report the skips these functions return as data, one stderr line each: (argv after the corpus)
COMMANDS = [
    ["lexicon", "suggest", "{path}", "--by", "outlet", "--lexicon", str(DATA / "mini"), "--skip-bad"],
    ["kwic", "ميليشيات", "{path}", "--skip-bad"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0] if argv[0] != "lexicon" else argv[1])
def test_commands_report_the_skips(tmp_path, capsys, argv):
    from framing.cli import main

    path = tmp_path / "c.jsonl"
    rows = [{"id": f"r{i}", "outlet": "AB"[i % 2], "text": f"{GOOD} {i}"} for i in range(6)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "{broken\n", encoding="utf-8")
    assert main([a.replace("{path}", str(path)) for a in argv]) == 0
    err = capsys.readouterr().err
    assert err.count("framing: skipped: ") == 1 and f"skipped: {path}:7: invalid JSON" in err
