"""Hostile and careless input (issue #15): nothing lost, nothing overwritten, nothing hangs, one line
per mistake.

Each table row is one mistake with the exit code and the one stderr line it must give; rows that
read a corpus also state how many articles come out and how many are reported skipped, so that
articles in = articles out + reported skips.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from framing.cli import main
from framing.errors import InputError
from framing.output import atomic_output, check_output

from .conftest import DATA, EXAMPLES

MINI = str(DATA / "mini")
STANCE = DATA / "stance.jsonl"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def unwritable_dir(tmp_path) -> Path:
    """A directory no file can be created in, also for root (who ignores permission bits)."""
    if os.geteuid() == 0:
        return Path("/sys")
    d = tmp_path / "read-only"
    d.mkdir()
    d.chmod(0o555)
    return d


# --- Outputs: never an input, checked before the work, written whole -------------------------


def _corpus(t):
    shutil.copy(STANCE, t / "c.jsonl")
    return t / "c.jsonl"


def _hard_link(t):
    os.link(_corpus(t), t / "m.skops")
    return t / "m.skops"


def _symlink(t):
    (t / "m.skops").symlink_to(_corpus(t))
    return t / "m.skops"


def _article_png(t):
    shutil.copy(EXAMPLES / "wire.txt", t / "a.png")
    return t / "a.png"


def _lexicon(t):
    shutil.copytree(MINI, t / "lx")
    return t / "lx"


# (argv from the temporary directory t, the file that must survive unchanged, the stderr line)
SAME_FILE = [
    (lambda t: ["train", _corpus(t), "--lexicon", MINI, "-o", t / "c.jsonl"], "c.jsonl", "is also an input"),
    (lambda t: ["train", _corpus(t), "--lexicon", MINI, "-o", _hard_link(t)], "c.jsonl", "is also an input"),
    (lambda t: ["train", _corpus(t), "--lexicon", MINI, "-o", _symlink(t)], "c.jsonl", "is also an input"),
    (lambda t: ["train", _corpus(t), "--lexicon", _lexicon(t), "-o", t / "lx" / "terms.tsv"], "lx/terms.tsv",
     "is also an input"),
    (lambda t: ["chart", _article_png(t), "--lexicon", MINI, "-o", t / "a.png"], "a.png", "is also an input"),
    (lambda t: ["compare", _corpus(t), "--lexicon", MINI, "--chart", _symlink(t).rename(t / "c.png")], "c.jsonl",
     "is also an input"),
]


@pytest.mark.parametrize("argv,survivor,message", SAME_FILE)
def test_an_output_is_never_an_input(tmp_path, capsys, argv, survivor, message):
    args = argv(tmp_path)
    before = (tmp_path / survivor).read_bytes()
    code, out, err = run(capsys, *args)
    assert code == 2 and not out
    assert message in one_line(err) and err.startswith("framing: error: ")
    assert (tmp_path / survivor).read_bytes() == before


@pytest.mark.parametrize("argv", [
    lambda d: ["train", STANCE, "--lexicon", MINI, "-o", d / "m.skops"],
    lambda d: ["chart", "demo", "-o", d / "c.png"],
    lambda d: ["compare", "demo", "--chart", d / "c.png"],
])
def test_an_unwritable_output_directory_is_refused_before_any_work(tmp_path, capsys, argv):
    code, out, err = run(capsys, *argv(unwritable_dir(tmp_path)))
    assert code == 2 and not out
    assert re.search(r"cannot write the (model|chart): permission denied", one_line(err))


def test_check_output_refuses_what_cannot_be_written(tmp_path):
    (tmp_path / "d.png").mkdir()
    with pytest.raises(InputError, match="it is a directory"):
        check_output(tmp_path / "d.png")
    with pytest.raises(InputError, match="directory .*missing does not exist"):
        check_output(tmp_path / "missing" / "x.png")
    with pytest.raises(InputError, match=r"must end in \.png\. Got '\.txt' instead"):
        check_output(tmp_path / "x.txt", suffixes=(".png",))
    assert check_output(tmp_path / "fine.png", inputs=["demo", "-", None, tmp_path / "other"]) == tmp_path / "fine.png"


def test_a_failed_write_leaves_the_old_file_and_no_partial_file(tmp_path):
    target = tmp_path / "chart.png"
    target.write_bytes(b"the old chart")
    full = r"chart\.png: cannot write the output: no space left on device"
    with pytest.raises(InputError, match=full), atomic_output(target) as tmp:
        tmp.write_bytes(b"half of the new")
        raise OSError(28, "No space left on device")
    assert target.read_bytes() == b"the old chart"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


def test_an_interrupted_write_leaves_the_old_file_and_no_partial_file(tmp_path):
    target = tmp_path / "m.skops"
    target.write_bytes(b"the old model")
    with pytest.raises(KeyboardInterrupt), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"the old model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.skops"]


def test_a_complete_write_replaces_the_file_with_ordinary_permissions(tmp_path):
    target = tmp_path / "out.svg"
    target.write_bytes(b"old")
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".svg"
        tmp.write_bytes(b"new")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.svg"]


def test_a_chart_whose_drawing_fails_half_way_leaves_the_previous_chart(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    from framing import charts

    target = tmp_path / "c.png"
    target.write_bytes(b"previous")
    fig = Figure()

    def broken(fname, **kwargs):
        Path(fname).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(InputError, match="cannot write the chart: no space left on device"):
        charts.save_figure(fig, target)
    assert target.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["c.png"]


def test_a_model_saved_beside_its_corpus_leaves_the_corpus(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    before = corpus.read_bytes()
    code, _, err = run(capsys, "train", corpus, "--lexicon", MINI, "--cv", "3", "--json", "-o", tmp_path / "m.skops")
    assert code == 0 and "saved the stance model" in err
    assert corpus.read_bytes() == before and (tmp_path / "m.skops").stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl", "m.skops"]
