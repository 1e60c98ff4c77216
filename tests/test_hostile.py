"""Hostile and careless input (issue #15): nothing lost, nothing overwritten, nothing hangs, one line
per mistake.

Each table row is one mistake with the exit code and the one stderr line it must give; rows that
read a corpus also state how many articles come out and how many are reported skipped, so that
articles in = articles out + reported skips.
"""

import builtins
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from framing.cli import main
from framing.corpus import read_records
from framing.errors import InputError, ModelError
from framing.labels import read_labelled
from framing.model import INFO_MEMBER, StanceModel, load_model, save_model
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


def unreadable(path: Path, monkeypatch) -> None:
    """Make ``path`` unreadable, also for root (who ignores permission bits)."""
    path.chmod(0)
    if os.geteuid() == 0:  # make the operating system's refusal happen anyway
        real = type(path).open

        def refuse(self, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(type(path), "open", refuse)
        real_open = builtins.open

        def refuse_name(file, *args, **kwargs):  # the readers open a file by its name too
            if isinstance(file, (str, Path)) and Path(file) == path:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refuse_name)


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
    (lambda t: ["report", _article_png(t).rename(t / "a.html"), "--lexicon", MINI, "-o", t / "a.html"], "a.html",
     "is also an input"),
    (lambda t: ["report", _corpus(t), "--lexicon", MINI, "-o", _symlink(t).rename(t / "r.html")], "c.jsonl",
     "is also an input"),
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


@pytest.mark.parametrize("scores, matches, existing", [
    ("s.csv", "s.csv", None),              # neither written yet: the matches replaced the scores, silently
    ("s.csv", "./s.csv", None),
    ("s.csv", "s.csv", "s.csv"),           # an old file: was refused as "an input of this command"
    ("s.csv", "link.csv", "s.csv"),        # link.csv is a symbolic link to s.csv
    ("s.jsonl", "s.jsonl", None),
    ("s.csv", "m.csv", None),              # two files: both written
])
def test_the_scores_and_the_matches_are_two_files(tmp_path, capsys, monkeypatch, scores, matches, existing):
    monkeypatch.chdir(tmp_path)
    if existing:
        (tmp_path / existing).write_text("old\n", encoding="utf-8")
        (tmp_path / "link.csv").symlink_to(tmp_path / existing)
    before = sorted(tmp_path.iterdir())
    code, out, err = run(capsys, "score", STANCE, "--lexicon", MINI, "--jobs", "1", "--format", "csv", "-o", scores,
                         "--matches", matches)
    if scores == matches.removeprefix("./") or matches == "link.csv":
        assert code == 2 and not out
        assert one_line(err) == (f"framing: error: {matches}: is also the output of the scores (-o); write the "
                                 "matches to another file")
        assert sorted(tmp_path.iterdir()) == before
        assert not existing or (tmp_path / existing).read_text(encoding="utf-8") == "old\n"
    else:
        assert code == 0, err
        assert (tmp_path / scores).read_text(encoding="utf-8").startswith("where,")
        assert (tmp_path / matches).read_text(encoding="utf-8").startswith("where,id,start,end,")


@pytest.mark.parametrize("argv", [
    lambda d: ["train", STANCE, "--lexicon", MINI, "-o", d / "m.skops"],
    lambda d: ["chart", "demo", "-o", d / "c.png"],
    lambda d: ["compare", "demo", "--chart", d / "c.png"],
    lambda d: ["report", "demo", "-o", d / "r.html"],
])
def test_an_unwritable_output_directory_is_refused_before_any_work(tmp_path, capsys, argv):
    code, out, err = run(capsys, *argv(unwritable_dir(tmp_path)))
    assert code == 2 and not out
    assert re.search(r"cannot write the (model|chart|report): permission denied", one_line(err))


def test_a_device_is_never_replaced_by_an_output(capsys):
    """Writing through a temporary file and a rename would replace /dev/null itself with a file."""
    import stat

    code, out, err = run(capsys, "train", STANCE, "--lexicon", MINI, "-o", "/dev/null")
    assert code == 2 and not out
    assert re.search(r"/dev/null: cannot write the model: (it is not a regular file|permission denied)", one_line(err))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_check_output_refuses_what_cannot_be_written(tmp_path):
    (tmp_path / "d.png").mkdir()
    with pytest.raises(InputError, match="it is a directory"):
        check_output(tmp_path / "d.png")
    with pytest.raises(InputError, match="directory .*missing does not exist"):
        check_output(tmp_path / "missing" / "x.png")
    with pytest.raises(InputError, match=r"must end in \.png\. Got '\.txt' instead"):
        check_output(tmp_path / "x.txt", suffixes=(".png",))
    assert check_output(tmp_path / "fine.png", inputs=["demo", "-", None, tmp_path / "other"]) == tmp_path / "fine.png"
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(InputError, match="it is not a regular file"):
        check_output(tmp_path / "pipe.png")
    with pytest.raises(InputError, match="it is not a regular file"), atomic_output(tmp_path / "pipe.png"):
        pass


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


