"""``FRAMING_PURE_PYTHON=1``: run every compiled module of ``framing`` from its ``.py`` source.

``pip install`` compiles the scoring pipeline with Cython when a C compiler is there (see
``setup.py``); the output must not depend on it. With this variable set, the package's import
system loads each ``framing`` module from its Python source instead of its compiled twin, and
``framing._core`` (C only) is not found, so each of its pieces falls back to its Python twin.
The tests compare both pipelines byte for byte this way; a researcher can do the same to check
that a result does not depend on the compiled code (at a quarter to a half of the speed: see
``benchmarks/bench_score.py``).
"""

from __future__ import annotations

import sys
from importlib.machinery import EXTENSION_SUFFIXES, PathFinder
from importlib.util import spec_from_file_location
from pathlib import Path


class PreferSource:
    """A meta path finder: ``framing`` modules from their ``.py`` files, never from an extension."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if not name.startswith("framing."):
            return None
        if name == "framing._core":
            raise ImportError("FRAMING_PURE_PYTHON is set: framing._core is not used")
        spec = PathFinder.find_spec(name, path)
        if spec is None or not spec.origin or not spec.origin.endswith(tuple(EXTENSION_SUFFIXES)):
            return spec
        source = Path(spec.origin).parent / (name.rpartition(".")[2] + ".py")
        return spec_from_file_location(name, source) if source.is_file() else spec


def install() -> None:
    """Put :class:`PreferSource` first on ``sys.meta_path`` (once)."""
    if PreferSource not in sys.meta_path:
        sys.meta_path.insert(0, PreferSource)
