"""Read articles: one text file, standard input, a JSONL, JSON or CSV corpus, a directory of
them (:func:`directory_files`), or the bundled demo.

A corpus or a text file may be compressed (``news.jsonl.gz``, ``.bz2``, ``.xz``): it is
decompressed as it is read, by the standard library, and its records are named by their line in
the decompressed text (``news.jsonl.gz:12``).

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
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .errors import InputError, plural

try:  # a corpus line of one flat JSON object parsed from its bytes in one pass (see parse_line)
    from ._core import flat_record
except ImportError:  # built without a C compiler, or FRAMING_PURE_PYTHON: decoded, then json.loads
    flat_record = None

#: The longest line (bytes) parsed by ``flat_record``: it holds a line's characters in a buffer of
#: two bytes each while it reads them, which for a record of 100 MB would outweigh the text; a
#: longer line is decoded and parsed as before, at a cost its scoring dwarfs.
FLAT_RECORD_BYTES = 1 << 20

DEMO = "demo"
DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
#: Compressed files: the suffix after the file's own (``news.jsonl.gz``), the standard library
#: module that reads it, and the format's name in messages.
COMPRESSIONS = {".gz": ("gzip", "gzip"), ".bz2": ("bz2", "bzip2"), ".xz": ("lzma", "xz")}
#: What a command that needs a corpus takes, as its messages say.
CORPUS_FILES = ".jsonl, .json or .csv, each perhaps .gz, .bz2 or .xz, a directory of them, or `demo`"


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


def keep_skips(items, skips: list) -> Iterator:
    """The items of a stream that are not :class:`Skip`, in order; each skip is appended to ``skips``
    (for a function that returns its skips as data, e.g. ``.skips`` of its result)."""
    for item in items:
        if isinstance(item, Skip):
            skips.append(item)
        else:
            yield item


def is_corpus(source: str) -> bool:
    """True for a JSONL/JSON/CSV file (compressed or not), ``demo`` or a directory of them and of
    articles (:func:`is_directory`); False for a single article (a text file or ``-``)."""
    return source == DEMO or corpus_suffix(source)[0] in CORPUS_SUFFIXES or is_directory(source)


#: A file or directory named so is a table of scores (``score --format parquet``, ``--engine
#: dask``), read by :func:`framing.export.read_scores`, not a directory of articles.
SCORES_SUFFIX = ".parquet"


def is_scores(path) -> bool:
    """Whether ``path`` names a table of scores (``--format parquet``, or a directory from ``--engine dask``)."""
    return str(path).rstrip("/").endswith(SCORES_SUFFIX)


def is_directory(source) -> bool:
    """Whether ``source`` is a directory read as a corpus: every file under it
    (:func:`directory_files`). A directory named ``*.parquet`` is a table of scores instead."""
    return str(source) not in ("-", DEMO) and not is_scores(source) and os.path.isdir(source)


def directory_files(directory) -> Iterator[Path]:
    """The files a directory input is read as, in turn: its own files in name order, then each of
    its directories' the same way. Hidden files and directories (a name starting with ".") are
    left out; a directory that cannot be listed is an InputError, never skipped. Symbolic links
    are followed, each directory read once (a link back up would loop). Listed as they are read,
    one directory at a time."""
    return (Path(path) for path, _folder in _directory_entries(directory))


def _directory_entries(directory) -> Iterator[tuple[str, str]]:
    """:func:`directory_files` as ``(path, folder)`` strings: the path as pathlib writes it, and the
    folder it is in under ``directory`` ("" at the top). Worked out once per folder, not per file:
    an archive of a million small files would spend more time in pathlib than in scoring."""
    def unreadable(exc: OSError):
        raise _unreadable(display_name(exc.filename or str(directory)), exc)

    seen = set()
    for root, dirs, files in os.walk(directory, onerror=unreadable, followlinks=True):
        if (real := os.path.realpath(root)) in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        prefix = str(Path(root))
        prefix = "" if prefix == "." else prefix if prefix.endswith("/") else prefix + "/"
        folder = _folder(root, directory)
        for name in sorted(files):
            if not name.startswith("."):
                yield prefix + name, folder


def _suffix(name: str) -> str:
    """The last suffix of a file name, as :attr:`pathlib.PurePath.suffix` has it ("" for ``.bashrc``
    and ``notes.``), without making a path."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _name(source) -> str:
    """The last part of a path, as :attr:`pathlib.PurePath.name` has it."""
    return os.path.basename(os.fspath(source).rstrip("/"))


