from pathlib import Path

import pytest

from framing import Scorer

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SEED = ROOT.parent / "shared" / "seed" / "article.txt"

# As from a terminal: a shell starts background jobs with Ctrl-C ignored, which the child would inherit.
INTERACTIVE = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
               "from framing.cli import main; sys.exit(main(sys.argv[1:]))")


def framing_at_a_terminal(*argv, **popen):
    """``framing ARGV`` in a child process whose Ctrl-C raises KeyboardInterrupt, as at a terminal,
    its output and errors piped (``popen``: more arguments of :class:`subprocess.Popen`)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", INTERACTIVE, *argv], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **popen)


@pytest.fixture(scope="session")
def mini():
    """Scorer with the small rule-by-rule test lexicon."""
    return Scorer(DATA / "mini")


@pytest.fixture(scope="session")
def forms():
    return Scorer(DATA / "forms")


@pytest.fixture(scope="session")
def mini_decorated_scorer():
    return Scorer(DATA / "mini")
