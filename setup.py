"""Compile the scoring pipeline's hot modules with Cython, when a C compiler is there.

``framing/_core.pyx`` is the C scan of :mod:`framing.matcher` (its Python twin is
``matcher.PythonScan``); the ``.py`` modules listed below are compiled as they are, so the
compiled and the Python pipeline run the same source. Every extension is optional: without a C
compiler the install still works and runs the Python modules, at a quarter to a half of the speed (see
``benchmarks/bench_score.py``). ``tests/test_compiled.py`` checks that both give the same output.
"""

import os

from setuptools import setup
from setuptools.command.build_ext import build_ext

#: Compiled as they are; together most of the time ``Scorer.score`` takes.
COMPILED = ["framing/_core.pyx", "framing/matcher.py", "framing/normalize.py", "framing/voice.py",
            "framing/attach.py", "framing/scorer.py", "framing/results.py", "framing/jsonl.py", "framing/lexicon.py"]


def extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:  # built without build isolation and without Cython: the Python modules run
        return []
    # annotation_typing off: a compiled function must accept (and reject) exactly what the Python
    # one does, so annotations stay documentation.
    found = cythonize(COMPILED, quiet=True, compiler_directives={
        "language_level": 3, "binding": True, "annotation_typing": False})
    for extension in found:
        # A failed compile (no C compiler) only warns, and leaves the Python module in use.
        extension.optional = True
    return found


class build_ext_on_every_core(build_ext):
    """``build_ext``, compiling the extensions side by side, one per core the install may use.

    They are independent C files, and compiling them is most of the install's time: one at a time
    (``build_ext``'s default) leaves all cores but one idle. ``--parallel N`` still chooses."""

    def finalize_options(self):
        super().finalize_options()
        if self.parallel is None:
            self.parallel = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


setup(ext_modules=extensions(), cmdclass={"build_ext": build_ext_on_every_core})
