"""The examples in the core modules' docstrings are executed, so they cannot drift."""

import doctest

import pytest

import framing.normalize
import framing.scorer


@pytest.mark.parametrize("module", [framing.normalize, framing.scorer])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
