"""A corpus line parsed straight from its bytes (``framing._core.flat_record``) is the record
``json.loads`` makes of the decoded line, value for value and type for type, in the same order; and
any line it leaves (None) is read as before, so that ``parse_line`` gives the same record, skip or
error with it and without it."""

import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.corpus import RawLine, ReaderOptions, parse_line
from framing.errors import InputError

_core = pytest.importorskip("framing._core", reason="built without a C compiler, or FRAMING_PURE_PYTHON: lines are decoded, then parsed",
                            exc_type=ImportError)
flat_record = _core.flat_record
corpus = sys.modules["framing.corpus"]


def typed(row):
    """A record as a list of (key, type, value): True is not 1, and the order counts."""
    return [(k, type(v), v) for k, v in row.items()]


# Lines parsed here: each gives what json.loads gives.
PARSED = [
    '{"id": "a-1", "outlet": "منبر", "text": "قال المتحدث إن القوات تقدمت"}',
    '{"text": "نص", "n": 0, "m": -7, "big": 123456789012345678, "small": -123456789012345678}',
    '{"text": "نص", "yes": true, "no": false, "none": null}',
    '{"text": "\\" \\\\ \\/ \\n \\t \\r \\b \\f \\u0645\\u0000 \\u00e9 \\uFEFB"}',  # every escape, \\u of 2 and 3 bytes
    '{"text": "«نص» “quoted” … ﻻ é"}',   # characters of two and three bytes
    '{"text": "x\u007f\u0080\u07ff\u0800\uffff\ud7ff\ue000"}',  # the ends of each width, around the surrogates
    '  {  "text" :  "نص" , "id":1 }  \r',  # JSON whitespace between and around (a CRLF line's \r)
    '{"a": 1, "text": "نص", "a": 2}',      # a key twice: its first place, its last value
    '{}',
    '{"": ""}',
    '{"text": "-0"}',
    '{"n": -0}',
]

# Lines left to json.loads (None): what it reads another way, and what it refuses.
LEFT = [
    '{"text": "نص", "x": 1.5}',           # a float
    '{"x": 1e3}',
    '{"x": 1E3}',
    '{"x": 1234567890123456789}',          # 19 digits
    '{"x": 01}',                            # a leading zero: invalid JSON
    '{"x": -}',
    '{"x": NaN}',
    '{"x": Infinity}',
    '{"x": -Infinity}',
    '{"x": {"y": 1}}',                      # nested
    '{"x": [1, 2]}',
    '[{"text": "نص"}]',
    '"text"',
    '',
    '   ',
    '\ufeff{"text": "نص"}',                 # a byte-order mark
    '{"text": "😀"}',                        # beyond the Basic Multilingual Plane
    '{"text": "\\ud83d\\ude00"}',           # a surrogate pair, escaped
    '{"text": "\\ud83d"}',                  # half of one
    '{"text": "\\udfff x"}',
    '{"text": "a\tb"}',                      # a control character in a string
    '{"text": "a\x1fb"}',
    '{"text": "\\x41"}',                     # an escape JSON does not have
    '{"text": "\\u12"}',
    '{"text": "\\u12G4"}',
    '{"text": "نص"} x',                      # more after the object
    '{"text": "نص"}}',
    '{"text": "نص" "id": 1}',                # no comma
    '{"text": "نص",}',                       # a comma too many
    '{"text": "نص"',                         # not closed
    '{"text": "نص}',
    '{text: "نص"}',                          # a key not a string
    '{"x": tru}',
    '{"x": nul}',
    '{"x": truex}',
]

# Bytes that are not UTF-8 in a string: left, and json's reader reports them as before.
BAD_BYTES = [
    b'{"text": "\xc0\x80"}',            # an overlong form
    b'{"text": "\xe0\x80\x80"}',
    b'{"text": "\xed\xa0\x80"}',        # a surrogate, encoded
    b'{"text": "\x80"}',                # a continuation byte alone
    b'{"text": "\xd9"}',                # a lead byte without its continuation
    b'{"text": "\xd9 "}',
    b'{"text": "\xe2\x80"}',
    b'{"text": "\xf8\x88\x80\x80\x80"}',
    b'{"text": "\xff"}',
    b'{"text": "\xd9',                  # the line ends inside a character
]


@pytest.mark.parametrize("line", PARSED)
def test_a_flat_line_is_the_record_json_loads_makes(line):
    row = flat_record(line.encode())
    assert row is not None and typed(row) == typed(json.loads(line))


@pytest.mark.parametrize("data", [line.encode() for line in LEFT] + BAD_BYTES)
def test_any_other_line_is_left_to_json(data):
    assert flat_record(data) is None


def _read(data: bytes, options: ReaderOptions):
    """What parse_line gives for a line: ("record", text, typed meta), ("skip", message), None for a
    blank line, or ("error", message)."""
    try:
        item = parse_line(RawLine(data, "c.jsonl:3"), options)
    except InputError as exc:
        return ("error", str(exc))
    if item is None:
        return None
    if hasattr(item, "message"):
        return ("skip", item.message)
    return ("record", item.text, typed(item.meta), item.where)