def text_id(path, directory=None) -> str:
    """The ``id`` of a text file's article: the file's name without its suffixes (``report`` for
    ``report.txt.gz``). Found in a ``directory`` input, its path under that directory so, folders
    joined by "/" (``2019/04/report``): an archive of dated folders holding files of one name keeps
    one id per article."""
    return _text_id(_name(path), "" if directory is None else _folder(Path(path).parent, directory))


def _folder(folder, directory) -> str:
    """Where ``folder`` is under ``directory``, folders joined by "/", with a "/" after ("" for
    ``directory`` itself)."""
    under = Path(folder).relative_to(directory).as_posix()
    return "" if under == "." else under + "/"


def _text_id(name: str, folder: str) -> str:
    """:func:`text_id` of a file ``name`` in ``folder`` (under the directory input, "" or ending in "/")."""
    for _ in range(2 if _suffix(name).lower() in COMPRESSIONS else 1):
        name = name[:len(name) - len(_suffix(name))]
    return display_name(folder + name)


def source_list(source) -> list[str]:
    """A source (a path, ``-`` or ``demo``) or a list or tuple of them, read in turn as one corpus,
    as a list of strings."""
    return [str(s) for s in source] if isinstance(source, (list, tuple)) else [str(source)]


def sources_label(names) -> str:
    """Several inputs named in one message or title: all of them up to three, else the first two
    and how many more."""
    names = list(names)
    return ", ".join(names) if len(names) <= 3 else f"{names[0]}, {names[1]} and {len(names) - 2} more"


def corpus_suffix(source) -> tuple[str, str | None]:
    """The suffix that says what ``source`` holds, in lower case (``.jsonl`` for ``news.jsonl.gz``),
    and the suffix of its compression (None when it is not compressed)."""
    name = _name(source)
    last = _suffix(name).lower()
    if last in COMPRESSIONS:
        return _suffix(name[:-len(last)]).lower(), last
    return last, None


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


def read_items(source: str, options: ReaderOptions | None = None, opened: Callable | None = None,
               within=None) -> Iterator[Record | Skip]:
    """Yield the articles of ``source`` (a path, ``-`` for standard input, or ``demo``) as
    :class:`Record`, and with ``options.skip_bad`` each malformed record as a :class:`Skip`, in
    file order. ``opened`` and ``within`` as :func:`read_lines` takes them.

    Raises
    ------
    InputError
        For a missing or unreadable source, or (without ``skip_bad``) the first bad record.
    """
    options = ReaderOptions() if options is None else options
    yield from parse_lines(read_lines(source, options, opened, within), options)


def parse_lines(items, options: ReaderOptions) -> Iterator:
    """``items`` (from :func:`read_lines`, perhaps cut into chunks) as :func:`read_items` gives
    them: each :class:`RawLine` parsed by :func:`parse_line` (a blank one dropped), any other item
    as it is. A bad line without ``options.skip_bad`` raises its InputError, where the reader would."""
    for item in items:
        if isinstance(item, RawLine):
            item = parse_line(item, options)
            if item is None:
                continue
        yield item


class RawLine:
    """One line of a JSON Lines corpus as read (``data``, bytes) and where it is (``where``),
    not parsed yet: see :func:`read_lines`."""

    __slots__ = ("data", "where")

    def __init__(self, data: bytes, where: str):
        self.data, self.where = data, where

    def __getstate__(self):
        return self.data, self.where

    def __setstate__(self, state):
        self.data, self.where = state


def parse_line(line: RawLine, options: ReaderOptions) -> Record | Skip | None:
    """A line of :func:`read_lines` as :func:`read_items` gives it: a :class:`Record`, a
    :class:`Skip` (with ``options.skip_bad``), or None for a blank line.

    Raises
    ------
    InputError
        For a bad record without ``options.skip_bad``, naming its ``file:line``.
    """
    where = line.where
    if flat_record is not None and options.encoding == "utf-8" and len(line.data) <= FLAT_RECORD_BYTES:
        row = flat_record(line.data)
        if row is not None:  # one flat object of strings, integers, booleans and nulls: no more to check
            return _record(where, row, options.text_field, options.skip_bad)
    try:
        text = _decode(line.data, where, options.encoding)
        if not text or text.isspace():  # what not text.strip() says, without copying the line
            return None
        value = _parse_json(text, where)
    except InputError as exc:
        value = exc
    return _record(where, value, options.text_field, options.skip_bad)


