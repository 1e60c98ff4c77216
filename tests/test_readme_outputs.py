"""What the README shows a command printing on the bundled demo corpus is what it prints now.

The README quotes real output (its rule: every figure is one a command or a script prints). A
change of the lexicon or the rules moves those figures, and a quoted table that nobody re-ran goes
stale without failing anything: this reads each console block of the README whose command runs on
what a fresh clone has (the demo corpus, the lexicon, no ``../shared`` data, no output file), runs
it, and checks every line the README shows, in order (a line of ``…`` stands for lines left out).
"""

import json
import re
import subprocess
import sys

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ELIDED = "…"

# A block of one command and its output: «```», «$ framing ...», the lines it printed, «```».
_CONSOLE = re.compile(r"```\n\$ (framing [^\n]*)\n(.*?)```", re.DOTALL)
# The outlet table, quoted after a sentence naming its command rather than in a console block.
_COMPARE = re.compile(r"What `(framing compare demo --by outlet)` prints[^\n]*\n\n```\n(.*?)```", re.DOTALL)
# The first group of `framing compare demo --by outlet --json`, quoted as the JSON contract's example
# with keys left out («"...": ...»).
_COMPARE_JSON = re.compile(r"### JSON contract \(`framing compare --json`\).*?```json\n(.*?)```", re.DOTALL)


def _runnable(command: str, output: str) -> bool:
    """Whether a block is one command and its output (not a list of commands, each on a «$» line)
    that a fresh clone can run as the README writes it."""
    words = command.split()
    return (not any(line.startswith("$ ") for line in output.splitlines()) and "../shared" not in command
            and "-o" not in words and ("demo" in words or words[1:3] == ["lexicon", "lint"]))


def _blocks():
    found = [(cmd, out) for cmd, out in _CONSOLE.findall(README) if _runnable(cmd, out)]
    found += _COMPARE.findall(README)
    return found


BLOCKS = _blocks()


def _printed(command: str) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "framing", *command.split()[1:]], check=False, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # The demo corpus's files are named by their full path; the README names them from the root.
    return (result.stdout + result.stderr).replace(f"{ROOT}/", "").splitlines()


def _missing(shown: list[str], printed: list[str]) -> list[str]:
    """The README lines not printed, or printed out of the README's order."""
    missing, at = [], 0
    for line in shown:
        if line == ELIDED:
            continue
        try:
            at = printed.index(line, at) + 1
        except ValueError:
            missing.append(line)
    return missing


def test_the_readme_quotes_runnable_commands():
    commands = [cmd for cmd, _ in BLOCKS]
    # The blocks this file exists for: if a rewrite of the README drops their form, say so.
    for expected in ("framing evaluate demo --misses 3", "framing compare demo --by outlet", "framing lexicon lint"):
        assert expected in commands


@pytest.mark.parametrize("command,output", BLOCKS, ids=[cmd for cmd, _ in BLOCKS])
def test_each_quoted_output_is_what_the_command_prints(command, output):
    shown = output.rstrip("\n").split("\n")
    assert _missing(shown, _printed(command)) == []


@pytest.mark.parametrize("command,output,runnable", [
    ("framing evaluate demo --misses 3", "the 3 texts ...\n", True),
    ("framing lexicon lint", "", True),
    ("framing score demo --json", "$ framing score x.txt\n", False),  # a list of commands
    ("framing evaluate ../shared/data/libya-dev.jsonl", "lean ...\n", False),  # not in a clone
    ("framing chart demo -o outlets.png", "", False),  # writes a file
    ("framing score corpus.jsonl", "", False),  # a corpus of the reader's
])
def test_blocks_are_run_only_where_a_fresh_clone_can(command, output, runnable):
    assert _runnable(command, output) is runnable


@pytest.mark.parametrize("shown,printed,missing", [
    (["a", "b"], ["a", "b", "c"], []),
    (["a", ELIDED, "c"], ["a", "b", "c"], []),
    (["b", "a"], ["a", "b"], ["a"]),  # out of order
    (["a", "x"], ["a", "b"], ["x"]),  # a stale line
])
def test_lines_are_checked_in_order(shown, printed, missing):
    assert _missing(shown, printed) == missing


def _subset_mismatches(shown, printed, path="") -> list[str]:
    """Where ``shown`` (the README's JSON, «"..."» keys standing for what it leaves out) differs
    from ``printed``."""
    if isinstance(shown, dict):
        if not isinstance(printed, dict):
            return [path]
        return [m for k, v in shown.items() if k != "..."
                for m in (_subset_mismatches(v, printed[k], f"{path}.{k}") if k in printed else [f"{path}.{k}"])]
    if isinstance(shown, list):
        if not isinstance(printed, list) or len(printed) < len(shown):
            return [path]
        return [m for i, v in enumerate(shown) for m in _subset_mismatches(v, printed[i], f"{path}[{i}]")]
    return [] if shown == printed else [f"{path}: README {shown!r}, printed {printed!r}"]


def test_the_compare_json_example_is_what_the_command_prints():
    shown = json.loads(_COMPARE_JSON.search(README).group(1))
    printed = json.loads("\n".join(_printed("framing compare demo --by outlet --json")))
    assert _subset_mismatches(shown, printed) == []


@pytest.mark.parametrize("shown,printed,mismatches", [
    ({"a": 1, "...": "more"}, {"a": 1, "b": 2}, []),
    ([{"a": {"b": 1.5}}], [{"a": {"b": 1.5, "c": 0}}, {}], []),
    ({"a": 1}, {"a": 2}, [".a: README 1, printed 2"]),
    ({"a": 1}, {}, [".a"]),
])
def test_json_examples_are_compared_key_by_key(shown, printed, mismatches):
    assert _subset_mismatches(shown, printed) == mismatches
