from pathlib import Path

import pytest

from framing import Scorer

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SEED = ROOT.parent / "shared" / "seed" / "article.txt"


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