def read_lines(source: str, options: ReaderOptions | None = None, opened: Callable | None = None,
               within=None) -> Iterator[Record | Skip | RawLine]:
    """:func:`read_items`, except that each line of a JSON Lines corpus comes as it was read, a
    :class:`RawLine`, to be parsed by :func:`parse_line` where the record is used: the worker
    processes of ``--jobs`` parse their own records, and the process that reads only splits lines
    (a line of bytes crosses to a worker for a fraction of what a parsed record costs). Other
    sources (CSV, a JSON array, one text) come as :func:`read_items` gives them.

    ``opened``, if given, is called with each file as it is opened, the file on disk (a compressed
    one's compressed bytes): its position tells how far reading has gone
    (:class:`framing.progress.BytesRead`). ``within``, if given, is the directory input ``source``
    was found in, which names a text file's article (:func:`text_id`).
    """
    options = ReaderOptions() if options is None else options
    encoding, skip_bad = options.encoding, options.skip_bad
    check_encoding(encoding)
    if source == DEMO:
        for path in demo_files():
            stream = path.open("rb", buffering=READ_BUFFER)
            if opened is not None:
                opened(stream)
            yield from _jsonl_lines(path, stream, skip_bad)
        return
    if source == "-":
        if sys.stdin is None:  # started with standard input closed
            raise InputError("<stdin>: standard input is closed; give a file, or pipe the article in")
        # Its id is where it came from, as for a corpus record without one: among several inputs
        # («framing score a.txt - --json») every line of output names its article.
        yield Record(_article(sys.stdin.buffer.read(), "<stdin>", encoding), {"id": "<stdin>"}, "<stdin>")
        return
    check_source(source)
    if is_directory(source):  # its files in turn, each read as if it had been named
        for path, folder in _directory_entries(source):
            name = display_name(path)
            yield from _read_file(path, name, name, options, opened, folder)
        return
    # The records' where: the path as pathlib writes it; in messages, the path as it was given.
    yield from _read_file(source, display_name(str(Path(source))), display_name(source), options, opened,
                          "" if within is None else _folder(Path(source).parent, within))


def _read_file(path: str, name: str, shown: str, options: ReaderOptions, opened, folder: str):
    """:func:`read_lines` of one file, known to be there: ``name`` its records' where, ``shown``
    the name in messages, ``folder`` the folder it is in under a directory input ("" else)."""
    text_field, encoding, skip_bad = options.text_field, options.encoding, options.skip_bad
    try:
        suffix, compression = corpus_suffix(path)
        kind = CORPUS_SUFFIXES.get(suffix)
        if compression is not None:
            stream = Decompressed(path, shown, compression)
        else:
            stream = open(path, "rb", buffering=READ_BUFFER)  # noqa: SIM115 (closed by the reader)
        if opened is not None:
            opened(stream.file if compression is not None else stream)
        if kind is None:  # one article, read whole
            with stream:
                data = stream.read()
    except OSError as exc:
        raise _unreadable(shown, exc) from None
    if kind is None:
        try:
            text = _article(data, name, encoding)
        except InputError as exc:  # an empty file or another encoding: a bad record like any other
            if not skip_bad:
                raise
            yield Skip(name, str(exc))
            return
        yield Record(text, {"id": _text_id(_name(path), folder)}, name)
        return
    if kind == "jsonl":
        yield from _jsonl_lines(name, stream, skip_bad)
        return
    reader = {"json": _read_json_array, "csv": _read_csv}[kind]
    yield from reader(name, stream, text_field, encoding, skip_bad)


