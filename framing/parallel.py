"""Work on a stream of articles in several processes, results in input order, in bounded memory.

:func:`ordered_map` cuts the stream into chunks, sends them to ``n_jobs`` worker processes and
yields each chunk's result in the order the chunks came, holding at most ``2 * n_jobs`` chunks
at a time (so a corpus of any size goes through in flat memory). Each worker receives the
``state`` it works with (a Scorer, a model ...) once, when it starts: on Linux the worker is
forked and simply inherits it; elsewhere it is pickled once per worker, never per chunk.
``n_jobs=1`` does the same work in this process, with no worker at all.

Workers ignore Ctrl-C: the parent stops them and the command ends with its usual exit code, with
no traceback from each worker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from .errors import InputError

_STATE = None  # the worker's state (set once per worker process by _start)


def available_cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_jobs(n_jobs) -> int:
    """The number of processes for ``n_jobs``: None or -1 means every core, otherwise a positive int."""
    if n_jobs is None or n_jobs == -1:
        return available_cores()
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise InputError(f"jobs must be a positive integer, or -1 for every core. Got {n_jobs!r} instead")
    return n_jobs


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _start(state) -> None:
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    _STATE = state


def _call(work, chunk):
    return work(_STATE, chunk)


def ordered_map(work: Callable, chunked: Iterable[list], state, n_jobs: int = 1) -> Iterator:
    """Yield ``work(state, chunk)`` for each chunk, in order, from ``n_jobs`` processes.

    ``work`` must be a module-level function (workers import it by name). The input is read
    only as fast as results are taken, at most ``2 * n_jobs`` chunks ahead.
    """
    if n_jobs == 1:
        for chunk in chunked:
            yield work(state, chunk)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = context.Pool(n_jobs, initializer=_start, initargs=(state,))
    try:
        pending: deque = deque()
        source = iter(chunked)
        for chunk in source:
            pending.append(pool.apply_async(_call, (work, chunk)))
            if len(pending) >= 2 * n_jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    finally:
        # Ctrl-C, a closed pipe or an error in the caller: stop the workers now.
        pool.terminate()
        pool.join()
