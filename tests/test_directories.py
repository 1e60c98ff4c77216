"""A directory as an input: the files under it, read in turn as if each had been named."""

import bz2
import gzip
import json
import os

import pytest

from framing.cli import main
from framing.corpus import directory_files, is_corpus, text_id
from framing.errors import InputError
from framing.progress import expected_records, input_bytes

A = "قصفت ميليشيات حفتر الأحياء السكنية في طرابلس."
B = "تقدمت قوات الوفاق الشرعية نحو ترهونة."
C = "وقال المتحدث: «إن قواتنا الباسلة صدت الهجوم على العاصمة»."


def _jsonl(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


@pytest.fixture
def tree(tmp_path):
    """A crawl's folder: corpora of every kind, a text article, nested folders and hidden files;
    returns the directory and the files it is read as, in order."""
    root = tmp_path / "crawl"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    files = {
        "b.txt": A,
        "a.jsonl": _jsonl([{"id": f"a{k}", "outlet": "X", "text": [A, B, C][k % 3]} for k in range(7)]),
        "sub/deeper/d.json": json.dumps([{"id": "d1", "outlet": "Z", "text": C}], ensure_ascii=False),
        "sub/c.csv": "id,outlet,text\n" + "".join(f"c{k},Y,{[B, C][k % 2]}\n" for k in range(5)),
        "sub/e.jsonl.gz": _jsonl([{"id": "e1", "outlet": "Y", "text": A}]),
        ".hidden.jsonl": _jsonl([{"id": "h", "text": A}]),
        ".git/notes.txt": B,
    }
    for name, text in files.items():
        path = root / name
        path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    order = ["a.jsonl", "b.txt", "sub/c.csv", "sub/e.jsonl.gz", "sub/deeper/d.json"]
    return root, [root / name for name in order]


def test_a_directory_is_its_files_in_order_without_hidden_ones(tree):
    root, order = tree
    assert list(directory_files(root)) == order  # a folder's own files first, then its folders', by name
    assert is_corpus(str(root)) and not is_corpus(str(root / "b.txt"))


def test_linked_directories_are_read_once_and_never_loop(tree, tmp_path):
    root, order = tree
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "f.txt").write_text(B, encoding="utf-8")
    (root / "sub" / "linked").symlink_to(elsewhere, target_is_directory=True)
    (root / "sub" / "deeper" / "up").symlink_to(root, target_is_directory=True)  # a loop
    files = list(directory_files(root))
    assert files == order[:4] + [root / "sub" / "deeper" / "d.json", root / "sub" / "linked" / "f.txt"]


@pytest.mark.parametrize("options", [["--json"], ["--format", "csv"]])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_score_of_a_directory_is_score_of_its_files(tree, capsys, options, jobs):
    root, order = tree
    assert main(["score", *map(str, order), *options, "--jobs", "1"]) == 0
    named = capsys.readouterr().out
    assert main(["score", str(root), *options, "--jobs", jobs]) == 0
    out = capsys.readouterr().out
    assert out == named and str(root / ".hidden.jsonl") not in out and "notes" not in out


def test_compare_of_a_directory(tree, capsys):
    root, order = tree
    assert main(["compare", *map(str, order), "--json", "--boot", "100"]) == 0
    named = json.loads(capsys.readouterr().out)
    assert main(["compare", str(root), "--json", "--boot", "100"]) == 0
    assert json.loads(capsys.readouterr().out) == named
    assert sum(g["n"] for g in named) == 7 + 1 + 5 + 1 + 1


def test_progress_totals_of_a_directory(tree, tmp_path):
    root, order = tree
    assert input_bytes(str(root)) == sum(p.stat().st_size for p in order)
    assert expected_records(str(root)) is None  # a CSV's records cannot be counted without parsing it
    lines = tmp_path / "lines"
    lines.mkdir()
    (lines / "a.jsonl").write_text(_jsonl([{"text": A}] * 4), encoding="utf-8")
    (lines / "b.txt").write_text(B, encoding="utf-8")
    assert expected_records(str(lines)) == 5


