"""Read articles: one text file, standard input, a JSONL or CSV corpus, or the bundled demo.

Corpus records keep every field except the text (``id``, ``outlet``, ``date``, ``title``, labels
...), so they flow through to the output. Reading streams record by record, so memory stays
constant however large the file. A bad record raises :class:`InputError` naming ``file:line``;
with ``skip_bad`` it becomes a :class:`Skip` in the stream of :func:`read_items` (data, so that it
can cross a process boundary and be reported by whoever collects the results) and reading goes
on, so that articles in = articles out + reported skips. The reader's options travel as one
frozen :class:`ReaderOptions`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

DEMO = "demo"
DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}


@dataclass(frozen=True)
class Record:
    """One article: its text, the fields that travel with it, and where it came from."""

    text: str
    meta: dict
    where: str


@dataclass(frozen=True)
class Skip:
    """A record left out with ``skip_bad``: where it was and why (a one-line message naming it)."""

    where: str
    message: str

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        return {"where": self.where, "message": self.message}


@dataclass(frozen=True)
class ReaderOptions:
    """How to read a corpus, as one value passed to every reader.

    Parameters
    ----------
    text_field : str, default="text"
        The field (JSON) or column (CSV, DataFrame) holding the article.
    encoding : str, default="utf-8"
        Encoding of the file.
    skip_bad : bool, default=False
        Leave malformed records out (each becomes a :class:`Skip`) instead of raising.
    """

    text_field: str = "text"
    encoding: str = "utf-8"
    skip_bad: bool = False

    def __post_init__(self):
        if not isinstance(self.text_field, str) or not self.text_field:
            raise InputError(f"text_field must be a non-empty string. Got {self.text_field!r} instead")
        if not isinstance(self.encoding, str) or not self.encoding:
            raise InputError(f"encoding must be a non-empty string. Got {self.encoding!r} instead")
        if not isinstance(self.skip_bad, bool):
            raise InputError(f"skip_bad must be True or False. Got {self.skip_bad!r} instead")


def report_skips(items, on_skip: Callable[[str], None] | None = None) -> Iterator:
    """The items of a stream that are not :class:`Skip`; each skip's message goes to ``on_skip``."""
    for item in items:
        if isinstance(item, Skip):
            if on_skip is not None:
                on_skip(item.message)
        else:
            yield item


def is_corpus(source: str) -> bool:
    """True for a JSONL/JSON/CSV file or ``demo``; False for a single article (text file or ``-``)."""
    return source == DEMO or Path(source).suffix.lower() in CORPUS_SUFFIXES


def demo_files() -> list[Path]:
    """The bundled, illustrative demo corpus (one JSONL file per invented outlet)."""
    return sorted(DEMO_DIR.glob("*.jsonl"))


def read_records(source: str, text_field: str = "text", encoding: str = "utf-8", skip_bad: bool = False,
                 on_skip: Callable[[str], None] | None = None) -> Iterator[Record]:
    """Yield the articles of ``source``: a path, ``-`` (standard input) or ``demo``.

    The callback form of :func:`read_items`: each skipped record's one-line message goes to
    ``on_skip``.
    """
    return report_skips(read_items(source, ReaderOptions(text_field, encoding, skip_bad)), on_skip)


def read_items(source: str, options: ReaderOptions | None = None) -> Iterator[Record | Skip]:
    """Yield the articles of ``source`` (a path, ``-`` for standard input, or ``demo``) as
    :class:`Record`, and with ``options.skip_bad`` each malformed record as a :class:`Skip`, in
    file order.

    Raises
    ------
    InputError
        For a missing or unreadable source, or (without ``skip_bad``) the first bad record.
    """
    options = ReaderOptions() if options is None else options
    text_field, encoding, skip_bad = options.text_field, options.encoding, options.skip_bad
    if source == DEMO:
        for path in demo_files():
            yield from _read_jsonl(path, path.open("rb"), text_field, encoding, skip_bad)
        return
    if source == "-":
        yield Record(_article(sys.stdin.buffer.read(), "<stdin>", encoding), {}, "<stdin>")
        return
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, not an article or corpus file")
    kind = CORPUS_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        yield Record(_article(path.read_bytes(), source, encoding), {"id": path.stem}, source)
        return
    reader = {"jsonl": _read_jsonl, "json": _read_json_array, "csv": _read_csv}[kind]
    yield from reader(path, path.open("rb"), text_field, encoding, skip_bad)


