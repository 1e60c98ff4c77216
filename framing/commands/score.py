"""``framing score``: the framing evidence of one article or of every article in a corpus."""

from __future__ import annotations

import sys
from contextlib import ExitStack, closing, contextmanager, nullcontext

from ..errors import FramingError, InputError, plural
from .common import (
    ArticleWarnings,
    SkipCounter,
    add_input_options,
    add_jobs_option,
    add_more_inputs,
    check_sources,
    reader_options,
    reads_corpus,
    records,
)

BATCH = 512  # with --model: articles predicted together (one call per article is ~10x slower)
CHUNK = 64  # without a model: articles sent to a worker at a time
# With Parquet output: the worker converts each column of its rows to Arrow, at a cost per call
# that 512 rows amortise (as the writer converted its rows 512 at a time).
ARROW_CHUNK = 512
CHUNK_BYTES = 1 << 23  # and never more text than this in a chunk: long articles go fewer at a time
BLOCK = 1 << 20  # bytes of JSON lines joined into one buffer for a worker to send (see _blocks)


HELP = "score one article or a corpus with a lexicon"


def add_parser(sub) -> None:
    p = sub.add_parser("score", help=HELP,
                       description="Score articles: lean, per-side framing, per-party stance and every match.")
    add_input_options(p)
    add_more_inputs(p, "scored after the first, in order, as one corpus (with --engine dask, each its own partition)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object per article (JSON Lines)")
    out.add_argument("--format", choices=("jsonl", "csv", "parquet"), default=None,
                     help="one flat row per article with every score column, for statistics packages "
                          "(parquet needs -o FILE and pyarrow)")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="write to FILE instead of standard output (gzip-compressed when FILE ends in .gz)")
    p.add_argument("--matches", default=None, metavar="FILE",
                   help="also write one row per match (article, offsets, term, target, voice ...) to FILE "
                        "(.jsonl, .csv or .parquet; .jsonl.gz or .csv.gz gzip-compressed)")
    p.add_argument("--model", default=None, help="a stance model from `framing train`: its stance, and the combined stance "
                   "(the lexicon where it has strong evidence, the classifier otherwise)")
    add_jobs_option(p)
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="dask: score the corpus files (or glob patterns) on a Dask cluster, one partition per file, "
                        "into a directory of Parquet files named by -o (pip install 'framing[dask]')")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: a running Dask scheduler (tcp://host:8786); default: a local cluster "
                        "of --jobs worker processes")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..cli import warn
    from ..corpus import read_lines
    from ..jsonl import JsonRenderer
    from ..output import atomic_output, check_output, open_output, output_suffix, same_file
    from ..parallel import ordered_map, resolve_jobs
    from ..scorer import scorer_for
    from .common import input_files

    if args.engine == "dask":
        return run_dask(args)
    if args.scheduler:
        raise InputError("--scheduler needs --engine dask")
    check_sources(args)
    jobs = resolve_jobs(args.jobs) if reads_corpus(args) else 1
    if args.format == "parquet" and args.output is None:
        raise InputError("--format parquet writes a binary file: name it with -o FILE.parquet")
    inputs = input_files(args)
    packed = packed_matches = False  # a .gz output: written compressed
    if args.output is not None:
        check_output(args.output, inputs, (".parquet",) if args.format == "parquet" else None, "the scores")
        packed = output_suffix(args.output)[1]
    matches_format = None
    if args.matches is not None:
        from ..export import format_of

        check_output(args.matches, inputs, None, "the matches")
        if args.output is not None and same_file(args.matches, args.output):  # one would replace the other
            raise InputError(f"{args.matches}: is also the output of the scores (-o); write the matches to another file")
        matches_format, packed_matches = format_of(args.matches), output_suffix(args.matches)[1]
    scorer = scorer_for(args.lexicon)
    model = None
    if args.model:
        from ..model import load_model  # scikit-learn is imported only when a model is used

        model = load_model(args.model, lexicon=scorer.lexicon, warn=warn)
    skips = SkipCounter()
    warnings = ArticleWarnings(warn)
    pending: list = []  # skip messages of the reader, kept in their place among the records
    stream = records(args, pending.append, "scoring", read_lines)  # each worker parses its own records
    size = BATCH if model is not None else ARROW_CHUNK if "parquet" in (args.format, matches_format) else CHUNK
    chunked = in_order(stream, pending, size)
    renderer = JsonRenderer(scorer.lexicon) if args.json or matches_format == "jsonl" else None
    text_columns = _text_columns(scorer) if args.format == "parquet" else frozenset()  # only Parquet types columns
    # JSON Lines to a .gz file are compressed in the workers, a gzip member per chunk (see _gzipped);
    # CSV and the text report, a row or a few lines per article, by the writing process.
    gzipped = (("line",) if packed and (args.json or args.format == "jsonl") else ()) + \
        (("match lines",) if packed_matches and matches_format == "jsonl" else ())
    state = (scorer, model, renderer, "json" if args.json else args.format, matches_format, reader_options(args),
             text_columns, gzipped)
    done = 0
    with ExitStack() as files:
        # Written to temporary files renamed at the end: an error or Ctrl-C leaves no half-written output.
        target = files.enter_context(atomic_output(args.output, "the scores")) if args.output else None
        if args.format in ("csv", "parquet"):  # columns fixed by the first rows: made in this process
            from ..export import TableWriter

            out = target if args.format == "parquet" or target is None else open_output(target, files, packed, True, "")
            table = TableWriter(out or sys.stdout, args.format, "the scores", text_columns)
            write = stream_out = None
        else:
            table = None
            if args.json or args.format == "jsonl":  # UTF-8 bytes, encoded in the workers (see score_chunk)
                if target is None:
                    sys.stdout.flush()
                stream_out = open_output(target, files, False, False) if target else sys.stdout.buffer
            else:
                stream_out = open_output(target, files, packed, True) if target else sys.stdout
            write = stream_out.writelines  # a line comes in pieces: a huge article is never one string
        matches = write_matches = matches_out = None
        if matches_format is not None:
            path = files.enter_context(atomic_output(args.matches, "the matches"))
        if matches_format == "jsonl":  # lines of UTF-8 bytes, rendered in the workers as the scores' are
            matches_out = open_output(path, files, False, False)
            write_matches = matches_out.writelines
        elif matches_format is not None:
            from ..export import TableWriter

            out = path if matches_format == "parquet" else open_output(path, files, packed_matches, True, "")
            matches = TableWriter(out, matches_format, "the matches", MATCH_TEXT_COLUMNS)
        with closing(ordered_map(score_chunk, chunked, state, jobs)) as results:
            for events in results:
                # A chunk's rows are written together: CSV and Parquet take their columns from the
                # first chunk's, whatever warnings cut it into several blocks.
                rows, match_rows = [], []
                for kind, payload in events:
                    if kind == "line":
                        pieces, n = payload
                        write(pieces)
                        done += n
                    elif kind == "rows":
                        rows.extend(payload)
                        done += sum(block.size for block in payload)
                    elif kind == "matches":
                        match_rows.extend(payload)
                    elif kind == "match lines":
                        write_matches(payload)
                    elif kind == "warn":
                        warnings(*payload)
                    elif kind == "skip":
                        skips(payload)
                    else:
                        _flush(table, rows, matches, match_rows)
                        raise payload
                _flush(table, rows, matches, match_rows)
        warnings.finish()
        skips.finish(done, args)
        for writer in (table, matches):
            if writer is not None:
                writer.close()
        if "match lines" in gzipped and not matches_out.tell():  # no match: still a gzip file, of one empty member
            matches_out.writelines(_gzipped([]))
    return 0


