"""framing: measure partisan framing in Arabic news.

Quick start::

    from framing import score
    s = score(text)
    s.lean, s.parties["gna"].stance, [m.to_dict() for m in s.matches]
"""

from .errors import FramingError, InputError, LexiconError, ModelError
from .lexicon import Lexicon, load_lexicon
from .normalize import normalize
from .results import Match, PartyStance, Score
from .scorer import Scorer, score

__version__ = "0.1.0"

__all__ = [
    "FramingError", "InputError", "LexiconError", "ModelError", "Lexicon", "load_lexicon", "normalize",
    "Match", "PartyStance", "Score", "Scorer", "score", "__version__",
]
