"""Work on a stream of articles in several processes, results in input order, in bounded memory.

:func:`ordered_map` cuts the stream into chunks, sends them to ``n_jobs`` worker processes and
yields each chunk's result in the order the chunks came, holding at most ``AHEAD * n_jobs`` chunks
at a time (so a corpus of any size goes through in flat memory). Each worker receives the
``state`` it works with (a Scorer, a model ...) once, when it starts: on Linux the worker is
forked and simply inherits it; elsewhere it is pickled once per worker, never per chunk.
``n_jobs=1`` does the same work in this process, with no worker at all.

Workers ignore Ctrl-C: the parent stops them and the command ends with its usual exit code, with
no traceback from each worker. There is no pool with helper threads in the parent, so Ctrl-C
always reaches the parent's main thread, and stopping never waits on a worker.

A worker sends each result through a pipe of its own, pickled with protocol 5: what the result
holds as a :class:`pickle.PickleBuffer` (the bytes of an article's output) travels after the
pickle as it is, and the parent reads it straight into the buffer it writes out. The parent reads
every worker's pipe as data arrives (:class:`_Inbox`), not only the pipe of the result the output
waits for: a worker never waits on a full pipe while it has work queued. A corpus's JSON
output is seven times its size: a queue would copy it four times in the parent, which on two
cores takes CPU time from the workers.
"""

from __future__ import annotations

import os
import struct
from collections import deque
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


# Raw reads and writes on the pipe's descriptor where the system has them (POSIX); elsewhere the
# pipe's own messages, which copy each part once more.
_RAW = hasattr(os, "readv")
_SIZES = struct.Struct("<2Q")
PIPE_SIZE = 1 << 20  # a few chunks' results wait in the pipe while the parent writes (Linux's default limit)
AHEAD = 8  # chunks given to each worker before the output takes the first result back


def _send(conn, part) -> None:
    if not _RAW:
        conn.send_bytes(part)
        return
    view = memoryview(part).cast("B")
    while view:
        view = view[os.write(conn.fileno(), view):]


def _died(worker) -> RuntimeError:
    worker.join(1.0)
    return RuntimeError(f"a worker process ended unexpectedly (exit code {worker.exitcode})")


def _put(conn, ok: bool, value) -> None:
    """``(ok, value)`` to the parent: the sizes, the pickle, then each out-of-band buffer as it is."""
    import pickle  # here, as where the workers are read and started: `--jobs 1` needs none of it

    buffers: list = []
    head = pickle.dumps((ok, value), protocol=5, buffer_callback=buffers.append)
    views = [b.raw() for b in buffers]
    _send(conn, _SIZES.pack(len(head), len(views)))
    _send(conn, struct.pack(f"<{len(views)}Q", *(v.nbytes for v in views)))
    for part in (head, *views):
        _send(conn, part)


class _Inbox:
    """What one worker sent, read as it arrives, whichever worker's result the output waits for:
    a worker whose result is not yet wanted never waits for the pipe to be read. (A result larger
    than the pipe's buffer, 64 KiB, would otherwise hold its worker until the output reached it,
    and with it the work queued behind it.) Complete results wait in ``ready``, in order."""

    def __init__(self, conn, worker):
        self.conn, self.worker = conn, worker
        self.ready: deque = deque()
        self.ended = False
        self._parts: list[bytearray] = []  # the parts of the result being read, whole
        self._wanted = [_SIZES.size]  # the sizes of the parts still to come, the next one first
        self._part: bytearray | None = None
        self._got = 0
        if _RAW:  # read what is there and return: the parent never blocks on one worker's pipe
            os.set_blocking(conn.fileno(), False)
        try:  # room for a few results while the parent writes (Linux; 64 KiB otherwise)
            import fcntl
            fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        except (ImportError, AttributeError, OSError):
            pass

    def read(self) -> None:
        """Read what the pipe holds now (the pipe is readable)."""
        if not _RAW:
            try:
                self._take(bytearray(self.conn.recv_bytes()))
            except EOFError:
                self.ended = True
            return
        while not self.ended:
            if self._part is None:
                self._part, self._got = bytearray(self._wanted[0]), 0
            try:
                n = os.readv(self.conn.fileno(), [memoryview(self._part)[self._got:]])
            except BlockingIOError:
                return
            if not n:
                self.ended = True
                return
            self._got += n
            if self._got == len(self._part):
                part, self._part = self._part, None
                self._take(part)

    def _take(self, part: bytearray) -> None:
        """One whole part: the sizes, then the buffers' sizes, the pickle, each buffer."""
        self._parts.append(part)
        self._wanted.pop(0)
        if len(self._parts) == 1:
            size, count = _SIZES.unpack(part)
            self._wanted = [8 * count, size]
        elif len(self._parts) == 2:
            self._wanted.extend(struct.unpack(f"<{len(part) // 8}Q", part))
        if _RAW:  # an empty part is never sent: nothing to read for it
            while self._wanted and not self._wanted[0]:
                self._parts.append(bytearray())
                self._wanted.pop(0)
        if not self._wanted and len(self._parts) > 2:
            import pickle

            head, *buffers = self._parts[2:]
            self.ready.append(pickle.loads(head, buffers=buffers))
            self._parts, self._wanted = [], [_SIZES.size]


