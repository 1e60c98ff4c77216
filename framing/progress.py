"""Progress bars for long runs (tqdm): on a terminal and in Jupyter, silent otherwise unless asked.

Bars draw on standard error, so piped standard output stays clean. By default a bar shows when
standard error is a terminal or a Jupyter kernel's output (as a widget when ipywidgets is
installed, else as text), and never when ``CI`` is set or ``TERM=dumb``: a log file gets no bar.
``framing ... --progress`` (or ``progress=True`` in Python) asks for one anyway.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
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


def count_lines(paths) -> int:
    """Non-blank lines in the given files: the article count of a JSONL corpus, read fast as bytes."""
    total = 0
    for path in paths:
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    total += 1
    return total


def expected_records(source) -> int | None:
    """How many records a corpus source holds, when it can be told cheaply (JSONL, the demo); else None."""
    from .corpus import DEMO, demo_files

    if str(source) == DEMO:
        return count_lines(demo_files())
    path = Path(source)
    if path.suffix.lower() in (".jsonl", ".ndjson") and path.is_file():
        return count_lines([path])
    return None
