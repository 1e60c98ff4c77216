"""Chart functions return a Figure, or draw in the place of a given Axes; figures save to a path or a
file object."""

import io

import pandas as pd
import pytest
from matplotlib.figure import Figure, SubFigure

from framing import InputError, Scorer
from framing.charts import article_chart, distinctive_chart, outlet_chart, save_figure, term_chart, trend_chart
from framing.distinctive import distinctive_terms
from framing.groups import compare
from framing.table import score_corpus

from .conftest import DATA

MINI = DATA / "mini"
PRO_LNA = "قصفت ميليشيات الوفاق ومرتزقة الوفاق الأحياء السكنية."
PRO_GNA = "قصفت ميليشيات حفتر ومرتزقة حفتر الأحياء السكنية."


@pytest.fixture(scope="module")
def scored():
    rows = [{"id": f"a{i}", "outlet": outlet, "date": f"2020-0{1 + i % 2}-1{i % 9}", "text": text}
            for i in range(12) for outlet, text in (("Dawn", PRO_LNA), ("Noon", PRO_GNA))]
    return score_corpus(pd.DataFrame(rows), lexicon=MINI, progress=False)


CHARTS = {
    "article": lambda df, **kw: article_chart(Scorer(MINI).score(PRO_LNA), lexicon=MINI, **kw),
    "outlets": lambda df, **kw: outlet_chart(compare(df, n_boot=50), **kw),
    "trend": lambda df, **kw: trend_chart(compare(df, over="month", n_boot=50), **kw),
    "terms": lambda df, **kw: term_chart(df, top=4, **kw),
    "distinctive": lambda df, **kw: distinctive_chart(distinctive_terms(df, "outlet", min_count=1), top=4, **kw),
}


@pytest.mark.parametrize("kind", CHARTS)
def test_a_chart_is_a_new_figure_by_default(scored, kind):
    fig = CHARTS[kind](scored)
    assert type(fig) is Figure and fig.axes and not fig.subfigs


@pytest.mark.parametrize("kind", CHARTS)
def test_a_chart_draws_in_the_place_of_a_given_axes(scored, kind):
    fig = Figure(figsize=(16, 6), layout="constrained")
    mine, theirs = fig.subplots(1, 2)
    mine.plot([0, 1], [1, 0])
    out = CHARTS[kind](scored, ax=theirs)
    assert out is fig
    assert theirs not in fig.axes and mine in fig.axes  # the given Axes gave its place; the other is untouched
    assert len(fig.subfigs) == 1 and isinstance(fig.subfigs[0], SubFigure)
    assert fig.subfigs[0].axes  # the chart's panels are there
    save_figure(fig, io.BytesIO())  # and the whole figure still draws


@pytest.mark.parametrize("bad", [object(), "left"])
def test_ax_must_be_an_axes(scored, bad):
    with pytest.raises(InputError, match="ax must be a matplotlib Axes"):
        term_chart(scored, top=4, ax=bad)


@pytest.mark.parametrize("fmt, magic", [(None, b"\x89PNG"), ("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF"),
                                        (".SVG", b"<?xml")])
def test_save_to_a_file_object(scored, fmt, magic):
    buffer = io.BytesIO()
    assert save_figure(term_chart(scored, top=4), buffer, format=fmt) is buffer
    assert buffer.getvalue().startswith(magic)


@pytest.mark.parametrize("target, fmt, message", [
    ("buffer", "jpg", "format must be one of png, svg, pdf. Got 'jpg' instead"),
    ("chart.png", "svg", "format 'svg' does not match the extension '.png'"),
    ("chart.gif", None, "must end in"),
])
def test_save_refuses_a_format_it_does_not_write(scored, tmp_path, target, fmt, message):
    out = io.BytesIO() if target == "buffer" else tmp_path / target
    with pytest.raises(InputError, match=message):
        save_figure(term_chart(scored, top=4), out, format=fmt)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_save_to_a_path_follows_its_extension(scored, tmp_path):
    path = save_figure(term_chart(scored, top=4), tmp_path / "c.svg")
    assert path.read_bytes().startswith(b"<?xml")