def _next(inboxes: list, k: int):
    """The next result of worker ``k`` (raising its exception), reading every worker's pipe
    meanwhile; an error if worker ``k`` died before sending it. ``inboxes``: each worker's
    :class:`_Inbox`, in the workers' order."""
    from multiprocessing.connection import wait

    inbox = inboxes[k]
    while not inbox.ready:
        if inbox.ended:
            raise _died(inbox.worker)
        open_ = {i.conn: i for i in inboxes if not i.ended}
        readable = wait(list(open_), timeout=1.0)
        for conn in readable:
            open_[conn].read()
        if not readable and not inbox.worker.is_alive():
            inbox.read()  # what it sent before it ended
            if not inbox.ready:
                raise _died(inbox.worker)
    ok, value = inbox.ready.popleft()
    if not ok:
        raise value
    return value


def _worker(work, state, tasks, results, inherited) -> None:
    """A worker process: ``work(state, chunk)`` for each chunk it is sent, until None."""
    import pickle  # here, not at the top: `--jobs 1` starts no worker
    import signal
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    for conn in inherited:
        conn.close()
    while (chunk := tasks.get()) is not None:
        try:
            result = work(state, chunk)
        except Exception as exc:  # noqa: BLE001 (re-raised in the parent, in its place in the output)
            try:
                pickle.dumps(exc)
            except Exception:  # noqa: BLE001
                exc = RuntimeError("".join(traceback.format_exception(exc)))
            _put(results, False, exc)
        else:
            _put(results, True, result)


def ordered_map(work: Callable, chunked: Iterable[list], state, n_jobs: int = 1) -> Iterator:
    """Yield ``work(state, chunk)`` for each chunk, in order, from ``n_jobs`` processes.

    ``work`` must be a module-level function. Chunk ``i`` goes to worker ``i % n_jobs``, each
    worker holding at most ``AHEAD`` chunks, so the input is read at most ``AHEAD * n_jobs`` chunks ahead
    of the output. An exception of ``work`` is raised here when the output reaches its chunk.
    """
    if n_jobs == 1:
        for chunk in chunked:
            yield work(state, chunk)
        return
    import multiprocessing  # only with workers: a command on one core does not import it

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    tasks = [context.Queue() for _ in range(n_jobs)]
    pipes = [context.Pipe(duplex=False) for _ in range(n_jobs)]  # (parent's end, worker's end)
    results = [reader for reader, _ in pipes]
    # Each worker closes the ends it inherits but does not use: then the pipe of a worker that
    # died ends at once (and a worker never holds the parent's).
    workers = [context.Process(target=_worker, daemon=True, args=(
        work, state, t, writer, results + [w for _, w in pipes if w is not writer])) for t, (_, writer) in zip(tasks, pipes)]
    for w in workers:
        w.start()
    for _, writer in pipes:  # the workers hold them: a dead worker's pipe then ends
        writer.close()
    inboxes = [_Inbox(conn, worker) for conn, worker in zip(results, workers)]
    finished = False
    try:
        sent = done = 0
        for chunk in chunked:
            tasks[sent % n_jobs].put(chunk)
            sent += 1
            if sent - done >= AHEAD * n_jobs:
                yield _next(inboxes, done % n_jobs)
                done += 1
        while done < sent:
            yield _next(inboxes, done % n_jobs)
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
            for q in tasks:
                q.cancel_join_thread()
        for q in tasks + results:
            q.close()