# --- Corpora: every record comes out or is reported ----------------------------------------------

ARTICLE = "قصفت ميليشيات حفتر الأحياء."
LONG = ("تقدمت قوات الوفاق الباسلة في محاور القتال. " * 4000).strip()  # ~176,000 characters


def _jsonl(*lines: str) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _good(i) -> str:
    return json.dumps({"id": str(i), "text": ARTICLE}, ensure_ascii=False)


def _csv(*rows: str, header="id,text") -> bytes:
    return (header + "\n" + "".join(row + "\n" for row in rows)).encode("utf-8")


# (name, file name, content, records in the file, --skip-bad?, exit code, the stderr line (regex),
#  articles out, records reported skipped)
CORPORA = [
    ("unterminated quote, stops", "c.csv", _csv(f"1,{ARTICLE}", '2,"بلا نهاية', f"3,{ARTICLE}", f"4,{ARTICLE}"),
     4, False, 2, r"c\.csv:3: malformed CSV record: a quoted field is never closed \(found on line 5\)", 1, 0),
    ("unterminated quote, skipped", "c.csv", _csv(f"1,{ARTICLE}", '2,"بلا نهاية', f"3,{ARTICLE}", f"4,{ARTICLE}"),
     4, True, 0, r"skipped: .*/c\.csv:3: malformed CSV record: a quoted field is never closed", 3, 1),
    ("unterminated quote before quoted rows", "c.csv",
     _csv(f'1,"{ARTICLE}"', '2,"بلا نهاية', f'3,"{ARTICLE}"', f'4,"{ARTICLE}"'),
     4, True, 0, r"skipped: .*/c\.csv:3: malformed CSV record: a quote closes a field but more text follows it", 3, 1),
    ("stray quote after a quoted field", "c.csv", _csv(f'1,"{ARTICLE}"x', f"2,{ARTICLE}"),
     2, True, 0, r"skipped: .*/c\.csv:2: malformed CSV record: a quote closes a field", 1, 1),
    ("article over 131,072 characters", "c.csv", _csv(f'1,"{LONG}"', f"2,{ARTICLE}"), 2, False, 0, None, 2, 0),
    ("bad row after a long multi-line article keeps its line", "c.csv",
     _csv(f'1,"{LONG}\n{LONG}"', "2,x,extra", f"3,{ARTICLE}"),
     3, False, 2, r"c\.csv:4: 2 columns expected, the row has 3", 1, 0),
    ("NUL byte in a row is read, not lost", "c.csv", _csv(f"1,{ARTICLE}", f"2,{ARTICLE}\0", f"3,{ARTICLE}"),
     3, True, 0, None, 3, 0),
    ("undecodable row", "c.csv", _csv(f"1,{ARTICLE}") + "2,عملاء\n".encode("cp1256") + f"3,{ARTICLE}\n".encode(),
     3, True, 0, r"skipped: .*/c\.csv:3: not valid utf-8", 2, 1),
    ("duplicated header column", "c.csv", _csv(f"1,1,{ARTICLE}", header="id,id,text"),
     1, True, 2, r"c\.csv:1: the header names the column 'id' twice", 0, 0),
    ("huge integer", "c.jsonl", _jsonl(_good(1), '{"text": "نص", "n": ' + "9" * 5000 + "}", _good(3)),
     3, True, 0, r"skipped: .*/c\.jsonl:2: invalid JSON \(a number with more than 4300 digits\)", 2, 1),
    ("deep nesting", "c.jsonl", _jsonl(_good(1), '{"text": "نص", "n": ' + "[" * 5000 + "]" * 5000 + "}", _good(3)),
     3, True, 0, r"skipped: .*/c\.jsonl:2: invalid JSON \(nested more than 64 levels deep\)", 2, 1),
    ("nesting too deep for the output", "c.jsonl", _jsonl(_good(1), '{"text": "نص", "n": ' + "[" * 900 + "]" * 900 + "}"),
     2, False, 2, r"c\.jsonl:2: invalid JSON \(nested more than 64 levels deep\)", 1, 0),
    ("lone surrogate", "c.jsonl", _jsonl(_good(1), '{"text": "نص \\ud800", "id": "2"}', _good(3)),
     3, True, 0, r"skipped: .*/c\.jsonl:2: invalid JSON \(the escape \\ud800 is half of a character", 2, 1),
    ("lone surrogate in a key", "c.jsonl", _jsonl('{"text": "نص", "\\udfff": 1}'),
     1, False, 2, r"c\.jsonl:1: invalid JSON \(the escape \\udfff is half", 0, 0),
    ("lone surrogate in capitals, in a list", "c.jsonl", _jsonl(_good(1), '{"text": "نص", "tags": ["\\uDBFF"]}'),
     2, True, 0, r"skipped: .*/c\.jsonl:2: invalid JSON \(the escape \\udbff is half of a character", 1, 1),
    ("brackets and escapes in the text of a flat record are text", "c.jsonl",
     _jsonl('{"text": "' + "نص [{" * 100 + ' \\u0041 \\ud83d\\ude00", "id": "1"}'), 1, False, 0, None, 1, 0),
    ("NaN", "c.jsonl", _jsonl(_good(1), '{"text": "نص", "v": NaN}'),
     2, True, 0, r"skipped: .*/c\.jsonl:2: invalid JSON \(NaN is not a JSON number\)", 1, 1),
    ("Infinity", "c.jsonl", _jsonl('{"text": "نص", "v": -Infinity}', _good(2)),
     2, True, 0, r"skipped: .*/c\.jsonl:1: invalid JSON \(-Infinity is not a JSON number\)", 1, 1),
    ("NaN in a .json array", "c.json", f'[{_good(1)},\n{{"text": "نص", "v": NaN}},\n{_good(3)}]'.encode(),
     3, True, 0, r"skipped: .*/c\.json:2: invalid JSON \(NaN is not a JSON number\)", 2, 1),
    ("huge integer in a .json array", "c.json", f'[{{"text": "نص", "n": {"9" * 5000}}}, {_good(2)}]'.encode(),
     2, True, 0, r"skipped: .*/c\.json:1: invalid JSON \(a number with more than 4300 digits\)", 1, 1),
    ("overflowing float", "c.jsonl", _jsonl('{"text": "نص", "v": 1e400}', _good(2)),
     2, True, 0, r"skipped: .*/c\.jsonl:1: invalid JSON \(the number 1e400 is too large for a float\)", 1, 1),
]