def run_dask(args) -> int:
    """``--engine dask``: the flat rows of every article, as a directory of Parquet files."""
    from pathlib import Path

    refused = [name for name, given in (("--json", args.json), ("--matches", args.matches), ("--model", args.model),
                                         ("--skip-bad", args.skip_bad)) if given]
    if refused:
        raise InputError(f"{', '.join(refused)} cannot be used with --engine dask (it writes the flat score table)")
    if args.format not in (None, "parquet"):
        raise InputError(f"--engine dask writes Parquet. Got --format {args.format} instead")
    if args.output is None or not args.output.endswith(".parquet"):
        raise InputError("--engine dask writes a directory of Parquet files: name it with -o DIR.parquet")
    out = Path(args.output)
    if out.exists():
        raise InputError(f"{out}: already exists; remove it or choose another output")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise InputError(f"{out}: cannot write the scores: directory {out.parent} does not exist")
    method = None if args.scheduler else _start_method()
    with _fork_server() if method == "forkserver" else nullcontext():
        return _score_on_dask(args, out, method)


def _score_on_dask(args, out, method) -> int:
    """:func:`run_dask` once its arguments are checked: the scores of every file into ``out``,
    on the cluster at ``--scheduler`` or on a local cluster whose workers start by ``method``."""
    import logging
    import os
    import shutil

    from ..parallel import resolve_jobs

    try:
        import dask
        from distributed import Client, LocalCluster

        from .. import dask as framing_dask
    except ImportError:
        raise InputError("--engine dask needs Dask: pip install 'framing[dask]'") from None
    ddf = framing_dask.score([args.input, *args.more], lexicon=args.lexicon, text_field=args.text_field,
                             encoding=args.encoding)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with ExitStack() as cluster:  # closed, its workers stopped, before the temporary output is removed
            if args.scheduler:
                client = cluster.enter_context(Client(args.scheduler))
                workers = len(client.scheduler_info()["workers"])
            else:
                workers = resolve_jobs(args.jobs)
                # A worker logs a failed task (a bad record) with its traceback as an error; the
                # error itself is raised here, and reported in one line. The scheduler serves HTTP
                # (health, metrics) even without a dashboard, by default on port 8787: here on any
                # free port of this machine, so that another cluster holding 8787 does not make it warn.
                cluster.enter_context(dask.config.set({"distributed.worker.multiprocessing-method": method}))
                local = cluster.enter_context(LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, silence_logs=logging.CRITICAL))
                client = cluster.enter_context(Client(local))
            _quiet_when_stopped(client)
            ddf.to_parquet(tmp, write_index=False)
        os.replace(tmp, out)  # written whole or not at all
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"framing: {plural(ddf.npartitions, 'file')} scored on {plural(workers, 'Dask worker')} into {out}",
          file=sys.stderr)
    return 0


