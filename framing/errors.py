"""The one exception family that `framing` raises for problems a user can fix.

The CLI turns any :class:`FramingError` into a single line on stderr and a non-zero exit code
(listed in the docstring of :mod:`framing.cli`); anything else is a bug and keeps its traceback.
"""


class FramingError(Exception):
    """Root of every error caused by input, lexicons or model files (exit code 2)."""

    exit_code = 2


class InputError(FramingError):
    """An article, corpus record or option the user gave is unusable (exit code 2)."""


class LexiconError(FramingError):
    """A lexicon file is malformed; the message starts with ``file:line:`` (exit code 3).

    ``errors`` lists every problem found in the files, each ``file:line: message``; the message
    is those lines joined.
    """

    exit_code = 3

    def __init__(self, message: str, errors=()):
        super().__init__(message)
        self.errors = tuple(errors) or (message,)


class ModelError(FramingError):
    """A model file is not a framing model, was tampered with or is incompatible (exit code 4)."""

    exit_code = 4


def skip_or_raise(exc: FramingError, skip_bad: bool, on_skip) -> None:
    """The one policy for a bad record: raise it, or (with ``skip_bad``) report it and go on."""
    if not skip_bad:
        raise exc
    if on_skip is not None:
        on_skip(str(exc))