@pytest.mark.parametrize("name,file,content,records,skip,code,line,n_out,n_skipped", CORPORA,
                         ids=[c[0] for c in CORPORA])
def test_hostile_corpus(tmp_path, capsys, name, file, content, records, skip, code, line, n_out, n_skipped):
    path = tmp_path / file
    path.write_bytes(content)
    got, out, err = run(capsys, "score", path, "--json", "--lexicon", MINI, *(["--skip-bad"] if skip else []))
    lines = err.splitlines()
    skipped = [x for x in lines if x.startswith("framing: skipped: ")]
    assert got == code, err
    assert len(out.splitlines()) == n_out and len(skipped) == n_skipped
    if line is None:
        assert not err
    else:
        assert re.search(line, lines[0]), err
        assert len(lines) == (1 if code else n_skipped + 1), err  # each mistake one line (+ the skip summary)
    if code == 0:
        assert records == n_out + n_skipped  # nothing lost
        assert all(json.loads(x) for x in out.splitlines())


@pytest.mark.parametrize("encoding,line", [
    ("klingon", "framing: error: unknown encoding 'klingon'; name one Python knows, e.g. utf-8 or cp1256"),
    ("utf-16", ("framing: error: encoding 'utf-16' is not ASCII-compatible; convert the file to UTF-8 "
               "(e.g. iconv -f UTF-16 -t UTF-8)")),
    ("rot13", "framing: error: unknown encoding 'rot13'; name one Python knows, e.g. utf-8 or cp1256"),
])
@pytest.mark.parametrize("file", ["c.csv", "c.jsonl", "a.txt"])
def test_an_unusable_encoding_is_one_line(tmp_path, capsys, encoding, line, file):
    (tmp_path / file).write_bytes(_csv(f"1,{ARTICLE}") if file == "c.csv" else _jsonl(_good(1)))
    code, out, err = run(capsys, "score", tmp_path / file, "--encoding", encoding, "--lexicon", MINI)
    assert code == 2 and not out and one_line(err) == line


def test_an_unreadable_corpus_is_one_line(tmp_path, capsys, monkeypatch):
    path = tmp_path / "c.jsonl"
    path.write_bytes(_jsonl(_good(1)))
    unreadable(path, monkeypatch)
    code, out, err = run(capsys, "score", path, "--lexicon", MINI)
    assert code == 2 and not out and one_line(err) == f"framing: error: {path}: cannot read: permission denied"


# A corpus that gives no article is a mistake to report, not an empty output to write: an empty
# file, a CSV header alone, an empty array, blank lines, bad records only (skipped).
EMPTY = [
    ("c.jsonl", b"", []),
    ("c.jsonl", b"\n  \n", []),
    ("c.csv", _csv(), []),
    ("c.json", b"[]", []),
    ("c.jsonl", _jsonl("{bad", "[1]"), ["--skip-bad"]),
]


@pytest.mark.parametrize("file,content,options", EMPTY)
@pytest.mark.parametrize("output", [None, "out.jsonl", "out.csv", "out.jsonl.gz"])
def test_a_corpus_of_no_article_is_an_error_and_writes_nothing(tmp_path, capsys, file, content, options, output):
    path = tmp_path / file
    path.write_bytes(content)
    argv = ["score", path, "--lexicon", MINI, *options, *(["-o", tmp_path / output] if output else ["--json"])]
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out and err.splitlines()[-1] == f"framing: error: {path}: no articles"
    assert sorted(p.name for p in tmp_path.iterdir()) == [file]