class Decompressed:
    """A compressed file read as the bytes it holds, as a binary file is read (``readline`` or
    ``read``), streaming: never more than a line in memory at a time.

    Data that cannot be decompressed (a damaged or cut-short file, or one that is not in the format
    its suffix names) raises an :class:`InputError` naming the file and the line where reading
    stopped, never the decompressor's own exception. The lines before it have been read by then:
    the command stops with that error and writes no output (see :mod:`framing.output`), with or
    without ``skip_bad``, since nothing after it can be read.

    Parameters
    ----------
    path : path
        The file.
    shown : str
        The file as messages name it.
    compression : str
        A key of :data:`COMPRESSIONS` (``.gz``, ``.bz2``, ``.xz``).
    """

    def __init__(self, path, shown: str, compression: str):
        import importlib
        import zlib

        module_name, self._format = COMPRESSIONS[compression]
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # Python built without the library (liblzma, libbz2)
            raise InputError(f"{shown}: this Python cannot read {self._format} files (its {module_name} "
                             "module is missing); decompress the file first") from None
        # What each module raises on data it cannot decompress: gzip a BadGzipFile (an OSError) or
        # zlib's error, bz2 an OSError, lzma its LZMAError; each an EOFError on a file cut short.
        self._errors = (OSError, EOFError, zlib.error, getattr(module, "LZMAError", OSError))
        #: The compressed file on disk: its position tells how much of it has been read.
        self.file = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._stream = module.open(self.file, "rb")
        self._shown, self._lines = shown, 0
        self._within = False  # whether the last piece read ended inside a line

    def _failed(self, exc: Exception, line: bool) -> InputError:
        reason = str(exc) or type(exc).__name__
        where = f"{self._shown}:{self._lines + (not self._within)}" if line else self._shown
        return InputError(f"{where}: cannot decompress the {self._format} data ({reason[:1].lower()}{reason[1:]}); "
                          f"the file is damaged, cut short or not {self._format}")

    def readline(self, size: int = -1) -> bytes:
        try:
            line = self._stream.readline(size)
        except self._errors as exc:
            raise self._failed(exc, True) from None
        if line and not self._within:  # a line read in pieces (a long one) counts once
            self._lines += 1
        self._within = line[-1:] != b"\n"
        return line

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except self._errors as exc:
            raise self._failed(exc, False) from None

    def close(self) -> None:
        self._stream.close()  # leaves a file it was given open
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def check_source(source: str) -> None:
    """Raise the :class:`InputError` that reading ``source`` (a path, ``-`` or ``demo``) would raise
    before its first record: a missing file, a directory of scores (``*.parquet``), or a directory
    with no file to read. A command reading several files in turn checks them all before it
    scores the first."""
    if source in ("-", DEMO):
        return
    path, shown = Path(source), display_name(source)
    try:
        if not path.exists():
            raise InputError(f"{shown}: no such file")
        if path.is_dir() and not is_directory(source):
            raise InputError(f"{shown}: is a directory of scores; `compare` and `chart` read it, other "
                             "commands read articles")
    except OSError as exc:
        raise _unreadable(shown, exc) from None
    if is_directory(source) and next(directory_files(source), None) is None:
        raise InputError(f"{shown}: the directory holds no file to read (hidden files are left out)")


def _unreadable(shown: str, exc: OSError) -> InputError:
    return InputError(f"{shown}: cannot read: {(exc.strerror or str(exc)).lower()}")


def display_name(source: str) -> str:
    """A file name as text every output can hold: bytes of the name that are not UTF-8 (which
    Python reads as lone surrogates, and no JSON, CSV or Parquet writer takes) written as ``\\xff``,
    so that the ``where`` and ``id`` of its records name the file and can be written."""
    try:
        return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate no file name gives
        return source.encode("utf-8", "backslashreplace").decode("utf-8")


def check_encoding(encoding: str) -> str:
    """``encoding`` if framing can read corpora in it: a known codec that writes newlines, commas and
    quotes as the ASCII bytes (utf-8, cp1256, iso-8859-6 ...), since records are split at those bytes.

    Raises
    ------
    InputError
        An unknown encoding, or one such as UTF-16 that is not ASCII-compatible.
    """
    import codecs

    try:
        codecs.lookup(encoding)
        ascii_compatible = '\n,"{}'.encode(encoding) == b'\n,"{}'
    except (LookupError, ValueError, TypeError):  # ValueError/TypeError: a name like "utf-8\0" or a text codec
        raise InputError(f"unknown encoding {encoding!r}; name one Python knows, e.g. utf-8 or cp1256") from None
    except UnicodeError:
        ascii_compatible = False
    if not ascii_compatible:
        raise InputError(f"encoding {encoding!r} is not ASCII-compatible; convert the file to UTF-8 "
                         "(e.g. iconv -f UTF-16 -t UTF-8)")
    return encoding


def _decode(data: bytes, where: str, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "name the file's encoding", option="encoding"
        ) from None
    return text.removeprefix("\ufeff")


# A corpus read as one article (piped to standard input, or in a file not named .jsonl / .json):
# it opens with a JSON record, as no article does. Scored, it would be one article of keys and texts.
_JSON_RECORD = re.compile(r"[\s\ufeff]*\[?\s*\{\s*\"")


def _article(data: bytes, where: str, encoding: str) -> str:
    text = _decode(data, where, encoding)
    if not text.strip():
        raise InputError(f"{where}: empty text")
    if _JSON_RECORD.match(text):
        raise InputError(f"{where}: holds JSON records, but standard input and a text file are one article "
                         "each: save the corpus as a .jsonl or .json file")
    return text