def _decode(data: bytes, where: str, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "pass --encoding to name the file's encoding"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    return text.removeprefix("\ufeff")


def _article(data: bytes, where: str, encoding: str) -> str:
    text = _decode(data, where, encoding)
    if not text.strip():
        raise InputError(f"{where}: empty text")
    return text


def _check_text(value, where: str, text_field: str) -> str:
    if value is None:
        raise InputError(f"{where}: no {text_field!r} field")
    if not isinstance(value, str):
        raise InputError(f"{where}: field {text_field!r} must be a string. Got {type(value).__name__} instead")
    if not value.strip():
        raise InputError(f"{where}: field {text_field!r} is empty")
    return value


def _records(rows, text_field, skip_bad):
    """Turn ``(where, row-or-exception)`` pairs into records; a bad one raises, or is a Skip."""
    for where, row in rows:
        try:
            if isinstance(row, InputError):
                raise row
            if not isinstance(row, dict):
                raise InputError(f"{where}: a record must be a JSON object. Got {type(row).__name__} instead")
            text = _check_text(row.get(text_field), where, text_field)
        except InputError as exc:
            if not skip_bad:
                raise
            yield Skip(where, str(exc))
            continue
        meta = {k: v for k, v in row.items() if k != text_field}
        if "id" not in meta:
            meta["id"] = where
        yield Record(text, meta, where)


def _read_jsonl(path, stream, text_field, encoding, skip_bad):
    def rows():
        with stream:
            for number, raw in enumerate(stream, 1):
                where = f"{path}:{number}"
                try:
                    line = _decode(raw, where, encoding)
                except InputError as exc:
                    yield where, exc
                    continue
                if not line.strip():
                    continue
                try:
                    yield where, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield where, InputError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")

    return _records(rows(), text_field, skip_bad)


def _read_json_array(path, stream, text_field, encoding, skip_bad):
    """A ``.json`` file holding one array of records. It is read whole (JSON Lines streams; prefer
    it for large corpora); each record is named by the line it starts on, as in JSONL."""
    def rows():
        with stream:
            text = _decode(stream.read(), str(path), encoding)
        decoder = json.JSONDecoder()
        ws = re.compile(r"\s*")
        i = ws.match(text).end()
        if not text.startswith("[", i):
            what = "nothing" if i == len(text) else "an array of records"
            raise InputError(f"{path}:{text.count(chr(10), 0, i) + 1}: a .json corpus must be a JSON array of records "
                             f"([{{\"text\": ...}}, ...]); found {what if i == len(text) else repr(text[i])}. "
                             "For one record per line, name the file .jsonl")
        i = ws.match(text, i + 1).end()
        line, counted = 1, 0
        if text.startswith("]", i):
            return
        while True:
            line += text.count("\n", counted, i)
            counted = i
            where = f"{path}:{line}"
            try:
                row, i = decoder.raw_decode(text, i)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg} at column {exc.colno})") from None
            yield where, row
            i = ws.match(text, i).end()
            if text.startswith(",", i):
                i = ws.match(text, i + 1).end()
            elif text.startswith("]", i):
                break
            else:
                at = text.count("\n", 0, i) + 1
                raise InputError(f"{path}:{at}: invalid JSON (expected ',' or ']' after a record)")
        rest = text[i + 1:].strip()
        if rest:
            raise InputError(f"{path}:{text.count(chr(10), 0, i) + 1}: invalid JSON (text after the closing ']')")

    return _records(rows(), text_field, skip_bad)


def _read_csv(path, stream, text_field, encoding, skip_bad):
    def rows():
        with stream:
            try:
                # Spreadsheets save UTF-8 CSV with a byte-order mark; it must not stick to the header.
                bom_safe = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
                text = io.TextIOWrapper(stream, encoding=bom_safe, newline="")
                reader = csv.DictReader(text)
                if reader.fieldnames is None:
                    return
                if text_field not in reader.fieldnames:
                    raise InputError(
                        f"{path}:1: no {text_field!r} column; columns are {', '.join(reader.fieldnames)} "
                        "(choose one with --text-field)"
                    )
                start = reader.line_num + 1
                for row in reader:
                    where = f"{path}:{start}"
                    start = reader.line_num + 1
                    if None in row or None in row.values():
                        yield where, InputError(f"{where}: {len(reader.fieldnames)} columns expected, the row has a different number")
                    else:
                        yield where, row
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: not valid {encoding} near line {reader.line_num + 1} ({exc.reason}); "
                    "pass --encoding to name the file's encoding"
                ) from None
            except csv.Error as exc:
                raise InputError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None

    return _records(rows(), text_field, skip_bad)
