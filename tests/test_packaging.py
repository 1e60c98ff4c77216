"""A wheel (a non-editable install) carries the lexicons and the demo corpus, and finds them."""

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT

CHECK = """
import framing, pathlib, sys
from framing.corpus import read_records
assert pathlib.Path(framing.__file__).is_relative_to(sys.argv[1]), framing.__file__
import framing.scorer
assert not framing.scorer.__file__.endswith(".py"), framing.scorer.__file__  # the compiled module
lexicon = framing.load_lexicon()
records = sum(1 for _ in read_records("demo"))
s = framing.score("قصفت ميليشيات الوفاق الأحياء.")
print(lexicon.name, len(lexicon.entries), records, s.parties["gna"].stance)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Build from a copy: building writes build/ and *.egg-info/ next to the sources.
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "setup.py"):
        shutil.copy(ROOT / name, src / name)
    for name in ("framing", "lexicons"):
        # Without the modules compiled in place: the wheel compiles its own.
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.c"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_wheel({str(out)!r})"],
                   cwd=src, check=True, capture_output=True)
    return next(out.glob("framing-*.whl"))


def test_wheel_contains_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    lexicon = {p.relative_to(ROOT / "lexicons").as_posix() for p in (ROOT / "lexicons").glob("*/*.tsv")}
    assert lexicon and {f"framing/_lexicons/{p}" for p in lexicon} <= names
    demo = {p.name for p in (ROOT / "framing" / "data" / "demo").glob("*.jsonl")}
    assert demo and {f"framing/data/demo/{p}" for p in demo} <= names
    # The compiled core, beside the Python sources it was compiled from (the fallback).
    assert any(n.startswith("framing/_core.") and n.endswith((".so", ".pyd")) for n in names)
    assert {"framing/matcher.py", "framing/scorer.py"} <= names
    templates = {p.name for p in (ROOT / "framing" / "render" / "templates").glob("*.j2")}
    assert "article.html.j2" in templates and {f"framing/render/templates/{p}" for p in templates} <= names


def test_installed_wheel_finds_lexicon_and_demo(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    run = subprocess.run([sys.executable, "-c", CHECK, str(target)], env={"PYTHONPATH": str(target)},
                         capture_output=True, text=True, cwd=tmp_path, check=False)
    assert run.returncode == 0, run.stderr
    name, entries, records, stance = run.stdout.split()
    assert name == "libya-2019-2020" and int(entries) > 200
    assert int(records) == sum(1 for p in (ROOT / "framing" / "data" / "demo").glob("*.jsonl")
                               for line in p.open(encoding="utf-8") if line.strip())
    assert stance == "unfavorable"


@pytest.mark.parametrize("args, parallel", [
    ([], "every core"),  # an install compiles the extensions side by side
    (["build_ext", "--parallel", "1"], 1),  # what is asked for on the command line wins
    (["build_ext", "-j", "3"], 3),
])
def test_the_extensions_compile_on_every_core_unless_told(args, parallel, monkeypatch):
    # setuptools first: «distutils» is then setuptools' own, as in pip's build.
    import setuptools  # noqa: F401, I001
    from distutils.core import run_setup

    monkeypatch.chdir(ROOT)  # setup.py names its sources relative to the checkout
    dist = run_setup(str(ROOT / "setup.py"), script_args=args, stop_after="commandline")
    command = dist.get_command_obj("build_ext")
    command.ensure_finalized()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert command.parallel == (cores if parallel == "every core" else parallel)