def _check_text(value, where: str, text_field: str) -> str:
    if value is None:
        raise InputError(f"{where}: field {text_field!r} must be a string. Got null instead")
    if not isinstance(value, str):
        raise InputError(f"{where}: field {text_field!r} must be a string. Got {type(value).__name__} instead")
    if not value or value.isspace():  # what not value.strip() says, without copying the text
        raise InputError(f"{where}: field {text_field!r} is empty")
    return value


def _records(rows, text_field, skip_bad):
    """Turn ``(where, row-or-exception)`` pairs into records; a bad one raises, or is a Skip."""
    for where, row in rows:
        yield _record(where, row, text_field, skip_bad)


def _record(where, row, text_field, skip_bad) -> Record | Skip:
    """A record from a parsed row (or the InputError of a row that could not be parsed): raises,
    or is a Skip with ``skip_bad``."""
    try:
        if isinstance(row, InputError):
            raise row
        if not isinstance(row, dict):
            raise InputError(f"{where}: a record must be a JSON object. Got {type(row).__name__} instead")
        if text_field not in row:
            raise InputError(f"{where}: no {text_field!r} field")
        text = _check_text(row[text_field], where, text_field)
    except InputError as exc:
        if not skip_bad:
            raise
        return Skip(where, str(exc))
    meta = dict(row)  # in the record's order, its text left out
    del meta[text_field]
    if "id" not in meta:
        meta["id"] = where
    return Record(text, meta, where)


# --- JSON Lines ---------------------------------------------------------------------------------

#: Bytes a corpus file is read by: a line of a news corpus is several KB, and Python's default
#: buffer (8 KB) reads most of them in several system calls and joins the pieces (a third of the
#: time of splitting a corpus into lines, which the writing process of ``--jobs`` does alone).
READ_BUFFER = 1 << 16

#: Longest line of a JSON Lines corpus, in bytes (its newline included): a longer one is a bad
#: record, reported and skippable, and never held whole (a compressed corpus of a few megabytes
#: could inflate to a line of gigabytes).
MAX_LINE = 1 << 30

#: Deepest nesting of a JSONL record's fields; deeper records are reported, not read (the JSON
#: writers of the output, and Python's own recursion limit, would fail on them later).
MAX_DEPTH = 64


# Where a line of JSON Lines ends in a carriage return alone (old Mac line ends): before a record's
# «{». Not at every carriage return: JSON takes one as space between a record's tokens.
_LONE_CR_BYTES = re.compile(rb"(?<=\r)(?=[ \t\r]*\{)")


def line_pieces(raw: bytes) -> list[bytes]:
    """A line of JSON Lines as read up to its newline, cut where a carriage return alone ends a line
    before a record (old Mac line ends): one piece a line, blank ones included."""
    return _LONE_CR_BYTES.split(raw)


def _jsonl_lines(path, stream, skip_bad: bool):
    """The lines of a JSON Lines file that are not blank (ASCII whitespace; :func:`parse_line`
    drops the ones blank in other ways), each with its ``file:line``. A line longer than
    :data:`MAX_LINE` is read past, never held: an InputError, or with ``skip_bad`` a :class:`Skip`."""
    prefix = f"{path}:"
    with stream:
        readline = partial(stream.readline, MAX_LINE + 1)
        number = 0
        for raw in iter(readline, b""):
            number += 1
            if len(raw) > MAX_LINE:
                problem = InputError(f"{prefix}{number}: a line longer than {MAX_LINE:,} bytes, which is not "
                                     "one article's record (is the file JSON Lines?)")
                if not skip_bad:
                    raise problem
                while raw[-1:] != b"\n" and (raw := readline()):  # the rest of the line, a piece at a time
                    pass
                yield Skip(f"{prefix}{number}", str(problem))
            elif raw.find(b"\r", 0, len(raw) - 1 - raw.endswith(b"\r\n")) >= 0:
                # Lines that end in a carriage return alone: one record each.
                pieces = line_pieces(raw)
                for k, piece in enumerate(pieces):
                    if not piece.isspace():
                        yield RawLine(piece, f"{prefix}{number + k}")
                number += len(pieces) - 1
            elif not raw.isspace():  # a line is never empty; isspace stops at its first letter, strip copies it
                yield RawLine(raw, f"{prefix}{number}")


