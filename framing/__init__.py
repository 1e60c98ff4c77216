"""framing: measure partisan framing in Arabic news.

Quick start::

    from framing import kwic, score
    s = score(text)
    s.lean, s.parties["gna"].stance, [m.to_dict() for m in s.matches]
    kwic("corpus.jsonl", "ميليشيات")   # every occurrence in context, as a DataFrame
"""

import os as _os

if _os.environ.get("FRAMING_PURE_PYTHON"):  # the Python modules, not their compiled twins (see setup.py)
    from ._python_only import install as _install

    _install()

from .corpus import ReaderOptions, Skip
from .errors import DependencyError, FramingError, InputError, LexiconError, ModelError
from .lexicon import Lexicon, load_lexicon
from .normalize import normalize
from .results import Match, PartyStance, Score
from .scorer import Scorer, ScoringRules, score

__version__ = "0.1.0"

__all__ = [
    "DependencyError",
    "FramingError",
    "InputError",
    "Lexicon",
    "LexiconError",
    "Match",
    "ModelError",
    "PartyStance",
    "ReaderOptions",
    "Schema",
    "Score",
    "Scorer",
    "ScoringRules",
    "Skip",
    "__version__",
    "load_lexicon",
    "normalize",
    "score",
]

# Heavier parts (scikit-learn, pandas, matplotlib) load on first use, so `import framing` stays light.
_LAZY = {
    "StanceClassifier": "framing.classifier",
    "LexiconFeatures": "framing.features",
    "StanceModel": "framing.model",
    "load_model": "framing.model",
    "save_model": "framing.model",
    "score_corpus": "framing.table",
    "compare": "framing.table",
    "CompareSettings": "framing.groups",
    "distinctive_terms": "framing.distinctive",
    "kwic": "framing.concordance",
    "Schema": "framing.schema",  # for score tables: not needed to score
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'framing' has no attribute {name!r}")