def test_predict_of_no_article_is_an_error(tmp_path, capsys, model_file):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"")
    code, out, err = run(capsys, "predict", model_file, path)
    assert code == 2 and not out and one_line(err) == f"framing: error: {path}: no articles"


def test_an_empty_file_among_inputs_is_no_error(tmp_path, capsys):  # must not: the corpus has articles
    (tmp_path / "a.jsonl").write_bytes(b"")
    (tmp_path / "b.jsonl").write_bytes(_jsonl(_good(1)))
    code, out, err = run(capsys, "score", tmp_path / "a.jsonl", tmp_path / "b.jsonl", "--json", "--lexicon", MINI)
    assert code == 0 and len(out.splitlines()) == 1 and not err


# --- Model files: only what `framing train` writes is loaded -----------------------------------

CATASTROPHIC = r"(\w+\s?)+$"  # backtracks exponentially on a long word followed by a non-word character


@pytest.fixture(scope="module")
def fitted():
    corpus = read_labelled(read_records(str(STANCE)))
    return StanceModel(MINI).fit(corpus.texts, corpus.labels)


@pytest.fixture(scope="module")
def model_file(fitted, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "m.skops"
    save_model(fitted, path)
    return path


def _tampered(fitted, tmp_path, change):
    """Save a copy of ``fitted`` changed by ``change(copy)``: only trusted types, as skops writes them."""
    import copy

    evil = copy.deepcopy(fitted)
    evil.info_ = fitted.info_
    change(evil)
    path = tmp_path / "evil.skops"
    save_model(evil, path)
    return path


def _regex_vectoriser(model):
    """Put a CountVectorizer with a catastrophic pattern where the n-grams were, with the same columns,
    so the model still predicts (and hangs on the first long word)."""
    from sklearn.feature_extraction.text import CountVectorizer

    for clf in model.classifiers_.values():
        ngrams = dict(clf.pipeline_.named_steps["features"].transformer_list)["ngrams"]
        vocabulary = [str(g) for g in ngrams.named_steps["counts"].ngrams_]
        vectoriser = CountVectorizer(token_pattern=CATASTROPHIC, vocabulary=vocabulary).fit(["x"])
        ngrams.steps[0] = ("counts", vectoriser)


def _parallel_union(model):
    for clf in model.classifiers_.values():
        clf.pipeline_.named_steps["features"].n_jobs = -1


def _other_params(model):
    model.params = {"ngram": "char", "ngram_range": (1, 400)}


def _renamed_party(model):
    model.classifiers_ = {"lna\x1b[2J": model.classifiers_["lna"]}


def _feature_name_with_escape(model):
    for clf in model.classifiers_.values():
        evidence = dict(clf.pipeline_.named_steps["features"].transformer_list)["lexicon"].named_steps["evidence"]
        evidence.feature_names_ = ["\x1b[2J" + evidence.feature_names_[0], *evidence.feature_names_[1:]]


def _int_classifier(model):
    model.classifiers_["lna"] = 3


TAMPERED = [
    ("catastrophic regular expression", _regex_vectoriser, "holds a CountVectorizer where framing writes a TextNgrams"),
    ("an int for a classifier", _int_classifier, "the classifier of lna is an int;"),
    ("parallel jobs", _parallel_union, r"FeatureUnion\.n_jobs is -1, not None"),
    ("n-grams of any length", _other_params, "classifier parameter 'ngram_range' has an unusable value"),
    ("party name with an escape sequence", _renamed_party, "a party name is not a lowercase identifier"),
    ("feature name with an escape sequence", _feature_name_with_escape,
     "the lexicon feature names of the classifier of lna are not identifiers"),
]


def test_n_grams_from_a_model_file_are_printed_escaped():
    from framing.render.text import feature_label

    assert feature_label("ngrams__ ع\x1b[2J\n") == "«_ع\\x1b[2J\\x0a»"


@pytest.mark.parametrize("name,change,message", TAMPERED, ids=[t[0] for t in TAMPERED])
def test_a_model_of_trusted_types_but_another_shape_is_refused(fitted, tmp_path, capsys, name, change, message):
    path = _tampered(fitted, tmp_path, change)
    with pytest.raises(ModelError, match=f"refusing to load: .*{message}"):
        load_model(path)
    code, out, err = run(capsys, "predict", path, EXAMPLES / "wire.txt")
    assert code == 4 and not out and "refusing to load" in one_line(err)


def test_the_model_framing_train_writes_loads(fitted, model_file):
    assert load_model(model_file).predict(["قصفت ميليشيات حفتر الأحياء."]) == fitted.predict(["قصفت ميليشيات حفتر الأحياء."])


def _with_member(src, dst, name, data, compress=True):
    import zipfile

    shutil.copy(src, dst)
    with zipfile.ZipFile(dst, "a") as z:
        z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED)
    return dst


def _replace_info(src, dst, data: bytes):
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, data if item.filename == INFO_MEMBER else zin.read(item.filename))
    return dst