def _quiet_when_stopped(client) -> None:
    """Ctrl-C while ``client`` gathers results leaves tasks of Distributed's own ended by its
    ``AllExit``, which asyncio would print, with a traceback, as "Task exception was never
    retrieved" when they are collected: the command ends with status 130 and no more, as without
    Dask. Every other exception of the client's loop is reported as asyncio reports it."""
    from distributed.client import AllExit

    def handler(loop, context):
        if not isinstance(context.get("exception"), AllExit):
            loop.default_exception_handler(context)

    client.loop.asyncio_loop.set_exception_handler(handler)


#: What a local cluster's worker needs, imported once in the fork server it is forked from.
WORKER_MODULES = ["distributed", "dask.dataframe", "pandas", "pyarrow.parquet", "framing.dask"]


def _start_method() -> str:
    """How the local cluster starts its worker processes: from a fork server where the platform
    has one, else spawned; never forked from this process.

    This process runs Distributed's event loop in a thread of its own by the time the workers
    start, and a fork copies every lock another thread holds, with no thread left to release it:
    a worker can then hang on one (Python 3.12 warns of it, and 3.14 no longer forks by default).
    The fork server is one fresh interpreter (:func:`_fork_server`); each worker is forked from it."""
    import multiprocessing

    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


@contextmanager
def _fork_server():
    """Multiprocessing's fork server, running while the local cluster does, with
    :data:`WORKER_MODULES` imported in it.

    Started before this process imports Dask, it imports them at the same time (two cores at
    once), and each worker forked from it starts with them, where a spawned worker would import
    them all again. Stopped at the end when this command started it, so that no process outlives
    the command and its workers' CPU time and memory are counted as this command's (the fork
    server waits for them, and this process for it), as those of ``--jobs``'s workers are."""
    import signal
    from multiprocessing import forkserver

    server = forkserver._forkserver  # the one fork server of this process (Python has no public way to stop it)
    ours = getattr(server, "_forkserver_pid", None) is None
    if ours:
        forkserver.set_forkserver_preload(WORKER_MODULES)
        # Started with Ctrl-C ignored, which its workers keep: Ctrl-C at a terminal reaches every
        # process of the command, and this process alone stops the work (its workers would each
        # print a KeyboardInterrupt's traceback). Python installs no handler for a signal it
        # starts with ignored.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
    try:
        yield
    finally:
        if ours and hasattr(server, "_stop"):
            server._stop()


