"""Output files: checked before any work, written whole or not at all.

Every file framing writes (charts, models, reports) goes through the two functions here:

* :func:`check_output` runs before the work (minutes of training or scoring) and refuses an output
  that could not be written, or that is one of the command's inputs (``framing train corpus.jsonl
  -o corpus.jsonl`` would replace the labelled corpus with the model).
* :func:`atomic_output` gives the writer a temporary file in the output's directory and renames it
  over the output only once it is complete, so a failed or interrupted write (a full disk, Ctrl-C)
  leaves the old file as it was and no partial file behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .corpus import is_directory
from .errors import InputError

#: Inputs that are not files: standard input and the bundled demo corpus.
NOT_FILES = ("-", "demo")
#: gzip's level for a compressed output (``-o scores.jsonl.gz``): the fastest, since the JSON output
#: of an article is several times its text, and compressing it should cost a fraction of scoring
#: it (``benchmarks/bench_outputs.py`` times both).
GZIP_LEVEL = 1


def check_output(path, inputs: Iterable = (), suffixes: Iterable[str] | None = None, what: str = "the output") -> Path:
    """Fail early, before any work, if ``path`` cannot or must not be written.

    Parameters
    ----------
    path : str or path
        The file to write.
    inputs : iterable of str or path
        Files the command reads (None, ``-`` and ``demo`` are ignored); writing one of them (the same
        file under any name: a symbolic or hard link too) is refused.
    suffixes : iterable of str, optional
        Allowed extensions, e.g. ``(".png", ".svg", ".pdf")``.
    what : str
        What is written, for the messages ("the chart", "the model").

    Raises
    ------
    InputError
        One line naming the path and the reason.
    """
    path = Path(path)
    if suffixes is not None:
        suffixes = tuple(suffixes)
        if path.suffix.lower() not in suffixes:
            raise InputError(f"{path}: the output must end in {', '.join(suffixes)}. "
                             f"Got {path.suffix or 'no extension'!r} instead")
    parent = path.parent if str(path.parent) else Path(".")
    for given in inputs:
        if given is None or str(given) in NOT_FILES:
            continue
        if same_file(path, given):
            raise InputError(f"{path}: is also an input of this command ({given}); writing {what} there would "
                             "destroy it. Choose another output file")
        if is_directory(given) and _within(path, Path(given)):  # its files are listed while the output is written
            raise InputError(f"{path}: is inside {given}, a directory this command reads: {what} would be read "
                             "as one of its articles. Write it elsewhere")
    try:
        if not parent.is_dir():
            raise InputError(f"{path}: cannot write {what}: directory {parent} does not exist")
        if path.is_dir():
            raise InputError(f"{path}: cannot write {what}: it is a directory")
        if path.exists() and not path.is_file():  # renaming over /dev/null would replace the device
            raise InputError(f"{path}: cannot write {what}: it is not a regular file")
        # Trying is the only reliable test (os.access says yes to root on a read-only file system).
        import tempfile  # here, not at the top: output to standard output needs none

        fd, probe = tempfile.mkstemp(prefix=".framing-", dir=parent)
        os.close(fd)
        os.unlink(probe)
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        raise InputError(f"{path}: cannot write {what}: {_reason(exc)}") from None
    return path


def output_suffix(path) -> tuple[str, bool]:
    """The extension that says what an output holds, in lower case (``.csv`` for
    ``matches.csv.gz``), and whether it is written gzip-compressed (its name ends in ``.gz``).

    Raises
    ------
    InputError
        For a name ending in ``.bz2`` or ``.xz``, which framing reads but does not write.
    """
    from .corpus import COMPRESSIONS, corpus_suffix  # the compressions framing reads: it writes gzip alone

    path = Path(path)
    suffix, compression = corpus_suffix(path)
    if compression not in (None, ".gz"):  # bzip2 and xz are far slower than scoring
        program = COMPRESSIONS[compression][1]
        raise InputError(f"{path}: framing writes gzip (.gz), not {compression}, which is far slower than scoring; "
                         f"name the output {path.stem}.gz, or pipe standard output through {program}")
    return suffix, compression is not None


def open_output(tmp, files: contextlib.ExitStack, compressed: bool, text: bool, newline: str | None = None):
    """``tmp`` (from :func:`atomic_output`) opened for writing, bytes or UTF-8 text (``newline`` as
    :func:`open` takes it), through gzip when ``compressed``; ``files`` closes it, before the rename.

    The gzip stream holds no file name and no time, so the same scores always make the same bytes.
    """
    stream = files.enter_context(open(tmp, "wb"))  # noqa: SIM115 (files closes it)
    if compressed:
        import gzip

        stream = files.enter_context(gzip.GzipFile(filename="", mode="wb", fileobj=stream, compresslevel=GZIP_LEVEL,
                                                   mtime=0))
    if text:
        import io

        stream = files.enter_context(io.TextIOWrapper(stream, encoding="utf-8", newline=newline))
    return stream


def _within(path: Path, directory: Path) -> bool:
    try:
        return path.resolve().is_relative_to(directory.resolve())
    except OSError:
        return False


def same_file(a, b) -> bool:
    """Whether paths ``a`` and ``b`` name one file: one file under two names (a symbolic or hard link
    too), or, while either is yet to be written, the same name once resolved."""
    a, b = Path(a), Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
        return False


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


@contextlib.contextmanager
def atomic_output(path, what: str = "the output") -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write to; rename it to ``path`` when the block ends.

    If the block raises (or is interrupted), the temporary file is removed and ``path`` is left as
    it was. The temporary name keeps the output's extension, for writers that choose the format by
    it. An :class:`OSError` (full disk, permission) becomes one :class:`InputError` line.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.exists() and not path.is_file():
        raise InputError(f"{path}: cannot write {what}: it is not a regular file")
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".framing-", suffix=path.suffix, dir=parent)
    except OSError as exc:
        raise InputError(f"{path}: cannot write {what}: {_reason(exc)}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private; an output is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write {what}: {_reason(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)