def _info_with(src, dst, change):
    import zipfile

    with zipfile.ZipFile(src) as z:
        info = json.loads(z.read(INFO_MEMBER))
    return _replace_info(src, dst, change(info))


def _json(value) -> bytes:
    return json.dumps(value).encode()


# (name, make(model file, tmp) -> path, the one stderr line (regex)); every one exits with 4
BAD_MODEL_FILES = [
    ("zip bomb member", lambda m, t: _with_member(m, t / "b.skops", "bomb.npy", bytes(64 * 2**20)),
     r"refusing to load: member bomb\.npy inflates to 67,108,864 bytes from [\d,]+"),
    ("zip bomb metadata", lambda m, t: _replace_info(m, t / "b.skops", b"{" + b" " * (8 * 2**20) + b"}"),
     rf"refusing to load: member {INFO_MEMBER} inflates to 8,388,610 bytes"),
    ("metadata parties not a list", lambda m, t: _info_with(m, t / "b.skops", lambda i: _json({**i, "parties": 5})),
     rf"damaged {INFO_MEMBER} \(field 'parties' has the wrong type or value\)"),
    ("metadata counts of the wrong type", lambda m, t: _info_with(
        m, t / "b.skops", lambda i: _json({**i, "counts": {"lna": ["favorable"]}})),
     rf"damaged {INFO_MEMBER} \(field 'counts' has the wrong type or value\)"),
    ("metadata deeply nested", lambda m, t: _info_with(
        m, t / "b.skops", lambda i: _json(i)[:-1] + b', "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
     r"damaged model file \(RecursionError"),
    ("metadata with an unknown field", lambda m, t: _info_with(m, t / "b.skops", lambda i: _json({**i, "x": 1})),
     rf"damaged {INFO_MEMBER} \(fields missing or unknown: x\)"),
    ("metadata params unknown", lambda m, t: _info_with(m, t / "b.skops", lambda i: _json({**i, "params": {"n_jobs": -1}})),
     r"unknown classifier parameter 'n_jobs'"),
    ("metadata of another format with odd versions", lambda m, t: _info_with(
        m, t / "b.skops", lambda i: _json({**i, "format": 7, "versions": ["x"]})), r"model format 7 \(made by framing \?\)"),
    ("metadata not an object", lambda m, t: _replace_info(m, t / "b.skops", b"[1, 2]"), r"model format None"),
    ("metadata parties differ from the model's", lambda m, t: _info_with(
        m, t / "b.skops", lambda i: _json({**i, "parties": ["gna", "lna"]})),
     rf"refusing to load: its parties lna, gna are not those of {INFO_MEMBER}"),
]


@pytest.mark.parametrize("name,make,line", BAD_MODEL_FILES, ids=[b[0] for b in BAD_MODEL_FILES])
def test_a_damaged_or_hostile_model_file_is_exit_4(model_file, tmp_path, capsys, name, make, line):
    path = make(model_file, tmp_path)
    code, out, err = run(capsys, "predict", path, EXAMPLES / "wire.txt")
    assert code == 4 and not out
    assert re.search(line, one_line(err)), err


def test_strings_from_a_model_file_reach_the_terminal_escaped(model_file, tmp_path, capsys):
    """A type name with a newline, an ANSI escape and a forged line is printed on one line, escaped."""
    import zipfile

    forged = "x\n\x1b[31mframing: wrote /etc/passwd"
    with zipfile.ZipFile(model_file) as z:
        schema = json.loads(z.read("schema.json"))
    schema["content"]["content"]["lexicon"] = {"__class__": forged, "__module__": "evil", "__loader__": "FunctionNode",
                                               "content": {"module_path": "evil", "function": forged}}
    path = tmp_path / "e.skops"
    with zipfile.ZipFile(model_file) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = json.dumps(schema).encode() if item.filename == "schema.json" else zin.read(item.filename)
            zout.writestr(item, data)
    code, out, err = run(capsys, "predict", path, EXAMPLES / "wire.txt")
    line = one_line(err)
    assert code == 4 and not out and "\x1b" not in err
    assert "evil.x\\x0a\\x1b[31mframing: wrote /etc/passwd" in line


def test_an_unreadable_model_file_is_exit_4(model_file, tmp_path, capsys, monkeypatch):
    path = tmp_path / "m.skops"
    shutil.copy(model_file, path)
    unreadable(path, monkeypatch)
    code, out, err = run(capsys, "predict", path, EXAMPLES / "wire.txt")
    assert code == 4 and not out
    assert one_line(err) == f"framing: error: {path}: cannot read the model file: permission denied"


def test_fit_refuses_labels_that_are_not_stances():
    with pytest.raises(ValueError, match=r"labels\['lna'\] must be favorable, neutral, unfavorable or None\. Got 1"):
        StanceModel(MINI).fit(["نص", "نص آخر"], {"lna": ["favorable", 1]})


# --- The command line: arguments, standard streams, full disks ----------------------------------


JOBS = "must be at least 1, or -1 for every core"

# Every numeric option of every command, out of its range or not a number
BAD_NUMBERS = [
    (["compare", "demo", "--boot", "0"], "argument --boot: must be at least 1. Got 0 instead"),
    (["compare", "demo", "--seed", "-1"], "argument --seed: must be at least 0. Got -1 instead"),
    (["compare", "demo", "--jobs", "0"], f"argument --jobs: {JOBS}. Got 0 instead"),
    (["chart", "demo", "-o", "x.png", "--seed", "-1"], "argument --seed: must be at least 0. Got -1 instead"),
    (["chart", "demo", "-o", "x.png", "--top", "-1"], "argument --top: must be at least 1. Got -1 instead"),
    (["chart", "demo", "-o", "x.png", "--min-n", "0"], "argument --min-n: must be at least 1. Got 0 instead"),
    (["chart", "demo", "-o", "x.png", "--terms", "0"], "argument --terms: must be at least 1. Got 0 instead"),
    (["chart", "demo", "-o", "x.png", "--jobs", "-2"], f"argument --jobs: {JOBS}. Got -2 instead"),
    (["score", "demo", "--jobs", "0"], f"argument --jobs: {JOBS}. Got 0 instead"),
    (["score", "demo", "--jobs", "abc"], "argument --jobs: must be an integer. Got 'abc' instead"),
    (["score", "a.txt", "--jobs", "1.5"], "argument --jobs: must be an integer. Got '1.5' instead"),
    (["predict", "m.skops", "demo", "--jobs", "0"], f"argument --jobs: {JOBS}. Got 0 instead"),
    (["predict", "m.skops", "demo", "--explain", "-1"], "argument --explain: must be at least 0. Got -1 instead"),
    (["report", "demo", "-o", "r.html", "--evidence", "-1"], "argument --evidence: must be at least 0. Got -1 instead"),
    (["report", "demo", "-o", "r.html", "--seed", "-1"], "argument --seed: must be at least 0. Got -1 instead"),
    (["report", "demo", "-o", "r.html", "--jobs", "0"], f"argument --jobs: {JOBS}. Got 0 instead"),
    (["kwic", "x", "demo", "--width", "-1"], "argument --width: must be at least 0. Got -1 instead"),
    (["kwic", "x", "demo", "--sample", "0"], "argument --sample: must be at least 1. Got 0 instead"),
    (["kwic", "x", "demo", "--seed", "-1"], "argument --seed: must be at least 0. Got -1 instead"),
    (["evaluate", "demo", "--misses", "-1"], "argument --misses: must be at least 0. Got -1 instead"),
    (["lexicon", "suggest", "demo", "--by", "outlet", "--top", "0"], "argument --top: must be at least 1. Got 0 instead"),
    (["lexicon", "suggest", "demo", "--by", "outlet", "--max-n", "0"],
     "argument --max-n: must be at least 1. Got 0 instead"),
]  # train's --cv and --top: tests/test_train_cli.py


@pytest.mark.parametrize("argv,line", BAD_NUMBERS)
def test_a_bad_number_is_refused_before_any_scoring(capsys, tmp_path, monkeypatch, argv, line):
    monkeypatch.chdir(tmp_path)  # were it taken, nothing is written here
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    command = " ".join(argv[:2] if argv[0] == "lexicon" else argv[:1])
    assert exit_.value.code == 2 and not out and err == f"framing {command}: error: {line}\n"
    assert not list(tmp_path.iterdir())


# The ends of each range, and -1 for every core: taken as they are
GOOD_NUMBERS = [
    (["score", "a.txt", "--jobs", "-1"], "jobs", -1),
    (["score", "a.txt", "--jobs", "1"], "jobs", 1),
    (["compare", "demo", "--jobs", "-1"], "jobs", -1),
    (["compare", "demo", "--boot", "1"], "boot", 1),
    (["compare", "demo", "--seed", "0"], "seed", 0),
    (["chart", "demo", "-o", "x.png", "--top", "1"], "top", 1),
    (["chart", "demo", "-o", "x.png", "--min-n", "1"], "min_n", 1),
    (["chart", "demo", "-o", "x.png", "--terms", "1"], "terms", 1),
    (["predict", "m.skops", "demo", "--explain", "0"], "explain", 0),
    (["predict", "m.skops", "demo", "--jobs", "2"], "jobs", 2),
    (["report", "demo", "-o", "r.html", "--evidence", "0"], "evidence", 0),
    (["kwic", "x", "demo", "--width", "0"], "width", 0),
    (["kwic", "x", "demo", "--sample", "1"], "sample", 1),
    (["kwic", "x", "demo", "--seed", "0"], "seed", 0),
    (["evaluate", "demo", "--misses", "0"], "misses", 0),
    (["train", "demo", "--cv", "2"], "cv", 2),
    (["train", "demo", "--top", "0"], "top", 0),
    (["lexicon", "suggest", "demo", "--by", "outlet", "--max-n", "1"], "max_n", 1),
]


@pytest.mark.parametrize("argv,dest,value", GOOD_NUMBERS)
def test_a_number_in_range_is_taken(argv, dest, value):
    from framing.cli import build_parser

    assert getattr(build_parser().parse_args(argv), dest) == value


def _framing(shell: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "-c", f"{sys.executable} -m framing {shell}"], capture_output=True, text=True,
                          check=False)