class Lines(list):
    """The pieces (bytes) of consecutive JSON lines, as one event of :func:`score_chunk` gives them:
    the writing process writes them as they are. Scored in this process (``--jobs 1``) they are
    never copied again; sent from a worker (pickled), they travel as :func:`_blocks`. Joined here,
    in the process that writes them, the whole output was copied once more for nothing."""

    __slots__ = ()

    def __reduce__(self):
        return list, (_blocks(self),)


def _blocks(pieces: list[bytes]) -> list:
    """The pieces of consecutive JSON lines as a few buffers for the writing process: runs of small
    pieces joined (one write and one read for a chunk of articles, not one per piece), a piece of
    ``BLOCK`` bytes or more as it is (the output of a 100 MB record is never copied whole). Each
    is a :class:`pickle.PickleBuffer`: a worker sends it as it is, not copied into the pickle
    (see :mod:`framing.parallel`)."""
    from pickle import PickleBuffer

    out: list[bytes] = []
    run: list[bytes] = []
    size = 0
    for piece in pieces:
        if len(piece) >= BLOCK:
            if run:
                out.append(b"".join(run))
                run, size = [], 0
            out.append(piece)
            continue
        run.append(piece)
        size += len(piece)
        if size >= BLOCK:
            out.append(b"".join(run))
            run, size = [], 0
    if run:
        out.append(b"".join(run))
    return [PickleBuffer(block) for block in out]


def _gzipped(pieces: list[bytes]) -> Lines:
    """The pieces compressed as one gzip member, here in the worker: a ``.gz``
    output is its chunks' members one after the other (RFC 1952: gzip, zcat and Python read them
    as one stream), so the workers compress in parallel and the writing process only writes. zlib's
    gzip header holds no name and no time: the same lines make the same bytes."""
    import zlib

    from ..output import GZIP_LEVEL

    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    return Lines([*(packer.compress(piece) for piece in pieces), packer.flush()])


def _flush(table, rows, matches, match_rows) -> None:
    if table is not None:
        table.write_blocks(rows)
    if matches is not None:
        matches.write_blocks(match_rows)


MATCH_TEXT_COLUMNS = frozenset({"where", "id"})  # strings in the long table whatever their values


class CorpusFields:
    """Columns of the flat table that are corpus fields (strings in Parquet): all but ``scores``
    and the model's. A class of this module, not of a function: workers elsewhere than Linux
    receive it pickled."""

    def __init__(self, scores: frozenset):
        self.scores = scores

    def __contains__(self, column) -> bool:
        return column not in self.scores and not column.startswith("model.")


def _text_columns(scorer) -> CorpusFields:
    from ..export import article_row

    return CorpusFields(frozenset(article_row(scorer.score("نص"), "")))  # a lexicon gives every article the same score columns


def in_order(stream, pending: list, size: int):
    """Chunks of ``size`` records, or fewer when their text reaches ``CHUNK_BYTES``, each with the
    reader's skip messages before the record they preceded, and a reader's error as the last item
    (raised when the output reaches it)."""
    from ..corpus import RawLine

    chunk: list = []
    count = length = 0
    try:
        for record in stream:
            chunk.extend(("skip", m) for m in pending)
            pending.clear()
            chunk.append(record)
            count += 1
            length += len(record.data if record.__class__ is RawLine else record.text)
            if count == size or length >= CHUNK_BYTES:
                yield chunk
                chunk, count, length = [], 0, 0
    except FramingError as exc:
        chunk.extend(("skip", m) for m in pending)
        chunk.append(("error", exc))
        pending.clear()
    chunk.extend(("skip", m) for m in pending)
    if chunk:
        yield chunk


def parsed(items: list, options) -> list:
    """A chunk of :func:`in_order` with its JSON Lines parsed in the worker that scores them
    (:func:`framing.corpus.parse_lines`), as the reader would have given them: a skipped line as a
    ``("skip", message)`` in its place, and a bad line without ``--skip-bad`` ending the chunk as
    ``("error", exc)``, where the reader's error would have ended it."""
    from ..corpus import Skip, parse_lines

    out = []
    try:
        for item in parse_lines(items, options):
            out.append(("skip", item.message) if isinstance(item, Skip) else item)
    except FramingError as exc:
        out.append(("error", exc))
    return out


