"""Scoring on Dask (a LocalCluster of 2 worker processes) gives what one process gives."""

import json
import os
import re
from pathlib import Path

import dask.dataframe as dd
import distributed
import pandas as pd
import pytest

import framing.dask as framing_dask
from framing.cli import main
from framing.corpus import read_records
from framing.export import article_row
from framing.frames import as_frame
from framing.scorer import Scorer

from .conftest import DATA, framing_at_a_terminal

MINI = str(DATA / "mini")
TEXTS = ["قصفت ميليشيات حفتر الأحياء.", "وقال قنونو: «إن قواتنا الباسلة صدت الهجوم»", "تقدمت ميليشيات الوفاق ومرتزقتها.",
         "وصلت مرتزقة «فاغنر» إلى الجفرة.", "انسحب المرتزقة أمس مع فاغنر من الجفرة.", "no Arabic here"]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    files = []
    for f in range(3):
        lines = [json.dumps({"id": f"f{f}-{k}", "outlet": f"O{f}", "text": TEXTS[(f + k) % len(TEXTS)]},
                            ensure_ascii=False) for k in range(25)]
        path = root / f"part{f}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    (root / "empty.jsonl").write_text("", encoding="utf-8")  # an empty partition is fine
    return root


def _local(paths, lexicon):
    scorer = Scorer(lexicon)
    return [article_row(scorer.score(r.text, r.meta), r.where) for p in paths for r in read_records(str(p))]


def test_files_on_two_workers_equal_one_process(client, corpus):
    ddf = framing_dask.score(str(corpus / "*.jsonl"), lexicon=MINI)
    assert list(ddf.columns) == list(framing_dask.meta(MINI, ["id", "outlet"]).columns)
    assert ddf.npartitions == 4
    got = ddf.compute()
    expected = pd.DataFrame.from_records(_local(sorted(corpus.glob("*.jsonl")), MINI), columns=got.columns)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.astype(got.dtypes.to_dict()))
    assert len(got) == 75 and got["sides.lna"].dtype == "float64" and got["words"].dtype == "int64"


def test_compressed_files_on_two_workers_equal_the_plain_ones(client, corpus, tmp_path):
    import gzip
    import lzma

    for k, (suffix, compress) in enumerate([(".gz", gzip.compress), (".xz", lzma.compress), ("", bytes)]):
        (tmp_path / f"part{k}.jsonl{suffix}").write_bytes(compress((corpus / f"part{k}.jsonl").read_bytes()))
    got = framing_dask.score([str(tmp_path / "part*.jsonl*")], lexicon=MINI).compute()
    plain = framing_dask.score(str(corpus / "part*.jsonl"), lexicon=MINI).compute()
    assert len(got) == 75
    where = got.pop("where").str.replace(r"^.*/", "", regex=True).str.replace(r"\.(gz|xz):", ":", regex=True)
    assert where.tolist() == plain.pop("where").str.replace(r"^.*/", "", regex=True).tolist()
    pd.testing.assert_frame_equal(got.reset_index(drop=True), plain.reset_index(drop=True))


@pytest.mark.parametrize("frame_rows", [1, 7, 25, 4096])
def test_a_partition_is_made_in_frames_of_frame_rows(corpus, monkeypatch, frame_rows):
    from framing.lexicon import load_lexicon

    path, lexicon = str(corpus / "part1.jsonl"), load_lexicon(MINI)
    empty = framing_dask.meta(lexicon, ["id", "outlet"])
    monkeypatch.setattr(framing_dask, "FRAME_ROWS", frame_rows)
    got = framing_dask._score_file((path, None), lexicon, "text", "utf-8", empty)
    pd.testing.assert_frame_equal(got, as_frame(_local([path], MINI), empty))
    assert got["lean"].tolist()[:3] == [None, "lna", "gna"]  # a missing string is None, whatever the cut