def test_a_full_disk_on_standard_output_is_one_line():
    done = _framing(f"score {EXAMPLES / 'wire.txt'} --json > /dev/full")
    assert done.returncode == 2
    assert done.stderr == "framing: error: cannot write the output: no space left on device\n"


def test_closed_standard_output_is_one_line():
    done = _framing(f"score {EXAMPLES / 'wire.txt'} --json >&-")
    assert done.returncode == 2
    assert done.stderr == "framing: error: standard output is closed; redirect it to a file or /dev/null\n"


def test_closed_standard_input_is_one_line():
    done = _framing("score - <&-")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "framing: error: <stdin>: standard input is closed; give a file, or pipe the article in\n"


def test_closed_standard_error_still_gives_the_exit_code():
    done = _framing("score /nonexistent/article.txt 2>&-")
    assert done.returncode == 2 and done.stdout == ""


@pytest.mark.parametrize("setting,value,message", [
    ("window", 0, "window must be a positive integer. Got 0 instead"),
    ("window", 2.5, "window must be a positive integer. Got 2.5 instead"),
    ("lean_min_evidence", -1, "lean_min_evidence must be a finite number of at least 0. Got -1 instead"),
    ("stance_min_evidence", float("nan"), "stance_min_evidence must be a finite number of at least 0. Got nan"),
    ("lean_min_share", 0.2, r"lean_min_share must be a number in \[0.5, 1\]. Got 0.2 instead"),
    ("stance_min_share", 1.5, r"stance_min_share must be a number in \[0.5, 1\]. Got 1.5 instead"),
    ("quoted_weight", -0.5, r"quoted_weight must be a number in \[0, 1\]. Got -0.5 instead"),
    ("weak_weight", "half", r"weak_weight must be a number in \[0, 1\]. Got 'half' instead"),
])
def test_nonsense_scorer_thresholds_are_refused(setting, value, message):
    from framing import Scorer

    with pytest.raises(InputError, match=message):
        Scorer(MINI, **{setting: value})


