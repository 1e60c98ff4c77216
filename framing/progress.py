"""Progress bars for long runs (tqdm): on a terminal and in Jupyter, silent otherwise unless asked.

Bars draw on standard error, so piped standard output stays clean. By default a bar shows when
standard error is a terminal or a Jupyter kernel's output (as a widget when ipywidgets is
installed, else as text), and never when ``CI`` is set or ``TERM=dumb``: a log file gets no bar.
``framing ... --progress`` (or ``progress=True`` in Python) asks for one anyway.

A bar counts articles when their number can be told before reading (:func:`expected_records`:
JSON Lines, whose lines are counted, and the demo); otherwise (a compressed file, CSV, a JSON
array) it counts the bytes read out of the files' size on disk (:func:`track_bytes`,
:class:`BytesRead`), with the articles so far beside it. :func:`reading` picks one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

#: Seconds between redraws (redrawing on every article would cost more than scoring it).
INTERVAL = 0.2


def _in_jupyter(stream) -> bool:
    return "ipykernel" in sys.modules and type(stream).__module__.startswith("ipykernel")


def wanted(stream=None) -> bool:
    """True when ``stream`` (default: standard error) is a terminal or a Jupyter output, not a CI log."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    if _in_jupyter(stream):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _bar_class(stream):
    if _in_jupyter(stream):
        import importlib.util

        if importlib.util.find_spec("ipywidgets") is not None:
            from tqdm.notebook import tqdm

            return tqdm
    from tqdm import tqdm

    return tqdm


def track(items: Iterable, total: int | None = None, desc: str = "scoring", enabled: bool | None = None,
          stream=None, unit: str = "article") -> Iterator:
    """Yield ``items`` unchanged, with a progress bar ``desc: done/total`` while they pass.

    Parameters
    ----------
    items : iterable
        What to iterate over.
    total : int, optional
        How many items to expect (a percentage and time left are shown when known).
    desc : str, default="scoring"
        Label at the start of the bar.
    enabled : bool, optional
        Force the bar on or off; None decides with :func:`wanted`.
    stream : file, optional
        Where to draw (default: standard error).
    unit : str, default="article"
        What an item is, for the rate.
    """
    stream = sys.stderr if stream is None else stream
    if not (wanted(stream) if enabled is None else enabled):
        yield from items
        return
    with _bar_class(stream)(items, total=total, desc=desc, unit=f" {unit}s", unit_scale=False, file=stream,
                            mininterval=INTERVAL, dynamic_ncols=True) as bar:
        yield from bar


def track_bytes(items: Iterable, total: int, position: Callable[[], int], desc: str = "scoring",
                enabled: bool | None = None, stream=None, unit: str = "article") -> Iterator:
    """Yield ``items`` unchanged, with a progress bar of the input's bytes read (``position()`` of
    ``total``) and the items so far: for inputs whose number of records cannot be told without
    reading them whole (a compressed file, CSV, a JSON array), it still shows how far the run is
    and the time left. Arguments as :func:`track`."""
    stream = sys.stderr if stream is None else stream
    if not (wanted(stream) if enabled is None else enabled):
        yield from items
        return
    with _bar_class(stream)(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024, file=stream,
                            mininterval=INTERVAL, dynamic_ncols=True) as bar:
        done = count = 0
        for count, item in enumerate(items, 1):
            yield item
            # The position moves once per buffer read (tens of KB), not once per item.
            if (now := position()) != done:
                bar.set_postfix_str(f"{count:,} {unit}s", refresh=False)
                bar.update(now - done)
                done = now
        bar.set_postfix_str(f"{count:,} {unit}s", refresh=False)
        bar.update(position() - done)


class BytesRead:
    """How far reading has gone through files read in turn: the bytes of the files finished and
    the position in the one open. Give :meth:`opened` to the reader
    (:func:`framing.corpus.read_lines`), which calls it with each file on disk it opens; call
    the object for the bytes read so far."""

    def __init__(self):
        self._done, self._file, self._size = 0, None, 0

    def opened(self, file) -> None:
        self._done += self._size
        self._file, self._size = file, os.fstat(file.fileno()).st_size

    def __call__(self) -> int:
        if self._file is None:
            return self._done
        return self._done + (self._size if self._file.closed else self._file.tell())


def reading(read: Callable, sources: list[str], options, desc: str = "scoring", enabled: bool = True) -> Iterator:
    """The items of ``sources`` read in turn by ``read`` (:func:`framing.corpus.read_lines` or
    ``read_items``), behind a progress bar when ``enabled``: of records when each source's number
    can be told cheaply (JSON Lines, the demo: :func:`expected_records`), else of bytes
    (:func:`track_bytes`)."""
    if not enabled:
        return _each(read, sources, options)
    counts = [expected_records(source) for source in sources]
    if None not in counts:
        return track(_each(read, sources, options), sum(counts), desc, enabled=True)
    position = BytesRead()
    return track_bytes(_each(read, sources, options, position.opened), sum(map(input_bytes, sources)), position,
                       desc, enabled=True)


def _each(read: Callable, sources: list[str], options, opened: Callable | None = None) -> Iterator:
    for source in sources:
        yield from read(source, options, opened)


def input_bytes(source) -> int:
    """The bytes on disk a source is read from (every demo file, for ``demo``; every file under a
    directory)."""
    from .corpus import DEMO, demo_files, directory_files, is_directory

    paths = demo_files() if str(source) == DEMO else directory_files(source) if is_directory(source) else [Path(source)]
    try:
        return sum(path.stat().st_size for path in paths)
    except OSError:  # missing or unreadable: reading it reports that
        return 0


def count_lines(paths) -> int:
    """Non-blank lines in the given files: the article count of a JSONL corpus, read fast as bytes,
    its lines ended as the reader ends them (a carriage return alone before a record counts too)."""
    from .corpus import line_pieces

    total = 0
    for path in paths:
        with open(path, "rb") as f:
            for line in f:
                if b"\r" in line:
                    total += sum(not piece.isspace() for piece in line_pieces(line))
                elif not line.isspace():
                    total += 1
    return total


def expected_records(source) -> int | None:
    """How many records a source holds, when it can be told cheaply (JSONL, the demo, one article,
    a directory of those); else None."""
    from .corpus import DEMO, demo_files, directory_files, is_corpus, is_directory

    if str(source) == DEMO:
        return count_lines(demo_files())
    if is_directory(source):
        counts = [expected_records(path) for path in directory_files(source)]
        return None if None in counts else sum(counts)
    path = Path(source)
    if path.suffix.lower() in (".jsonl", ".ndjson") and path.is_file():
        return count_lines([path])
    if not is_corpus(str(source)) and path.is_file():
        return 1
    return None
