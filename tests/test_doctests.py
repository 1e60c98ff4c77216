"""The examples in the core modules' docstrings are executed, so they cannot drift."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["framing.normalize", "framing.scorer", "framing.evaluate", "framing.concordance", "framing.suggest"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
