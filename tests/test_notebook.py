"""The outlet-comparison notebook runs end to end in a fresh kernel, and is committed with outputs."""

import json
import os

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT
from .corpora import many_outlets

NOTEBOOK = ROOT / "notebooks" / "compare_outlets.ipynb"
#: Code cells that draw a chart, found by the call they make.
CHART_CALLS = ("charts.outlet_chart", "charts.term_chart", "charts.trend_chart", "charts.article_chart",
               "charts.distinctive_chart")


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _errors(nb):
    return [(c.source[:60], o.get("ename"), o.get("evalue")) for c in _code(nb) for o in c.outputs
            if o.get("output_type") == "error"]


def _text(cell) -> str:
    parts = []
    for o in cell.outputs:
        if o.get("output_type") == "stream":
            parts.append(o["text"])
        elif "text/plain" in o.get("data", {}):
            parts.append(o["data"]["text/plain"])
    return "\n".join(parts)


def _has_image(cell) -> bool:
    return any("image/png" in o.get("data", {}) for o in cell.outputs)


def test_committed_with_its_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = _code(nb)
    assert all(c.execution_count is not None for c in code), "commit the notebook executed"
    assert not _errors(nb)
    for call in CHART_CALLS:
        assert any(call in c.source and _has_image(c) for c in code), call


def _run(parameters: dict | None = None):
    """Execute the notebook in a fresh kernel, with its parameter cell's values replaced."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in _code(nb):
        cell.outputs, cell.execution_count = [], None
    if parameters:
        cell = next(c for c in _code(nb) if "parameters" in c.metadata.get("tags", []))
        lines = cell.source.splitlines()
        for name, value in parameters.items():
            k = next(i for i, line in enumerate(lines) if line.startswith(f"{name} ="))
            lines[k] = f"{name} = {value!r}"
        cell.source = "\n".join(lines)
    with pytest.MonkeyPatch.context() as mp:  # the kernel imports this checkout of framing
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        NotebookClient(nb, timeout=240, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


@pytest.fixture(scope="module")
def executed():
    return _run()


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """The notebook on a corpus shaped unlike the demo: 40 outlets under another field name, other
    alignment values (pro_lna ...), a third of the dates missing, null or empty."""
    path = many_outlets(tmp_path_factory.mktemp("nb") / "corpus.jsonl", outlets=40)
    return _run({"CORPUS": str(path), "GROUP": "source", "LINE": "alignment"}), path


def test_runs_end_to_end_in_a_fresh_kernel(executed):
    assert not _errors(executed)
    code = _code(executed)
    assert all(c.execution_count is not None for c in code)
    for call in CHART_CALLS:
        assert any(call in c.source and _has_image(c) for c in code), f"{call} drew nothing"


def test_results_it_shows(executed):
    text = "\n".join(_text(c) for c in _code(executed))
    assert "articles from" in text and "lexicon libya-2019-2020" in text
    assert "classifier accuracy on" in text  # the classifier was trained and applied
    assert "all voices" in text  # the narrator / all-voices comparison ran
    assert "positive z: typical of pro-lna; negative z: typical of pro-gna" in text
    ranking = next(_text(c) for c in _code(executed) if "editorial_line" in c.source)
    lines = [line for line in ranking.splitlines() if line.rstrip().endswith(("pro-lna", "pro-gna", "neutral"))]
    order = [line.split()[-1] for line in lines]
    assert max(i for i, a in enumerate(order) if a == "pro-lna") < min(i for i, a in enumerate(order) if a == "pro-gna")


def test_runs_on_a_differently_shaped_corpus(elsewhere):
    nb, path = elsewhere
    assert not _errors(nb)
    code = _code(nb)
    for call in CHART_CALLS:
        assert any(call in c.source and _has_image(c) for c in code), f"{call} drew nothing"
    text = "\n".join(_text(c) for c in code)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    undated = sum(1 for r in rows if not r.get("date"))
    assert f"{len(rows)} articles from 40 groups" in text
    assert f"{undated} of {len(rows)} articles have no 'date': left out of the trends" in text
    assert "40 groups; the first and last 6 by slant:" in text  # long tables are cut to TOP rows
    # group names come from the data: the editorial lines are this corpus's own spellings
    assert "positive z: typical of pro_lna; negative z: typical of pro_gna" in text
    assert "classifier accuracy on" in text