@pytest.mark.parametrize("setting,value", [("window", 1), ("lean_min_share", 0.5), ("stance_min_share", 1),
                                           ("quoted_weight", 0), ("lean_min_evidence", 100)])
def test_scorer_thresholds_at_their_limits_are_accepted(setting, value):
    from framing import Scorer

    assert getattr(Scorer(MINI, **{setting: value}), setting) == value


ODD_GROUPS = _jsonl(*(json.dumps({"id": str(i), "text": text, "outlet": outlet}, ensure_ascii=False)
                      for i, (text, outlet) in enumerate([
                          (ARTICLE, ["a", "list"]), (ARTICLE, {"an": "object"}), ("تقدمت قوات الوفاق الباسلة.", True),
                          ("تقدمت قوات الوفاق الباسلة.", 1), (ARTICLE, None), (ARTICLE, ["a", "list"])])))


@pytest.mark.parametrize("argv", [
    ["compare", "--json"],
    ["chart", "--kind", "terms", "-o", "{t}/t.png"],
    ["chart", "--kind", "distinctive", "-o", "{t}/d.png"],
    ["chart", "--kind", "outlets", "-o", "{t}/o.png"],
])
def test_grouping_by_lists_objects_and_booleans(tmp_path, capsys, argv):
    """Every grouping uses one rule: lists and objects by their text, JSON true apart from the number 1."""
    path = tmp_path / "c.jsonl"
    path.write_bytes(ODD_GROUPS)
    command, *options = argv
    code, out, err = run(capsys, command, path, "--lexicon", MINI, "--by", "outlet",
                         *[o.format(t=tmp_path) for o in options])
    assert code == 0, err
    if command == "compare":
        groups = {row["group"]: row["n"] for row in json.loads(out)}
        assert groups == {"['a', 'list']": 2, "{'an': 'object'}": 1, "true": 1, 1: 1, None: 1}


def test_every_lexicon_problem_is_one_line(tmp_path, capsys):
    d = tmp_path / "lx"
    shutil.copytree(MINI, d)
    (d / "terms.tsv").write_text("term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss\n"
                                 "ـــ\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\n"
                                 "مرتزقة\tbad\t\t\t\t\t\tg\n", encoding="utf-8")
    code, out, err = run(capsys, "lexicon", "check", d)
    assert code == 3 and not out
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"framing: error: {d / 'terms.tsv'}:") for line in lines)
    assert "no Arabic letter left once normalised" in lines[0] and "kind must be one of" in lines[1]


