"""`--jobs N` gives the output of one process, byte for byte, and ends cleanly."""

import json
import os
import re
import signal

import pytest

from framing.cli import main
from framing.parallel import chunks, ordered_map, resolve_jobs

from .conftest import DATA, framing_at_a_terminal

MINI = str(DATA / "mini")
GOOD = [json.dumps({"id": k, "text": t}, ensure_ascii=False) for k, t in enumerate([
    "قصفت ميليشيات حفتر الأحياء.", "وقال قنونو: «إن قواتنا الباسلة صدت الهجوم»", "تقدمت ميليشيات الوفاق ومرتزقتها.",
    "وصلت مرتزقة «فاغنر» إلى الجفرة.", "no Arabic here at all", "انسحب المرتزقة أمس مع فاغنر من الجفرة."])]


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _corpus(tmp_path, lines):
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(p)


CORPORA = {
    "good": GOOD * 40,
    # bad records between good ones, in more than one chunk
    "bad": GOOD * 15 + ["{not json", '{"id": "x", "text": ""}'] + GOOD * 15 + ['{"id": "y"}'] + GOOD,
}
OPTIONS = [
    ("good", ["--json"]),
    ("good", []),
    ("bad", ["--json", "--skip-bad"]),
    ("bad", ["--skip-bad"]),
    ("bad", ["--json"]),  # stops at the first bad record, after writing every article before it
]


@pytest.mark.parametrize("corpus,options", OPTIONS)
def test_jobs_give_the_same_output_errors_and_exit_code(tmp_path, capsys, corpus, options):
    path = _corpus(tmp_path, CORPORA[corpus])
    argv = ["score", path, "--lexicon", MINI, *options]
    one = _run(capsys, argv + ["--jobs", "1"])
    for jobs in ("2", "3"):
        assert _run(capsys, argv + ["--jobs", jobs]) == one
    code, out, err = one
    articles = out.count('"words": ') if "--json" in options else out.count(" words, lexicon ")
    if "--skip-bad" in options or corpus == "good":
        bad = len(CORPORA[corpus]) - len(GOOD) * (31 if corpus == "bad" else 40)
        assert code == 0 and articles == len(CORPORA[corpus]) - bad and err.count("framing: skipped: ") == bad
    else:
        assert code == 2 and err.splitlines()[-1].endswith(f"{path}:91: invalid JSON (Expecting property name "
                                                          "enclosed in double quotes at column 2)")
        assert articles == 90

def test_default_is_every_core_and_bad_jobs_are_one_line_errors(tmp_path, capsys):
    from framing.errors import InputError

    assert resolve_jobs(None) == 1 and resolve_jobs(-1) >= 1 and resolve_jobs(3) == 3
    path = _corpus(tmp_path, GOOD)
    for bad in (0, -3):
        with pytest.raises(InputError, match=f"^jobs must be a positive integer, or -1 for every core. Got {bad} instead$"):
            resolve_jobs(bad)
        with pytest.raises(SystemExit) as exit_:  # the command refuses it as it parses its options (tests/test_hostile.py)
            main(["score", path, "--jobs", str(bad)])
        out, err = capsys.readouterr()
        assert exit_.value.code == 2 and not out and err == (f"framing score: error: argument --jobs: must be at least 1, "
                                                             f"or -1 for every core. Got {bad} instead\n")


def _double(state, chunk):
    return [state * x for x in chunk]


def test_ordered_map_keeps_order_and_reads_ahead_a_bounded_number_of_chunks():
    read = []

    def source():
        for k in range(200):
            read.append(k)
            yield [k, k]

    from framing.parallel import AHEAD

    results = ordered_map(_double, source(), 3, n_jobs=2)
    assert next(results) == [0, 0]
    assert len(read) <= AHEAD * 2 + 1 < 200  # at most AHEAD * n_jobs chunks ahead of the output
    assert list(results) == [[3 * k, 3 * k] for k in range(1, 200)]
    assert list(chunks(range(5), 2)) == [[0, 1], [2, 3], [4]]


