"""A progress bar for long corpus runs: shown on an interactive terminal, silent otherwise.

Written here rather than taken from a library because it is twenty lines and the CLI must start
quickly. It draws on standard error, so piped standard output stays clean, and it stays silent
when standard error is not a terminal (a pipe, a log file, a notebook) or when ``CI`` is set.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator

#: Seconds between redraws (redrawing on every article would cost more than scoring it).
INTERVAL = 0.2


def wanted(stream=None) -> bool:
    """True when ``stream`` (default: standard error) is a terminal and not a CI log."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def track(items: Iterable, total: int | None = None, desc: str = "scoring", enabled: bool | None = None,
          stream=None) -> Iterator:
    """Yield ``items`` unchanged, drawing ``desc: done/total (rate/s)`` on ``stream`` as they pass.

    Parameters
    ----------
    items : iterable
        What to iterate over.
    total : int, optional
        How many items to expect (a percentage is shown when known).
    desc : str, default="scoring"
        Label at the start of the line.
    enabled : bool, optional
        Force the bar on or off; None decides with :func:`wanted`.
    stream : file, optional
        Where to draw (default: standard error).
    """
    stream = sys.stderr if stream is None else stream
    if not (wanted(stream) if enabled is None else enabled):
        yield from items
        return
    start = last = time.perf_counter()
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            now = time.perf_counter()
            if now - last >= INTERVAL:
                last = now
                _draw(stream, desc, done, total, now - start)
    finally:
        _draw(stream, desc, done, total, time.perf_counter() - start)
        stream.write("\n")
        stream.flush()


def _draw(stream, desc: str, done: int, total: int | None, elapsed: float) -> None:
    rate = done / elapsed if elapsed > 0 else 0.0
    if total:
        width = 30
        filled = min(width, int(width * done / total))
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {100 * done / total:3.0f}%"
    else:
        bar = f"{done}"
    stream.write(f"\r{desc}: {bar} ({rate:,.0f} articles/s)")
    stream.flush()


def count_lines(paths) -> int:
    """Non-blank lines in the given files: the article count of a JSONL corpus, read fast as bytes."""
    total = 0
    for path in paths:
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    total += 1
    return total
