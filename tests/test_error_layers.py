"""Error layering: library messages name parameters, never command-line flags; the CLI adds the flag
that sets the parameter an error names."""

import numpy as np
import pytest

from framing import FramingError, InputError
from framing.cli import flag_hint, main
from framing.corpus import ReaderOptions, read_items
from framing.errors import check_count
from framing.evaluation import check_folds

from .conftest import DATA

MINI = str(DATA / "mini")


@pytest.mark.parametrize("option, hint", [
    (None, ""),
    ("encoding", " (--encoding)"),
    ("text_field", " (--text-field)"),
    ("group_by", " (--group-by)"),
    ("folds", " (--cv)"),  # the one parameter whose flag has another name
])
def test_flag_hint(option, hint):
    assert flag_hint(InputError("x", option=option)) == hint


def _bad_encoding(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes('{"text": "قصف"}\n'.encode("cp1256"))
    return list(read_items(str(path), ReaderOptions()))


def _no_text_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,body\n1,x\n", encoding="utf-8")
    return list(read_items(str(path), ReaderOptions()))


# (what raises, the parameter it names)
LIBRARY_ERRORS = [
    (_bad_encoding, "encoding"),
    (_no_text_column, "text_field"),
    (lambda tmp: check_folds("lna", ["favorable"] * 5 + ["neutral"], 5), "folds"),
    (lambda tmp: check_folds("lna", ["favorable", "neutral"] * 3, 2, ["a"] * 6, "outlet"), "group_by"),
]


@pytest.mark.parametrize("raise_it, option", LIBRARY_ERRORS)
def test_library_messages_name_no_flag(tmp_path, raise_it, option):
    with pytest.raises(FramingError) as info:
        raise_it(tmp_path)
    assert info.value.option == option
    assert "--" not in str(info.value)


@pytest.mark.parametrize("name, content, flag", [
    ("c.jsonl", '{"text": "قصف"}\n'.encode("cp1256"), "(--encoding)"),
    ("c.csv", b"id,body\n1,x\n", "(--text-field)"),
])
def test_the_cli_names_the_flag(tmp_path, capsys, name, content, flag):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["score", str(path), "--lexicon", MINI]) == 2
    err = capsys.readouterr().err
    assert err.startswith("framing: error: ") and err.rstrip().endswith(flag) and err.count("\n") == 1


# One rule for every count parameter: a whole number (a NumPy one too), never a bool.
@pytest.mark.parametrize("value, positive, refused", [
    (1, True, None), (np.int64(3), True, None), (0, False, None), (np.uint8(0), False, None),
    (0, True, "n must be a positive integer. Got 0 instead"),
    (-1, False, "n must be a non-negative integer. Got -1 instead"),
    (True, True, "n must be a positive integer. Got True instead"),
    (2.0, True, "n must be a positive integer. Got 2.0 instead"),
    ("3", True, "n must be a positive integer. Got '3' instead"),
    (None, False, "n must be a non-negative integer. Got None instead"),
])
def test_check_count(value, positive, refused):
    if refused is None:
        assert check_count("n", value, positive=positive) is value
    else:
        with pytest.raises(InputError) as error:
            check_count("n", value, positive=positive)
        assert str(error.value) == refused