def _big_corpus(tmp_path, n=20000):
    arabic = [line for line in GOOD if "no Arabic" not in line]
    return _corpus(tmp_path, arabic * (n // len(arabic)))


def test_closed_pipe_ends_cleanly(tmp_path):
    proc = framing_at_a_terminal("score", _big_corpus(tmp_path), "--json", "--lexicon", MINI, "--jobs", "2")
    first = proc.stdout.readline()
    proc.stdout.close()  # `| head -1`
    _, err = proc.communicate(timeout=120)
    assert json.loads(first)["id"] == 0
    assert proc.returncode == 0 and err == b""


def test_ctrl_c_ends_cleanly(tmp_path):
    proc = framing_at_a_terminal("score", _big_corpus(tmp_path), "--json", "--lexicon", MINI, "--jobs", "2")
    proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (130, b"")


@pytest.mark.parametrize("command", [["compare", "--json"], ["compare", "--by", "outlet"],
                                     ["compare", "--json", "--skip-bad"]])
def test_compare_scores_on_every_core_with_the_same_result(tmp_path, capsys, command):
    records = [json.dumps({"id": k, "outlet": "AB"[k % 2], "text": json.loads(GOOD[k % 4])["text"]},
                          ensure_ascii=False) for k in range(200)]
    if "--skip-bad" in command:  # bad and blank lines among them, in several chunks: parsed by the workers
        records[70:70] = ["{not json", "   ", "\u00a0", '{"id": "x", "text": ""}']
        records[150:150] = ['{"id": "y"}', ""]
    path = _corpus(tmp_path, records)
    runs = [_run(capsys, [command[0], path, "--lexicon", MINI, *command[1:], "--jobs", jobs]) for jobs in ("1", "2")]
    assert runs[0] == runs[1] and runs[0][0] == 0
    if "--skip-bad" in command:
        assert runs[0][2].count("framing: skipped: ") == 3
        assert f"{path}:71: invalid JSON" in runs[0][2] and f"{path}:151: no 'text' field" in runs[0][2]
    else:
        assert "skipped" not in runs[0][2]


def _buffers(state, chunk):
    """Bytes of each size in ``chunk``, out of band (as score_chunk sends an article's output)."""
    from pickle import PickleBuffer

    return [PickleBuffer(bytes([k % 251]) * k) for k in chunk]


def _fail_on(state, chunk):
    if state in chunk:
        if state < 0:
            os._exit(3)  # the worker dies, as on a crash or the OOM killer
        raise ValueError(f"chunk {chunk} failed")
    return chunk


@pytest.mark.parametrize("raw", [True, False])  # the pipe's descriptor read directly, or its messages
def test_out_of_band_buffers_arrive_whole_and_in_order(monkeypatch, raw):
    from framing import parallel

    monkeypatch.setattr(parallel, "_RAW", raw and parallel._RAW)
    # Empty, smaller than, as large as and larger than a pipe's buffer (64 KiB), several per result.
    sizes = [[0, 1], [65536, 3], [200_000], [5, 3_000_000, 7]] * 3
    for got, want in zip(ordered_map(_buffers, sizes, None, n_jobs=2), sizes, strict=True):
        assert [bytes(b) for b in got] == [bytes([k % 251]) * k for k in want]


@pytest.mark.parametrize("raw", [True, False])
@pytest.mark.parametrize("state, error", [
    (7, "ValueError: chunk \\[6, 7\\] failed"),  # raised in the worker, raised here in its place
    (-5, "RuntimeError: a worker process ended unexpectedly \\(exit code 3\\)"),
])
def test_a_failing_or_dying_worker_ends_the_output_in_its_place(monkeypatch, raw, state, error):
    from framing import parallel

    monkeypatch.setattr(parallel, "_RAW", raw and parallel._RAW)
    chunked = [[k - 1, k] for k in range(1, 20, 2)] if state > 0 else [[-k - 1, -k] for k in range(0, 20, 2)]
    got = []
    with pytest.raises(Exception) as info:
        for result in ordered_map(_fail_on, chunked, state, n_jobs=2):  # the results before the error are kept
            got.append(result)  # noqa: PERF402
    assert re.fullmatch(error, f"{type(info.value).__name__}: {info.value}")
    assert got == chunked[:len(got)] and len(got) == next(k for k, c in enumerate(chunked) if state in c)


def test_a_corpus_command_sets_what_it_built_aside_and_main_gives_the_collector_back(tmp_path, capsys, monkeypatch):
    import gc

    before = gc.get_threshold()
    seen = []
    freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (freeze(), seen.append((gc.get_freeze_count(), gc.get_threshold()))))
    assert _run(capsys, ["score", _corpus(tmp_path, GOOD), "--json", "--lexicon", MINI, "--jobs", "2"])[0] == 0
    (frozen, threshold), = seen
    assert frozen > 1000  # the lexicon and automaton, set aside before reading
    assert threshold[0] >= 50_000 and threshold[1:] == before[1:]  # collected less often meanwhile
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before  # as it was after main returned


class _Worker:  # stands in for the process: alive, as a worker is while it writes
    exitcode = None

    def is_alive(self):
        return True


@pytest.mark.parametrize("raw", [True, False])
@pytest.mark.parametrize("split", [1, 7, 4096, None])  # bytes the pipe holds at each read (None: all at once)
def test_results_are_read_as_they_arrive_in_any_pieces(monkeypatch, raw, split):
    """The parent reads each worker's results as the bytes come (a worker never waits for the
    output to reach it): a result read in pieces of any size, empty buffers among them, comes
    whole, and nothing comes before it is whole."""
    import multiprocessing
    import pickle

    from framing import parallel

    monkeypatch.setattr(parallel, "_RAW", raw and parallel._RAW)
    results = [(True, [pickle.PickleBuffer(b"x" * k) for k in sizes]) for sizes in ([0, 5], [], [70_000, 0, 1])]
    reader, writer = multiprocessing.Pipe(duplex=False)
    sent = []
    for ok, value in results:
        inbox_writer = []  # what _put writes, part by part (the message pipe keeps each part a message)
        monkeypatch.setattr(parallel, "_send",
                            lambda conn, part, into=inbox_writer: into.append(bytes(memoryview(part).cast("B"))))
        parallel._put(writer, ok, value)
        sent.append(inbox_writer)
    inbox = parallel._Inbox(reader, _Worker())
    got = []
    for parts in sent:
        stream = b"".join(parts)
        if not parallel._RAW:  # one message per part, as conn.send_bytes sends them
            for part in parts:
                writer.send_bytes(part)
                inbox.read()
        else:
            step = split or len(stream) or 1
            for at in range(0, len(stream), step):
                os.write(writer.fileno(), stream[at:at + step])
                inbox.read()
                if at + step < len(stream):
                    assert not inbox.ready  # not whole yet
            if not stream:
                inbox.read()
        got.append(inbox.ready.popleft())
    assert [(ok, [bytes(b) for b in value]) for ok, value in got] == [(ok, [bytes(b) for b in v]) for ok, v in results]
    writer.close()
    inbox.read()
    assert inbox.ended and not inbox.ready


# (the pieces of a chunk's JSON lines, in bytes: how many buffers a worker sends them as)
LINES = [
    ([], 0),
    ([b'{"id": 1}', b"\n"], 1),                          # small pieces: joined into one buffer
    ([b"a" * 10, b"b" * (1 << 20), b"c" * 10], 3),      # a piece of a megabyte or more goes as it is
    ([b"x" * 700_000, b"y" * 700_000, b"z"], 2),         # runs joined up to a megabyte
]


@pytest.mark.parametrize("pieces, buffers", LINES)
def test_lines_are_written_as_they_are_here_and_sent_joined(pieces, buffers):
    import pickle

    from framing.commands.score import Lines

    lines = Lines(pieces)
    # In this process (--jobs 1) the writer gets the pieces themselves, never copied.
    assert all(a is b for a, b in zip(lines, pieces)) and len(lines) == len(pieces)
    # Sent from a worker: a few buffers out of band, the same bytes in the same order.
    out_of_band = []
    head = pickle.dumps(lines, protocol=5, buffer_callback=out_of_band.append)
    sent = pickle.loads(head, buffers=[b.raw() for b in out_of_band])
    assert len(sent) == len(out_of_band) == buffers
    assert b"".join(bytes(b) for b in sent) == b"".join(pieces)
    assert len(head) < 200  # the bytes went out of band, not into the pickle