def test_a_date_with_a_utc_offset_stays_in_the_month_it_was_written(tmp_path, capsys):
    """Late on January 31 in Washington is February in UTC; early on February 1 in Benghazi is
    January in UTC: each article belongs to the month printed on it."""
    dates = ["2020-01-31T23:00:00-05:00", "2020-02-01T01:00:00+03:00", "2020-02-15 12:00Z", "2020-01-10"]
    path = tmp_path / "c.jsonl"
    path.write_bytes(_jsonl(*(json.dumps({"id": str(i), "text": ARTICLE, "outlet": "X", "date": d})
                              for i, d in enumerate(dates))))
    code, out, err = run(capsys, "compare", path, "--lexicon", MINI, "--over", "month", "--json", "--boot", "10")
    assert code == 0, err
    assert {row["period"]: row["n"] for row in json.loads(out)} == {"2020-01": 2, "2020-02": 2}


@pytest.mark.parametrize("others,more", [([], ""), ([7], " (1 more bad date)"), ([7, "x"], " (2 more bad dates)")])
def test_a_bad_date_is_quoted_without_numpy_reprs(tmp_path, capsys, others, more):
    path = tmp_path / "c.jsonl"
    path.write_bytes(_jsonl(*(json.dumps({"text": ARTICLE, "outlet": "X", "date": d}) for d in [2020.5, *others])))
    code, out, err = run(capsys, "compare", path, "--lexicon", MINI, "--over", "month")
    assert code == 2 and not out
    assert one_line(err).endswith(f"field 'date' must be a date like 2020-01-31. Got 2020.5 instead{more}")


NAMED_FILES = [
    # (suffix, content): a corpus or an article whose file name is not UTF-8 (Linux allows any bytes)
    (".jsonl", lambda: _jsonl(json.dumps({"text": ARTICLE, "outlet": "X"}))),
    (".csv", lambda: f'text,outlet\n"{ARTICLE}",X\n'.encode()),
    (".json", lambda: json.dumps([{"text": ARTICLE}], ensure_ascii=False).encode()),
    (".txt", lambda: ARTICLE.encode()),
]


@pytest.mark.parametrize("suffix,content", NAMED_FILES)
@pytest.mark.parametrize("output", [["--json"], ["--format", "jsonl"], ["--format", "csv", "-o", "{tmp}/s.csv"],
                                    ["--json", "--matches", "{tmp}/m.jsonl"]])
def test_a_file_name_that_is_not_utf8_is_written_escaped(tmp_path, capsys, suffix, content, output):
    raw = os.path.join(os.fsencode(tmp_path), b"bad\xff" + suffix.encode())
    with open(raw, "wb") as f:
        f.write(content())
    name = os.fsdecode(raw)  # as a shell passes it: the byte 0xff as a lone surrogate
    code, out, err = run(capsys, "score", name, "--lexicon", MINI, *[o.replace("{tmp}", str(tmp_path)) for o in output])
    assert code == 0, err
    written = out + "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("[sm].*"))
    assert "bad\\\\xff" in written or "bad\\xff" in written
    assert "\udcff" not in written


@pytest.mark.parametrize("argv", [["report", "{name}", "--by", "id", "-o", "{tmp}/r.html"],
                                  ["report", "{name}", "-o", "{tmp}/r.html"]])
def test_a_report_on_a_file_name_that_is_not_utf8(tmp_path, capsys, argv):
    suffix = ".jsonl" if "--by" in argv else ".txt"
    raw = os.path.join(os.fsencode(tmp_path), b"bad\xff" + suffix.encode())
    with open(raw, "wb") as f:
        f.write(_jsonl(json.dumps({"text": ARTICLE})) if suffix == ".jsonl" else ARTICLE.encode())
    argv = [a.replace("{name}", os.fsdecode(raw)).replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, *argv, "--lexicon", MINI)
    assert code == 0, err
    assert "bad\\xff" in (tmp_path / "r.html").read_text(encoding="utf-8")


# --- Article text on a terminal: nothing in it acts on the terminal -----------------------------

ESC, OVERRIDE, RLM, ZWNJ = "\x1b[31m", "\u202e", "\u200f", "\u200c"


@pytest.mark.parametrize("argv", [
    ["score", "{corpus}"],
    ["kwic", "ميليشيات", "{corpus}"],
    ["compare", "{corpus}", "--by", "outlet"],
    ["predict", "{model}", "{corpus}"],
])
def test_article_text_cannot_act_on_the_terminal(tmp_path, capsys, model_file, argv):
    text = f"قصفت{RLM} ميليشيات{ESC} حفتر{OVERRIDE} المدينة، قال{ZWNJ}ت مصادر"
    rows = [{"id": f"a{ESC}{k}", "outlet": f"X{ESC}{OVERRIDE}", "text": text} for k in range(3)]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    argv = [a.replace("{corpus}", str(corpus)).replace("{model}", str(model_file)) for a in argv]
    code, out, err = run(capsys, *argv, "--lexicon", MINI)
    assert code == 0, err
    assert "\x1b" not in out and OVERRIDE not in out
    assert "\\x1b[31m" in out  # written out, not dropped
    if argv[0] in ("score", "kwic"):  # the article's own text: Arabic's marks stay as they are
        assert RLM in out or ZWNJ in out
