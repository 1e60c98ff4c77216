"""Work on a stream of articles in several processes, results in input order, in bounded memory.

:func:`ordered_map` cuts the stream into chunks, sends them to ``n_jobs`` worker processes and
yields each chunk's result in the order the chunks came, holding at most ``2 * n_jobs`` chunks
at a time (so a corpus of any size goes through in flat memory). Each worker receives the
``state`` it works with (a Scorer, a model ...) once, when it starts: on Linux the worker is
forked and simply inherits it; elsewhere it is pickled once per worker, never per chunk.
``n_jobs=1`` does the same work in this process, with no worker at all.

Workers ignore Ctrl-C: the parent stops them and the command ends with its usual exit code, with
no traceback from each worker. There is no pool with helper threads in the parent, so Ctrl-C
always reaches the parent's main thread, and stopping never waits on a worker.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from .errors import InputError


def available_cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_jobs(n_jobs) -> int:
    """The number of processes for ``n_jobs`` (scikit-learn's convention): None means 1, -1 every core."""
    if n_jobs is None:
        return 1
    if n_jobs == -1:
        return available_cores()
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise InputError(f"jobs must be a positive integer, or -1 for every core. Got {n_jobs!r} instead")
    return n_jobs


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _worker(work, state, tasks, results) -> None:
    """A worker process: ``work(state, chunk)`` for each chunk it is sent, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    while (chunk := tasks.get()) is not None:
        try:
            results.put((True, work(state, chunk)))
        except Exception as exc:  # noqa: BLE001 (re-raised in the parent, in its place in the output)
            try:
                pickle.dumps(exc)
            except Exception:  # noqa: BLE001
                exc = RuntimeError("".join(traceback.format_exception(exc)))
            results.put((False, exc))


def ordered_map(work: Callable, chunked: Iterable[list], state, n_jobs: int = 1) -> Iterator:
    """Yield ``work(state, chunk)`` for each chunk, in order, from ``n_jobs`` processes.

    ``work`` must be a module-level function. Chunk ``i`` goes to worker ``i % n_jobs``, each
    worker holding at most two chunks, so the input is read at most ``2 * n_jobs`` chunks ahead
    of the output. An exception of ``work`` is raised here when the output reaches its chunk.
    """
    if n_jobs == 1:
        for chunk in chunked:
            yield work(state, chunk)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    tasks = [context.Queue() for _ in range(n_jobs)]
    results = [context.Queue() for _ in range(n_jobs)]
    workers = [context.Process(target=_worker, args=(work, state, t, r), daemon=True)
               for t, r in zip(tasks, results)]
    for w in workers:
        w.start()
    finished = False
    try:
        sent = done = 0
        for chunk in chunked:
            tasks[sent % n_jobs].put(chunk)
            sent += 1
            if sent - done >= 2 * n_jobs:
                yield _result(workers[done % n_jobs], results[done % n_jobs])
                done += 1
        while done < sent:
            yield _result(workers[done % n_jobs], results[done % n_jobs])
            done += 1
        for t in tasks:
            t.put(None)
        for w in workers:
            w.join()
        finished = True
    finally:
        if not finished:  # Ctrl-C, a closed pipe or an error: stop the workers now
            for w in workers:
                w.kill()
            for w in workers:
                w.join()
            for q in tasks + results:
                q.cancel_join_thread()
        for q in tasks + results:
            q.close()


def _result(worker, results):
    """The next result of ``worker`` (raising its exception), or an error if it died."""
    while True:
        try:
            ok, value = results.get(timeout=1.0)
        except queue.Empty:
            if not worker.is_alive():
                raise RuntimeError(f"a worker process ended unexpectedly (exit code {worker.exitcode})") from None
            continue
        if not ok:
            raise value
        return value
