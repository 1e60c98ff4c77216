"""The one exception family that `framing` raises for problems a user can fix.

The CLI turns any :class:`FramingError` into a single line on stderr and a non-zero exit code
(listed in the docstring of :mod:`framing.cli`); anything else is a bug and keeps its traceback.

Messages speak the library's language: they name parameters, never command-line flags. An error
about a parameter the user can change carries its name in ``option`` (e.g. ``"encoding"``), and
the CLI points at the flag that sets it.
"""

import numbers
import re


class FramingError(Exception):
    """Root of every error caused by input, lexicons or model files (exit code 2).

    ``option`` names the parameter that would fix it, when there is one (the CLI shows its flag).
    """

    exit_code = 2

    def __init__(self, *args, option: str | None = None):
        super().__init__(*args)
        self.option = option


class InputError(FramingError):
    """An article, corpus record or option the user gave is unusable (exit code 2)."""


class LexiconError(FramingError):
    """A lexicon file is malformed; the message starts with ``file:line:`` (exit code 3).

    ``errors`` lists every problem found in the files, each ``file:line: message``; the message
    is those lines joined.
    """

    exit_code = 3

    def __init__(self, message: str, errors=(), *, option: str | None = None):
        super().__init__(message, option=option)
        self.errors = tuple(errors) or (message,)


class ModelError(FramingError):
    """A model file is not a framing model, was tampered with or is incompatible (exit code 4)."""

    exit_code = 4


class DependencyError(FramingError):
    """A library framing needs is missing or too old: the installation, not the input (exit code 5)."""

    exit_code = 5


def check_count(name: str, value, positive: bool = True):
    """``value`` if it is a whole number above zero (or, not ``positive``, at least zero): a NumPy
    integer too, never a bool. Else the :class:`InputError` «NAME must be a positive integer. Got
    VALUE instead». The one rule of every count parameter (``n_boot``, ``top``, ``ncols`` ...)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < positive:
        raise InputError(f"{name} must be {'a positive' if positive else 'a non-negative'} integer. "
                         f"Got {value!r} instead")
    return value


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an s unless ``n`` is 1: ``1 file``, ``3 files``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def a_or_an(noun) -> str:
    """``noun`` after its indefinite article, by its first letter: ``an actor``, ``a naming``."""
    noun = str(noun)
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


# Control characters (newlines, ANSI escape sequences), bidi controls, line separators and lone
# surrogates: what would let a string from a file rewrite the terminal or forge another line.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


# In article text shown on a terminal (the text report, concordance lines, group names), only what
# acts on the terminal or reorders a line: control characters but the tab and the line break, the
# line and paragraph separators, and the bidi embeddings, overrides and isolates. The marks Arabic
# copy carries (ZWNJ, LRM, RLM, the Arabic letter mark) are text and stay.
TEXT_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_text(text) -> str:
    """``text`` (lines of a report, perhaps article text) with what would act on a terminal written
    as ``\\xNN`` or ``\\uNNNN``: an article cannot colour the terminal, move its cursor or reverse
    a line of the report (:data:`TEXT_UNSAFE`). Tabs and line breaks stay."""
    return TEXT_UNSAFE.sub(_written, str(text))


def escape(text) -> str:
    """``text`` as one printable line: characters a terminal would act on become ``\\xNN`` or ``\\uNNNN``.

    The CLI prints every message through it, so a string from a model file, a corpus or a file
    name cannot add a line, move the cursor or colour the terminal.
    """
    return UNSAFE.sub(_written, str(text))


def _written(m) -> str:
    """A character as Python writes it in a string: ``\\x1b``, ``\\u202e``."""
    return f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}"