def test_a_directory_that_cannot_be_listed_is_an_error(tree, monkeypatch):
    root, _ = tree
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("deeper"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(InputError, match=r"deeper: cannot read: permission denied"):
        list(directory_files(root))


def test_dask_reads_a_directory_as_its_files(tree):
    pytest.importorskip("dask")
    from framing.dask import expand

    root, order = tree
    assert expand([str(root)]) == [(str(p), str(root)) for p in order]
    assert expand([str(order[0])]) == [(str(order[0]), None)]


@pytest.mark.parametrize("path, within, expected", [
    ("report.txt", None, "report"),
    ("news/report.txt.gz", None, "report"),  # a file named: its name alone, without suffixes
    ("news/2019/04/report.txt", None, "report"),
    ("news/report.txt", "news", "report"),  # found in a directory: its path under it
    ("news/2019/04/001.txt", "news", "2019/04/001"),
    ("news/2019/04/001.txt.xz", "news/", "2019/04/001"),
    ("news/2019/a.b.txt", "news", "2019/a.b"),
    ("news/2019/notes", "news", "2019/notes"),
    ("news/2019/notes.", "news", "2019/notes."),  # a dot at the end is no suffix
    ("news/REPORT.TXT.GZ", None, "REPORT"),  # a compression's suffix in capitals
    ("news/report.gz", None, "report"),
    ("news/a.b.c.txt.bz2", "news", "a.b.c"),
    ("./news/2019/001.txt", "news", "2019/001"),
    ("/abs/news/2019/001.txt", "/abs/news/", "2019/001"),
])
def test_text_id(path, within, expected):
    assert text_id(path, within) == expected


@pytest.fixture
def archive(tmp_path):
    """An archive of dated folders holding text files of one name."""
    root = tmp_path / "archive"
    for day, text in (("2019/04/05", A), ("2019/04/06", B), ("2020/01/02", C)):
        (root / day).mkdir(parents=True)
        (root / day / "001.txt").write_text(text, encoding="utf-8")
    (root / "001.txt").write_text(B, encoding="utf-8")
    return root


IDS = ["001", "2019/04/05/001", "2019/04/06/001", "2020/01/02/001"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_text_files_in_folders_keep_one_id_each(archive, capsys, jobs):
    assert main(["score", str(archive), "--json", "--jobs", jobs]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == IDS


# Reading a folder names each article and each record's where as text_id and pathlib do for its
# file, however the folder is written on the command line.
@pytest.mark.parametrize("given", ["{root}", "{root}/", "./archive", "archive/"])
def test_a_folder_names_its_files_as_pathlib_and_text_id_do(archive, monkeypatch, given):
    from pathlib import Path

    from framing.corpus import read_items

    for name in ("notes.", "a.b.c.txt.bz2", "R.TXT.GZ"):
        path = archive / "2019" / name
        path.write_bytes(bz2.compress(A.encode()) if name.endswith("bz2") else
                         gzip.compress(A.encode()) if name.endswith("GZ") else A.encode())
    monkeypatch.chdir(archive.parent)
    source = given.format(root=archive)
    records = list(read_items(source))
    files = list(directory_files(source))
    assert [r.where for r in records] == [str(Path(f)) for f in files]
    assert [r.meta["id"] for r in records] == [text_id(f, source) for f in files]
    assert [r.meta["id"] for r in records][:4] == ["001", "2019/R", "2019/a.b.c", "2019/notes."]


def test_dask_names_text_files_in_folders_as_one_process_does(archive):
    pytest.importorskip("dask")
    from framing.dask import score

    assert score(str(archive))["id"].compute(scheduler="sync").tolist() == IDS


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_article_file_is_a_bad_record(tmp_path, capsys, jobs):
    # In a folder of articles, an empty file or one in another encoding is skipped with
    # --skip-bad like a bad line of a corpus, and stops the run without it.
    root = tmp_path / "articles"
    root.mkdir()
    (root / "a.txt").write_text(A, encoding="utf-8")
    (root / "b.txt").write_text("  \n", encoding="utf-8")
    (root / "c.txt").write_bytes(B.encode("cp1256"))
    (root / "d.txt").write_text(C, encoding="utf-8")
    assert main(["score", str(root), "--json", "--skip-bad", "--jobs", jobs]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["a", "d"]
    assert f"skipped: {root / 'b.txt'}: empty text" in err and f"skipped: {root / 'c.txt'}: not valid utf-8" in err
    assert "2 articles processed, 2 skipped" in err
    out_file = tmp_path / "scores.jsonl"
    assert main(["score", str(root), "--json", "-o", str(out_file), "--jobs", jobs]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{root / 'b.txt'}: empty text" in err and not out_file.exists()
