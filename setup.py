"""Compile the scoring pipeline's hot modules with Cython, when a C compiler is there.

``framing/_core.pyx`` is the C scan of :mod:`framing.matcher` (its Python twin is
``matcher.PythonScan``); the ``.py`` modules listed below are compiled as they are, so the
compiled and the Python pipeline run the same source. Every extension is optional: without a C
compiler the install still works and runs the Python modules, at about half the speed (see
``benchmarks/bench_score.py``). ``tests/test_compiled.py`` checks that both give the same output.
"""

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
        extension.optional = True  # a failed compile leaves the Python module in use
    return found


class BuildExt(build_ext):
    """Say in one line that the Python modules will be used when compiling fails."""

    def run(self):
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 - any failure here leaves a working install
            print(f"framing: compiled modules not built ({error}); the Python modules will be used")


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExt})