def score_chunk(state, items) -> list:
    """Score a chunk (in a worker): ``(kind, payload)`` events in input order, each article's
    warnings before its output.

    ``state`` is ``(scorer, model, renderer, output, matches_format, reader options, the flat
    table's text columns, the kinds of events gzipped here)``, ``output`` being "json", "jsonl",
    "csv", "parquet" or None (the text report). Flat rows and match rows for CSV and Parquet come
    as ``"rows"`` and ``"matches"`` events of blocks, each before the next event that is not a row,
    so that an error still comes after the rows before it: for Parquet
    :class:`~framing.parquet_rows.ArrowBlock` s, their values converted to Arrow here, for CSV
    :class:`~framing.export.CsvBlock` s, their text rendered here. JSON Lines (``--json``,
    ``--format jsonl``, ``--matches FILE.jsonl``) are rendered here too, as UTF-8 bytes: ``"line"``
    and ``"match lines"`` events, gzip members for a ``.gz`` output (:func:`_gzipped`). The
    writing process writes them as they are; it would otherwise render (and compress) every line
    of every worker by itself."""
    scorer, model, renderer, output, matches_format, options, text_columns, gzipped = state
    flat = output in ("jsonl", "csv", "parquet")
    # Each only where it is used: a worker scoring JSON lines imports none of them.
    if model is not None:
        from ..combine import combine
    if flat or matches_format is not None:
        from ..export import article_row, csv_blocks, match_block, match_row_head, row_blocks
    if "parquet" in (output, matches_format):
        from ..parquet_rows import arrow_blocks
    if output == "jsonl":
        import json

        dumps = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps makes an encoder at every call
    if output is None:
        from ..render.text import score_report
    items = parsed(items, options)
    articles = [x for x in items if not isinstance(x, tuple)]
    stances = iter(model.predict([r.text for r in articles]) if model is not None and articles else ())
    events = []
    rows: list[dict] = []
    matches: list = []  # RowBlocks of match rows
    lines: list[bytes] = []  # the JSON of consecutive articles, sent together
    match_lines: list[bytes] = []
    count = 0

    def emit(event):
        nonlocal count
        if lines:
            events.append(("line", (_gzipped(lines) if "line" in gzipped else Lines(lines), count)))
            lines.clear()
            count = 0
        if rows:  # CSV rendered here, as JSON is (the writing process writes it as it is)
            blocks = row_blocks(rows)
            events.append(("rows", csv_blocks(blocks) if output == "csv" else arrow_blocks(blocks, text_columns)))
            rows.clear()
        if matches:
            events.append(("matches", csv_blocks(matches) if matches_format == "csv"
                           else arrow_blocks(matches, MATCH_TEXT_COLUMNS)))
            matches.clear()
        if match_lines:
            events.append(("match lines", _gzipped(match_lines) if "match lines" in gzipped else Lines(match_lines)))
            match_lines.clear()
        if event is not None:
            events.append(event)

    for item in items:
        if isinstance(item, tuple):
            emit(item)
            continue
        stance = next(stances, None)
        try:
            result = scorer.score(item.text, item.meta)
        except FramingError as exc:
            emit(("error", exc))
            break
        for message in result.warnings:
            emit(("warn", (item.where, message)))
        combined = None if stance is None else combine(result, stance)
        if output == "jsonl":  # the line TableWriter would write for the row
            lines += (dumps(article_row(result, item.where, stance, combined)).encode(), b"\n")
            count += 1
        elif flat:
            rows.append(article_row(result, item.where, stance, combined))
        elif output == "json":
            # Encoded here, in the worker: bytes cross to the writing process as they are, where
            # a str would be encoded to be sent, decoded there and encoded again to be written.
            extra = None if stance is None else {"model": stance, "combined": combined}
            lines += renderer.encoded(result, extra)  # a batch at a time: a 100 MB record is never held twice
            lines.append(b"\n")
            count += 1
        else:
            emit(("line", ([score_report(result, item.text, item.where, stance), "\n"], 1)))
        if matches_format == "jsonl":
            match_lines += renderer.row_lines(match_row_head(result, item.where), result.matches)
        elif matches_format is not None:
            block = match_block(result, item.where)
            if matches and matches[-1].columns == block.columns:
                matches[-1].rows.extend(block.rows)
            elif block.rows:
                matches.append(block)
    emit(None)
    return events