def test_a_dask_dataframe_is_scored_row_by_row(client):
    pdf = pd.DataFrame({"id": [f"a{k}" for k in range(30)], "text": [TEXTS[k % 5] for k in range(30)]})
    got = framing_dask.score(dd.from_pandas(pdf, npartitions=3), lexicon=MINI).compute()
    scorer = Scorer(MINI)
    for k in (0, 7, 29):
        row = article_row(scorer.score(pdf.text[k], {"id": pdf.id[k]}), f"row {k}")
        assert got.loc[k, "where"] == row["where"] and got.loc[k, "parties.lna.net"] == row["parties.lna.net"]


def test_a_bad_record_names_its_line(client, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": 1, "text": TEXTS[0]}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"bad\.jsonl:2: invalid JSON"):
        framing_dask.score(str(path), lexicon=MINI).compute()


def _children() -> set:
    """The pids of this process's children (Linux), but multiprocessing's resource tracker: one per
    Python process, started with its first worker process (by the fork server here, by a cluster
    of an earlier test otherwise), shared by all and ending with it."""
    children = set()
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_text()
            except FileNotFoundError:  # it ended meanwhile
                continue
            if "resource_tracker" not in command:
                children.add(pid)
    return children


def test_cli_engine_dask_writes_what_format_parquet_writes(corpus, tmp_path, capsys, monkeypatch):
    out = tmp_path / "scores.parquet"
    files = sorted(str(p) for p in corpus.glob("part*.jsonl"))
    forks = []  # the command runs Distributed's event loop in a thread: it must never fork itself
    fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    before = _children()
    assert main(["score", *files, "--engine", "dask", "--jobs", "2", "--lexicon", MINI, "-o", str(out)]) == 0
    monkeypatch.undo()
    assert forks == [] and _children() == before  # and no process it started (the fork server) outlives it
    assert out.is_dir() and "3 files scored on 2 Dask workers" in capsys.readouterr().err
    got = pd.read_parquet(out)
    local = pd.DataFrame.from_records(_local(files, MINI), columns=got.columns).astype(got.dtypes.to_dict())
    pd.testing.assert_frame_equal(got.reset_index(drop=True), local)
    # an existing output is never replaced half-way
    assert main(["score", *files, "--engine", "dask", "--lexicon", MINI, "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    # compare and chart read the directory (strings Dask wrote as pyarrow strings, a missing lean as NA)
    assert got["lean"].isna().any() and got["lean"].notna().any()
    for voice in ("narrator", "reading", "all"):
        assert main(["compare", str(out), "--lexicon", MINI, "--json", "--boot", "50", "--voice", voice]) == 0
        table = json.loads(capsys.readouterr().out)
        assert sorted(g["group"] for g in table) == ["O0", "O1", "O2"] and sum(g["n"] for g in table) == 75
        want = framing_dask.compare(dd.read_parquet(out), n_boot=50, voice=voice)
        assert [g["n"] for g in table] == want["n"].tolist()
        assert [g["lean_share"]["none"] for g in table] == [round(x, 4) for x in want["lean_share.none"]]
    assert main(["chart", str(out), "--lexicon", MINI, "-o", str(tmp_path / "o.png")]) == 0


@pytest.mark.parametrize("n_files,said", [(3, "3 files scored on 2 Dask workers"), (1, "1 file scored on 2 Dask workers")])
def test_cli_engine_dask_scores_on_a_running_cluster(client, corpus, tmp_path, capsys, n_files, said):
    """``--scheduler ADDRESS``: the command's client on a cluster already running (the fixture's
    two workers), the same rows as one process, and the cluster left running."""
    out = tmp_path / "scores.parquet"
    files = sorted(str(p) for p in corpus.glob("part*.jsonl"))[:n_files]

    def transitions():  # the tasks that cluster's scheduler has moved along
        return client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)

    before = transitions()
    assert main(["score", *files, "--engine", "dask", "--scheduler", client.scheduler.address, "--lexicon", MINI,
                 "-o", str(out)]) == 0
    assert said in capsys.readouterr().err
    assert transitions() > before  # the work ran there, not on a cluster of its own
    got = pd.read_parquet(out)
    local = pd.DataFrame.from_records(_local(files, MINI), columns=got.columns).astype(got.dtypes.to_dict())
    pd.testing.assert_frame_equal(got.reset_index(drop=True), local)
    assert len(client.scheduler_info()["workers"]) == 2


@pytest.mark.parametrize(("methods", "expected"), [
    (["fork", "spawn", "forkserver"], "forkserver"),  # Linux
    (["spawn", "fork", "forkserver"], "forkserver"),  # macOS
    (["fork", "spawn"], "spawn"),  # never a fork of the command's process, which runs threads
    (["spawn"], "spawn"),  # Windows
])
def test_local_cluster_workers_never_fork_from_the_command(monkeypatch, methods, expected):
    import multiprocessing

    from framing.commands.score import _start_method

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: methods)
    assert _start_method() == expected


@pytest.mark.parametrize("kwargs", [{}, {"voice": "all"}, {"voice": "reading", "by": "id", "n_boot": 50},
                                    {"over": "month", "slant": ("gna", "lna")}])
def test_compare_on_dask_is_compare_in_one_process(client, tmp_path, kwargs):
    from framing.table import compare, score_corpus

    files = []
    for f in range(3):  # 30 articles in 3 files; one partition is empty
        rows = [{"id": f"f{f}-{k}", "outlet": f"O{k % 2}", "date": f"2020-0{1 + k % 3}-0{1 + f}",
                 "text": TEXTS[(f + k) % len(TEXTS)]} for k in range(15 if f != 1 else 0)]
        path = tmp_path / f"p{f}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        files.append(path)
    whole = tmp_path / "whole.jsonl"
    whole.write_text("".join(p.read_text(encoding="utf-8") for p in files), encoding="utf-8")
    voice = kwargs.pop("voice", "narrator")
    ddf = framing_dask.score([str(p) for p in files], lexicon=MINI, fields=["id", "outlet", "date"])
    got = framing_dask.compare(ddf, voice=voice, **kwargs)
    local = score_corpus(str(whole), lexicon=MINI, voice=voice, progress=False)
    local["where"] = [f"{files[0 if k < 15 else 2]}:{k % 15 + 1}" for k in range(len(local))]  # as Dask names them
    want = compare(local, **kwargs)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["n"].sum() == 30


def test_compare_on_dask_refuses_a_field_the_scores_lack(client, corpus):
    ddf = framing_dask.score(str(corpus / "*.jsonl"), lexicon=MINI)
    with pytest.raises(Exception, match="no field 'outle' in the corpus; fields are: id, outlet"):
        framing_dask.compare(ddf, by="outle")


def _write_files(root, files: list[list]) -> list[str]:
    """Corpus files of the given records (a record given as a string is written as it is)."""
    paths = []
    for k, records in enumerate(files):
        path = root / f"part{k}.jsonl"
        path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                                for r in records), encoding="utf-8")
        paths.append(str(path))
    return paths


