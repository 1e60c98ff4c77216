"""Read articles: one text file, standard input, a JSONL or CSV corpus, or the bundled demo.

Corpus records keep every field except the text (``id``, ``outlet``, ``date``, ``title``, labels
...), so they flow through to the output. Reading streams record by record, so memory stays
constant however large the file. A bad record raises :class:`InputError` naming ``file:line``;
with ``skip_bad`` it is reported through ``on_skip`` instead and reading goes on, so that
articles in = articles out + reported skips.
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

from .errors import InputError, skip_or_raise

DEMO = "demo"
DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}


@dataclass(frozen=True)
class Record:
    """One article: its text, the fields that travel with it, and where it came from."""

    text: str
    meta: dict
    where: str


def is_corpus(source: str) -> bool:
    """True for a JSONL/JSON/CSV file or ``demo``; False for a single article (text file or ``-``)."""
    return source == DEMO or Path(source).suffix.lower() in CORPUS_SUFFIXES


def demo_files() -> list[Path]:
    """The bundled, illustrative demo corpus (one JSONL file per invented outlet)."""
    return sorted(DEMO_DIR.glob("*.jsonl"))


def read_records(source: str, text_field: str = "text", encoding: str = "utf-8", skip_bad: bool = False,
                 on_skip: Callable[[str], None] | None = None) -> Iterator[Record]:
    """Yield the articles of ``source``: a path, ``-`` (standard input) or ``demo``."""
    if source == DEMO:
        for path in demo_files():
            yield from _read_jsonl(path, path.open("rb"), text_field, encoding, skip_bad, on_skip)
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
    yield from reader(path, path.open("rb"), text_field, encoding, skip_bad, on_skip)


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


def _records(rows, text_field, skip_bad, on_skip):
    """Turn ``(where, row-or-exception)`` pairs into records, skipping or raising on bad ones."""
    for where, row in rows:
        try:
            if isinstance(row, InputError):
                raise row
            if not isinstance(row, dict):
                raise InputError(f"{where}: a record must be a JSON object. Got {type(row).__name__} instead")
            text = _check_text(row.get(text_field), where, text_field)
        except InputError as exc:
            skip_or_raise(exc, skip_bad, on_skip)
            continue
        meta = {k: v for k, v in row.items() if k != text_field}
        if "id" not in meta:
            meta["id"] = where
        yield Record(text, meta, where)


def _read_jsonl(path, stream, text_field, encoding, skip_bad, on_skip):
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

    return _records(rows(), text_field, skip_bad, on_skip)


def _read_json_array(path, stream, text_field, encoding, skip_bad, on_skip):
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

    return _records(rows(), text_field, skip_bad, on_skip)


def _read_csv(path, stream, text_field, encoding, skip_bad, on_skip):
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

    return _records(rows(), text_field, skip_bad, on_skip)
