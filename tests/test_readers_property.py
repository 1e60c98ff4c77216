"""Property tests of the corpus readers (issue #15): whatever the bytes, JSON shapes or CSV quoting,
reading never ends in a traceback and never loses a record: articles out + reported skips = records in.
"""

import csv
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.corpus import read_records
from framing.errors import InputError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(name: str, data: bytes):
    """(records, skip messages) of ``data`` saved as ``name``, read with skip_bad."""
    skips = []
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        records = list(read_records(str(path), skip_bad=True, on_skip=skips.append))
    return records, skips


def _non_blank_lines(data: bytes) -> int:
    """Records in a JSONL file: its non-blank lines, ended by a newline, or by a carriage return
    before the «{» of a record (an undecodable line counts; it is reported)."""
    count = 0
    for raw in re.split(rb"\n|(?<=\r)(?=[ \t\r]*\{)", data):
        try:
            count += bool(raw.decode("utf-8").removeprefix("\ufeff").strip())
        except UnicodeDecodeError:
            count += 1
    return count


def _writable(record) -> None:
    """What the commands do with a record: write it as JSON, encoded as UTF-8."""
    json.dumps({"text": record.text, **record.meta}, ensure_ascii=False, allow_nan=False).encode("utf-8")


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_as_jsonl(data):
    records, skips = _read("c.jsonl", data)
    assert len(records) + len(skips) == _non_blank_lines(data)
    for record in records:
        _writable(record)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),  # text() includes lone surrogates
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)
RECORD = st.fixed_dictionaries({"text": st.text(min_size=1)}, optional={"id": JSON, "outlet": JSON, "meta": JSON})
LINES = st.one_of(
    st.builds(json.dumps, JSON | RECORD, ensure_ascii=st.booleans()),  # NaN and Infinity are written as such
    st.builds(lambda n: '{"text": "نص", "n": ' + "9" * n + "}", st.integers(4000, 5000)),  # too long for int()
    st.builds(lambda n: '{"text": "نص", "x": ' + "[" * n + "]" * n + "}", st.integers(0, 3000)),  # deep
)


@SETTINGS
@given(st.lists(LINES, max_size=8))
def test_random_json_shapes(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")  # a raw lone surrogate makes an undecodable line
    records, skips = _read("c.jsonl", data)
    assert len(records) + len(skips) == len(lines)
    for record in records:
        _writable(record)


FIELD = st.text(st.sampled_from('ab ع"\',\n\r\t;ص'), max_size=12)


@SETTINGS
# (Python's writer leaves a lone \r unquoted under QUOTE_MINIMAL with \n line ends: no reader could tell.)
@given(st.lists(st.tuples(FIELD, FIELD), max_size=8),
       st.sampled_from([(csv.QUOTE_MINIMAL, "\r\n"), (csv.QUOTE_ALL, "\r\n"), (csv.QUOTE_ALL, "\n"),
                        (csv.QUOTE_NONNUMERIC, "\n")]))
def test_csv_quoting_round_trips(rows, style):
    quoting, newline = style
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator=newline)
    writer.writerow(["id", "text"])
    writer.writerows(rows)
    records, skips = _read("c.csv", out.getvalue().encode("utf-8"))
    assert len(records) + len(skips) == len(rows)
    kept = [(i, t) for i, t in rows if t.strip()]  # an empty text is reported, not read
    assert [(r.meta["id"], r.text) for r in records] == kept


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_after_a_csv_header(data):
    records, skips = _read("c.csv", b"id,text\n" + data)
    for record in records:
        assert set(record.meta) == {"id"}
        _writable(record)
    # Every line that holds something is in a record or in a report.
    assert len(records) + len(skips) >= (1 if any(not line.isspace() for line in data.split(b"\n") if line) else 0)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_as_csv_never_a_traceback(data):
    try:
        records, _ = _read("c.csv", data)
    except InputError as exc:  # the header itself is unusable: one line naming the file
        assert "\n" not in str(exc) and str(exc).startswith(tempfile.gettempdir())
    else:
        for record in records:
            _writable(record)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5))
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=2), st.dictionaries(st.text(max_size=3), _SCALARS, max_size=2))


def _same_as_checking_decoder(line: str):
    """What _parse_json gives for ``line`` (a value, or its error's message), checked against the
    decoder that checks each number (when that decoder fails outright, an invalid-JSON error)."""
    from framing.corpus import _check_json_value, _decoder, _parse_json

    problems: list[str] = []
    try:
        want = _decoder(problems).decode(line)
        _check_json_value(want, "c.jsonl:1", problems, line)
    except InputError as exc:
        want = str(exc)
    except (ValueError, RecursionError):
        want = None
    try:
        got = _parse_json(line, "c.jsonl:1")
    except InputError as exc:
        got = str(exc)
    if want is None:
        assert got.startswith("c.jsonl:1: invalid JSON (")
    else:
        assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)
    return got


@pytest.mark.parametrize("line, error", [
    ('{"text": "نص", "n": 3, "x": 1.5, "ok": true, "none": null}', None),
    ('{"text": "نص", "v": NaN}', "NaN is not a JSON number"),
    ('{"text": "نص", "v": -Infinity}', "-Infinity is not a JSON number"),
    ('{"text": "نص", "v": 1e400}', "the number 1e400 is too large for a float"),
    ('{"text": "نص", "v": ' + "9" * 5000 + "}", "a number with more than 4300 digits"),
    ('{"text": "نص", "v": [1, NaN]}', "NaN is not a JSON number"),  # nested: the checking decoder
    ('{"text": "نص", "v": ' + "[" * 70 + "]" * 70 + "}", "nested more than 64 levels deep"),
    ('{"text": "\\ud800"}', "lone surrogate"),
    ('{"text": "نص"', "Expecting"),
])
def test_a_record_parses_as_the_checking_decoder_parses_it(line, error):
    """A flat record of finite numbers is parsed by json's C decoder alone (no Python call per
    number); whatever it holds, the value or the error is the one of the decoder that checks each
    number (NaN, infinities, long integers, nesting and surrogates go through that decoder)."""
    got = _same_as_checking_decoder(line)
    assert (error is None) == isinstance(got, dict)
    assert error is None or error in got


@SETTINGS
@given(st.dictionaries(st.text(max_size=4), _VALUES, max_size=5))
def test_any_record_parses_as_the_checking_decoder_parses_it(record):
    _same_as_checking_decoder(json.dumps(record, ensure_ascii=False))  # NaN, infinities written as such