def _both(data: bytes, monkeypatch, options=None):
    """parse_line's reading of ``data`` with the fast path and without it."""
    options = options or ReaderOptions()
    fast = _read(data, options)
    with monkeypatch.context() as m:
        m.setattr(corpus, "flat_record", None)
        slow = _read(data, options)
    return fast, slow


ANY_LINE = [line.encode() for line in PARSED + LEFT] + BAD_BYTES + [
    b'{"id": 1, "outlet": "x"}',          # no text field
    b'{"text": 12}',                        # a text that is not a string
    b'{"text": null}',
    b'{"text": "   "}',                     # an empty text
    b'{"text": ""}',
    b'{"text": "\xd9\x86\xd8\xb5", "id": "n"}',
]


@pytest.mark.parametrize("skip_bad", [False, True])
@pytest.mark.parametrize("data", ANY_LINE)
def test_parse_line_reads_every_line_as_without_the_fast_path(data, skip_bad, monkeypatch):
    fast, slow = _both(data, monkeypatch, ReaderOptions(skip_bad=skip_bad))
    assert fast == slow


def test_another_encoding_is_decoded_as_before(monkeypatch):
    # The fast path reads UTF-8 only: bytes that are UTF-8 too are read in the corpus's encoding.
    data = '{"text": "é"}'.encode()
    fast, slow = _both(data, monkeypatch, ReaderOptions(encoding="latin-1"))
    assert fast == slow == ("record", "Ã©", [("id", str, "c.jsonl:3")], "c.jsonl:3")


SCALARS = st.one_of(st.text(), st.integers(min_value=-10**20, max_value=10**20), st.booleans(), st.none(),
                    st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), SCALARS, max_size=6), st.booleans(), st.sampled_from(["", " ", "\t", "\r"]))
def test_any_flat_record_reads_as_json_reads_it(record, ascii_only, space):
    line = json.dumps(record, ensure_ascii=ascii_only).replace(": ", ":" + space) + space
    row = flat_record(line.encode("utf-8", "surrogatepass"))
    # Read exactly when it is within the fast path's reach, and then as json reads it.
    assert (row is not None) is _within_reach(record)
    if row is not None:
        assert typed(row) == typed(json.loads(line))


def _within_reach(record) -> bool:
    """Whether flat_record reads a record: no float, no integer of more than 18 digits, no
    character beyond the Basic Multilingual Plane (written as four bytes, or as two escapes)."""
    values = list(record.values())
    strings = [*record, *(v for v in values if type(v) is str)]
    return (not any(type(v) is float for v in values)
            and all(abs(v) < 10**18 for v in values if type(v) is int)
            and all(ord(c) <= 0xFFFF for text in strings for c in text))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60))
def test_any_bytes_in_a_string_are_read_as_json_reads_them_or_left(raw):
    data = b'{"text": "' + raw + b'", "id": 1}'
    row = flat_record(data)
    if row is not None:
        assert typed(row) == typed(json.loads(data.decode("utf-8")))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_parse_line_on_any_bytes_is_as_without_the_fast_path(data):
    with pytest.MonkeyPatch.context() as m:
        fast = _read(data, ReaderOptions(skip_bad=True))
        m.setattr(corpus, "flat_record", None)
        assert fast == _read(data, ReaderOptions(skip_bad=True))


@pytest.mark.parametrize("text, empty", [
    (" ", True), ("\\u00a0", True), ("\\u2003\\n\\t", True), ("\\u3000", True),
    ("\\u200b", False),   # a zero-width space is no whitespace to str.strip: a text
    (" x ", False),
])
def test_a_text_of_whitespace_is_empty(text, empty):
    read = _read(f'{{"text": "{text}"}}'.encode(), ReaderOptions())
    assert (read == ("error", "c.jsonl:3: field 'text' is empty")) is empty


@pytest.mark.parametrize("size, fast", [(1000, True), (corpus.FLAT_RECORD_BYTES, True),
                                        (corpus.FLAT_RECORD_BYTES + 1, False), (3 * corpus.FLAT_RECORD_BYTES, False)])
def test_a_line_longer_than_a_megabyte_is_decoded_as_before(size, fast, monkeypatch):
    # The fast path holds a line's characters at two bytes each: a huge record is read the old way.
    head = b'{"id": 1, "text": "'
    data = head + b"x" * (size - len(head) - 2) + b'"}'
    assert len(data) == size
    called = []
    monkeypatch.setattr(corpus, "flat_record", lambda line: called.append(len(line)) or flat_record(line))
    read = _read(data, ReaderOptions())
    assert bool(called) is fast
    assert read == ("record", "x" * (size - len(head) - 2), [("id", int, 1)], "c.jsonl:3")