def _types(schema) -> dict:
    """A table's column types, a large string as a string (Dask writes large strings)."""
    import pyarrow as pa

    return {f.name: pa.string() if f.type == pa.large_string() else f.type for f in schema}


YEAR, NO_YEAR = {"year": 2019, "outlet": "A", "text": TEXTS[0]}, {"outlet": "B", "text": TEXTS[1]}


@pytest.mark.parametrize("files", [
    pytest.param([[YEAR, NO_YEAR, {"year": 7, "text": TEXTS[2]}]], id="one file"),
    pytest.param([[YEAR, NO_YEAR], [NO_YEAR, {"year": 2020, "text": TEXTS[5]}], [{"text": TEXTS[3]}]],
                 id="an int field in some records, missing in others"),
    pytest.param([[YEAR], [], [NO_YEAR] * 3, []], id="empty files"),
    pytest.param([[dict(YEAR, year=k, text=TEXTS[(k + f) % 6]) for k in range(f * 7)] for f in range(1, 6)],
                 id="more files than workers"),
    pytest.param([[dict(YEAR, flag=True, tags=["أ", 1], extra={"k": None}, share=1.5), dict(NO_YEAR, flag=False)]],
                 id="fields of other types, as JSON text"),
])
def test_cli_dask_directory_holds_the_rows_of_format_parquet(tmp_path, capfd, files):
    """The directory ``--engine dask`` writes reads back (Dask, pyarrow) as the rows, in order, and
    column types of ``--format parquet`` on each file: a worker's fork or spawn changes nothing."""
    import pyarrow.parquet as pq

    paths, out = _write_files(tmp_path, files), tmp_path / "scores.parquet"
    assert main(["score", *paths, "--engine", "dask", "--jobs", "2", "--lexicon", MINI, "-o", str(out)]) == 0
    got = dd.read_parquet(out)
    assert got.npartitions == len(files)
    rows = got.compute().astype(object).replace({pd.NA: None}).to_dict("records")
    want, types = [], {}
    for k, path in enumerate(paths):
        if files[k]:  # --format parquet of an empty file is a table without columns
            local = tmp_path / f"local{k}.parquet"
            assert main(["score", path, "--format", "parquet", "--lexicon", MINI, "-o", str(local)]) == 0
            table = pq.read_table(local)
            want += [{c: row.get(c) for c in got.columns} for row in table.to_pylist()]
            types.update(_types(table.schema))
    assert rows == want and len(rows) == sum(map(len, files))
    assert {c: t for c, t in _types(pq.read_schema(out / "part.0.parquet")).items() if c in types} == types
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary directory left
    capfd.readouterr()