def _decoder(problems: list):
    """A JSON decoder that notes in ``problems`` what JSON output could not hold: NaN, Infinity, a
    float too large, an integer too long for Python (each parsed as a harmless placeholder)."""
    limit = sys.get_int_max_str_digits()  # 0: no limit

    def integer(text):
        if limit and len(text.lstrip("-")) > limit:
            problems.append(f"a number with more than {limit} digits")
            return 0
        return int(text)

    def real(text):
        value = float(text)
        if not math.isfinite(value):
            problems.append(f"the number {text[:20]} is too large for a float")
        return value

    def constant(name):
        problems.append(f"{name} is not a JSON number")

    return json.JSONDecoder(parse_int=integer, parse_float=real, parse_constant=constant)


def _parse_json(line: str, where: str):
    """One JSON value whose output can be written as JSON again, or an InputError naming why not."""
    # Most records are one flat object of finite numbers: parsed by json's C decoder alone, with
    # no Python call per number. Anything else (invalid JSON, NaN or Infinity, a number out of
    # range, nested values) is parsed again below, where the decoder names the problem.
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        pass
    else:
        if type(value) is dict and _flat_and_finite(value.values()):
            _check_json_value(value, where, [], line, flat=True)
            return value
    problems: list[str] = []
    try:
        value = _decoder(problems).decode(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({_json_error(exc.msg, exc.colno)})") from None
    except RecursionError:
        raise InputError(f"{where}: invalid JSON (nested more than {MAX_DEPTH} levels deep)") from None
    _check_json_value(value, where, problems, line)
    return value


def _json_error(message: str, column: int) -> str:
    """json's message (some end in "at", as in "Invalid control character at") with the column."""
    return f"{message.removesuffix(' at')} at column {column}"


def _flat_and_finite(values) -> bool:
    """Whether no value is a list or an object, and every float is finite (NaN and infinities
    are what a JSON constant or a number out of range would have given)."""
    kinds = set(map(type, values))
    if dict in kinds or list in kinds:
        return False
    return float not in kinds or all(math.isfinite(v) for v in values if type(v) is float)


def _check_json_value(value, where: str, problems: list[str], source: str, flat: bool | None = None) -> None:
    """Raise InputError for a problem the decoder noted, nesting deeper than MAX_DEPTH or a lone
    surrogate (half a character, from an escape). ``source`` is the JSON text: only one with many
    brackets can be deep, only one with a \\ud escape can hold a surrogate, so most records are not walked.
    ``flat``: whether ``value`` is an object of scalars, when the caller knows (None: found here)."""
    if problems:
        raise InputError(f"{where}: invalid JSON ({problems[0]})")
    # A record whose fields are all scalars is one level deep, whatever its text holds; each test
    # of the source reads it whole, so the one that rules out most comes first.
    if flat is None:
        flat = type(value) is dict and not any(type(v) is dict or type(v) is list for v in value.values())
    deep = not flat and source.count("[") + source.count("{") > MAX_DEPTH
    strings = "\\u" in source and ("\\ud" in source or "\\uD" in source)
    if not (deep or strings):
        return
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if strings:
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError as exc:
                    raise InputError(f"{where}: invalid JSON (the escape \\u{ord(item[exc.start]):04x} is half "
                                     "of a character, a lone surrogate)") from None
        elif isinstance(item, (list, dict)):
            if depth > MAX_DEPTH:
                raise InputError(f"{where}: invalid JSON (nested more than {MAX_DEPTH} levels deep)")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


#: Bytes of a ``.json`` array read at a time. Its records are decoded from a window of the file
#: this size (or as long as the longest record), never from the whole file held at once.
JSON_CHUNK = 1 << 20


class _JsonWindow:
    """The decoded text of a ``.json`` file, read :data:`JSON_CHUNK` bytes at a time: ``text`` is a
    window from the record being read to as far as the file has been read. Positions are in the
    window; :meth:`line` and :meth:`column` give them in the whole file."""

    _SPACE = re.compile(r"\s*")

    def __init__(self, stream, path, encoding: str):
        import codecs

        self.stream, self.path, self.encoding = stream, path, encoding
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self.text, self.ended = "", False
        self._line, self._counted = 1, 0  # the line of the window's position _counted
        self._column = 0  # characters of the first line of the window that were dropped
        self._offset = 0  # bytes read before the last read
        self._started = False  # whether the text's first character (perhaps a byte order mark) was read

    def more(self, keep: int) -> bool:
        """Read on, dropping the window's text before ``keep``; False at the end of the file.

        Each read is as long as the text kept (at least a chunk), so a record longer than a chunk
        is decoded a few times, not once per chunk it spans."""
        if self.ended:
            return False
        if len(self.text) - keep > MAX_LINE:  # a record still open
            raise InputError(f"{self.path}:{self.line(keep)}: a record longer than {MAX_LINE:,} characters, "
                             "which is not one article's record (is a bracket or a quote left open?)")
        self._line = self.line(keep)
        newline = self.text.rfind("\n", 0, keep)
        self._column = self._column + keep if newline < 0 else keep - newline - 1
        kept = len(self.text) - keep
        # A byte gives at most a character: the window stays within MAX_LINE and a chunk.
        data = self.stream.read(max(JSON_CHUNK, min(kept, MAX_LINE + 1 - kept)))
        self.ended = not data
        try:
            piece = self._decoder.decode(data, final=self.ended)
        except UnicodeDecodeError as exc:
            # The error's offsets count the bytes the decoder held back from the last read.
            at = self._offset + len(data) - len(exc.object) + exc.start
            raise InputError(f"{self.path}: not valid {self.encoding} (byte 0x{exc.object[exc.start]:02x} at "
                             f"offset {at}); name the file's encoding", option="encoding") from None
        if not self._started and piece:
            piece, self._started = piece.removeprefix("\ufeff"), True
        self._offset += len(data)
        self.text, self._counted = self.text[keep:] + piece, 0
        return True

    def skip_space(self, i: int) -> int:
        """The position of the first character at or after ``i`` that is not white space (or the
        end of the window at the end of the file); reads on as needed, keeping the text from ``i``."""
        while (i := self._SPACE.match(self.text, i).end()) == len(self.text) and self.more(i):
            i = 0
        return i

    def line(self, i: int) -> int:
        # Counted on from the last position asked for: records are asked for in order.
        if i < self._counted:
            return self._line - self.text.count("\n", i, self._counted)
        self._line += self.text.count("\n", self._counted, i)
        self._counted = i
        return self._line

    def column(self, i: int) -> int:
        newline = self.text.rfind("\n", 0, i)
        return i - newline if newline >= 0 else self._column + i + 1


def _read_json_array(path, stream, text_field, encoding, skip_bad):
    """A ``.json`` file holding one array of records, each named by the line it starts on, as in
    JSONL. The file streams: records are decoded one at a time from a window of it
    (:class:`_JsonWindow`), so memory does not grow with the file."""
    def rows():
        with stream:
            yield from _json_rows(_JsonWindow(stream, path, encoding))

    return _records(rows(), text_field, skip_bad)


def _json_rows(window: _JsonWindow):
    """``(where, row-or-InputError)`` for each record of the array in ``window``."""
    path, problems = window.path, []
    decoder = _decoder(problems)
    i = window.skip_space(0)
    if not window.text.startswith("[", i):
        found = "nothing" if i == len(window.text) else repr(window.text[i])
        raise InputError(f"{path}:{window.line(i)}: a .json corpus must be a JSON array of records "
                         f"([{{\"text\": ...}}, ...]); found {found}. For one record per line, name the file .jsonl")
    i = window.skip_space(i + 1)
    if window.text.startswith("]", i):
        return _json_end(window, i)
    while True:
        where = f"{path}:{window.line(i)}"
        while True:
            problems.clear()
            try:
                row, end = decoder.raw_decode(window.text, i)
            except json.JSONDecodeError as exc:
                if _maybe_cut(exc) and window.more(i):
                    i = 0
                    continue
                raise InputError(f"{path}:{window.line(exc.pos)}: invalid JSON "
                                 f"({_json_error(exc.msg, window.column(exc.pos))})") from None
            except RecursionError:  # where this record ends is unknown: the rest cannot be read
                raise InputError(f"{where}: invalid JSON (nested more than {MAX_DEPTH} levels deep)") from None
            # A number or a constant that ends the window may go on after it.
            if end < len(window.text) or not window.more(i):
                break
            i = 0
        try:
            _check_json_value(row, where, problems, window.text[i:end])
        except InputError as exc:
            row = exc
        yield where, row
        i = window.skip_space(end)
        if window.text.startswith(",", i):
            i = window.skip_space(i + 1)
        elif window.text.startswith("]", i):
            return _json_end(window, i)
        else:
            raise InputError(f"{path}:{window.line(i)}: invalid JSON (expected ',' or ']' after a record)")


def _maybe_cut(exc: json.JSONDecodeError) -> bool:
    """Whether the error may only be the window's end cutting a record short: a string still open,
    or an error within a token's length of the end (``-Infinity`` is the longest: ``-Inf`` alone is
    no value). An error elsewhere is in the record itself, reported without reading further."""
    return exc.pos >= len(exc.doc) - len("-Infinity") or exc.msg.startswith("Unterminated string")


def _json_end(window: _JsonWindow, i: int) -> None:
    """Check that nothing but white space follows the array's closing bracket at ``i``."""
    at, rest = window.line(i), i + 1
    while True:
        if window.text[rest:].strip():
            raise InputError(f"{window.path}:{at}: invalid JSON (text after the closing ']')")
        if not window.more(len(window.text)):
            return
        rest = 0


# --- CSV ----------------------------------------------------------------------------------------

#: Longest CSV field, in characters (Python's default of 131,072 is shorter than long articles).
#: A quote that is never closed stops here at the latest instead of swallowing the rest of the file.
MAX_FIELD = 2**26


#: Where a line ends in a carriage return alone (old Mac line ends, as Excel for Mac still writes
#: "CSV (Macintosh)"): the file is read at its newlines, and csv would refuse the rest of the line.
_LONE_CR = re.compile(r"(?<=\r)(?=[^\n])")


class _Lines:
    """The decoded lines of a file for :func:`csv.reader`, numbered from 1 (a line ends in a
    newline, a carriage return and a newline, or a carriage return alone, as csv reads them);
    lines can be put back."""

    def __init__(self, stream, path, encoding):
        self.stream, self.path, self.encoding = stream, path, encoding
        self.read = 0  # lines read from the file
        self.number = 0  # number of the last line handed out
        self.taken: list[tuple[int, str]] = []  # lines handed out since the caller cleared it
        self.again: list[tuple[int, str]] = []  # lines put back, the next one last

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.again:
            self.number, text = self.again.pop()
        else:
            raw = self.stream.readline()
            if not raw:
                raise StopIteration
            self.read += 1
            self.number = self.read
            text = _decode(raw, f"{self.path}:{self.number}", self.encoding)
            if "\r" in text and _LONE_CR.search(text):
                text, *rest = _LONE_CR.split(text)
                self.again.extend(reversed([(self.read + k, line) for k, line in enumerate(rest, 1)]))
                self.read += len(rest)
        self.taken.append((self.number, text))
        return text

    def put_back(self, lines) -> None:
        self.again.extend(reversed(lines))


def _read_csv(path, stream, text_field, encoding, skip_bad):
    return _records(_csv_rows(path, stream, text_field, encoding), text_field, skip_bad)


def _csv_rows(path, stream, text_field, encoding):
    """``(where, row-or-InputError)`` for each record. A record the csv module cannot parse (a quote
    never closed, or closed and followed by more text) is reported at the line it starts on and
    reading resumes on the next line, so one stray quote costs one record, not the rest of the file."""
    csv.field_size_limit(MAX_FIELD)
    with stream:
        lines = _Lines(stream, path, encoding)
        reader = csv.reader(lines, strict=True)
        header = None
        while True:
            lines.taken.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (InputError, csv.Error) as exc:
                first = lines.taken[0][0] if lines.taken else lines.number
                if isinstance(exc, csv.Error):
                    exc = InputError(_csv_error(path, first, lines.number, exc))
                    lines.put_back(lines.taken[1:])
                elif first != lines.number:  # an undecodable line inside a record: the record is lost
                    exc = InputError(f"{exc} (in the record that starts on line {first})")
                if header is None:
                    raise exc from None
                yield f"{path}:{first}", exc
                reader = csv.reader(lines, strict=True)
                continue
            if not cells:  # a blank line
                continue
            where = f"{path}:{lines.taken[0][0]}"
            if header is None:
                header = _csv_header(cells, where, text_field)
                continue
            if len(cells) != len(header):
                yield where, InputError(f"{where}: {plural(len(header), 'column')} expected, the row has {len(cells)}")
            else:
                yield where, dict(zip(header, cells))


def _csv_header(cells: list[str], where: str, text_field: str) -> list[str]:
    seen = set()
    for name in cells:
        if name in seen:
            raise InputError(f"{where}: the header names the column {name!r} twice")
        seen.add(name)
    if text_field not in cells:
        raise InputError(f"{where}: no {text_field!r} column; columns are {', '.join(cells)} "
                         "(choose the one holding the text)", option="text_field")
    return cells


def _csv_error(path, first: int, last: int, exc: csv.Error) -> str:
    reason = str(exc)
    if "field larger than field limit" in reason:
        reason = f"a field longer than {MAX_FIELD:,} characters"
    elif "unexpected end of data" in reason:
        reason = "a quoted field is never closed"
    elif "expected after" in reason:
        reason = "a quote closes a field but more text follows it"
    end = f" (found on line {last})" if last != first else ""
    return f"{path}:{first}: malformed CSV record: {reason}{end}; a quote inside a field must be doubled (\"\")"