@pytest.mark.parametrize(("files", "message"), [
    ([[YEAR, "{not json"]], r"part0\.jsonl:2: invalid JSON"),
    ([[YEAR], [NO_YEAR, {"year": 1, "text": 5}]], r"part1\.jsonl:2: field 'text' must be"),
    ([[YEAR], [], [NO_YEAR, dict(NO_YEAR, site="x")]], r"part2\.jsonl:2: field 'site' is not one of the corpus fields"),
])
def test_cli_dask_bad_record_is_one_line_and_no_output(tmp_path, files, message):
    """A bad record stops the command with one line naming it (in a child process: what its workers
    print is part of what a user sees), and nothing is written; Dask's default HTTP port held by
    another process (a cluster already running) adds no warning."""
    import socket
    import subprocess
    import sys

    paths, out = _write_files(tmp_path, files), tmp_path / "scores.parquet"
    with socket.socket() as held:
        try:
            held.bind(("", 8787))
            held.listen()
        except OSError:  # held already
            pass
        run = subprocess.run([sys.executable, "-m", "framing", "score", *paths, "--engine", "dask", "--jobs", "2",
                              "--lexicon", MINI, "-o", str(out)], capture_output=True, text=True, check=False)
    err = run.stderr.strip().splitlines()
    assert run.returncode == 2 and len(err) == 1 and re.match(rf"framing: error: .*{message}", err[0]), err
    assert sorted(p.name for p in tmp_path.iterdir()) == [Path(p).name for p in paths]  # nothing written


def test_cli_dask_ctrl_c_ends_cleanly(tmp_path):
    """Ctrl-C at a terminal (SIGINT to every process of the command) while the local cluster
    scores: status 130, nothing printed (no traceback of Distributed's tasks or of its workers) and
    nothing written."""
    import signal
    import time

    records = [{"id": k, "text": TEXTS[k % 5]} for k in range(10000)]
    paths, out = _write_files(tmp_path, [records] * 4), tmp_path / "scores.parquet"
    proc = framing_at_a_terminal("score", *paths, "--engine", "dask", "--jobs", "2", "--lexicon", MINI, "-o", str(out),
                                 start_new_session=True)  # a process group of its own, as a terminal's job
    deadline = time.monotonic() + 120
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):  # the scores are being written
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.decode()) == (130, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [Path(p).name for p in paths]
