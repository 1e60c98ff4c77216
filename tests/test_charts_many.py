"""Charts of many groups: bounded figures, titles that count what is drawn, gaps in trends, ax=/fig=."""


import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from framing import charts
from framing.cli import main
from framing.errors import InputError
from framing.table import compare, score_corpus

from .corpora import many_outlets

OUTLETS = 200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return many_outlets(tmp_path_factory.mktemp("many") / "c.jsonl", outlets=OUTLETS, copies=4)


@pytest.fixture(scope="module")
def df(corpus):
    return score_corpus(corpus, progress=False)


@pytest.fixture(scope="module")
def table(df):
    return compare(df, by="source", n_boot=100)


@pytest.fixture(scope="module")
def trend(df):
    return compare(df, by="source", over="quarter", n_boot=50)


def _ticks(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def _size_ok(fig):
    width, height = fig.get_size_inches()
    return width <= charts.MAX_INCHES[0] and height <= charts.MAX_INCHES[1]


def test_many_outlets_are_capped_with_a_title_that_says_so(table):
    assert table["source"].nunique() == OUTLETS
    fig = charts.outlet_chart(table)
    drawn = _ticks(fig.axes[0])
    assert len(drawn) == charts.MAX_GROUPS["outlets"] and _size_ok(fig)
    largest = table.sort_values("n", ascending=False, kind="stable")["n"].iloc[charts.MAX_GROUPS["outlets"] - 1]
    assert all(int(t.rsplit("n=", 1)[1].rstrip(")")) >= largest for t in drawn)
    articles = sum(int(t.rsplit("n=", 1)[1].rstrip(")")) for t in drawn)
    assert (f"40 of {OUTLETS} groups by source (the 40 with most articles), {articles:,} of "
            f"{int(table['n'].sum()):,} articles") in fig._suptitle.get_text()


@pytest.mark.parametrize("kwargs, expect", [
    ({"top": 5}, lambda t: t.nlargest(5, "n", keep="first")),
    ({"min_n": 10}, lambda t: t[t["n"] >= 10]),
    ({"groups": ["Source 002 / pro_lna", "Source 000 / neutral"]},
     lambda t: t[t["source"].isin(["Source 002 / pro_lna", "Source 000 / neutral"])]),
])
def test_choosing_groups(table, kwargs, expect):
    fig = charts.outlet_chart(table, **kwargs)
    want = expect(table)
    assert 0 < len(want) <= charts.MAX_GROUPS["outlets"]
    assert {t.rsplit(" (n=", 1)[0] for t in _ticks(fig.axes[0])} == set(want["source"])
    assert f"{int(want['n'].sum()):,} of" in fig._suptitle.get_text()
    # in slant order, as in the table
    order = [t.rsplit(" (n=", 1)[0] for t in _ticks(fig.axes[0])]
    assert order == [g for g in table["source"] if g in set(want["source"])]


@pytest.mark.parametrize("kwargs, message", [
    ({"groups": ["Nowhere"]}, "no group 'Nowhere'; groups are:"),
    ({"top": 0}, "top must be a positive integer. Got 0 instead"),
    ({"min_n": 10_000}, "no group has 10000 articles or more"),
])
def test_bad_choices(table, kwargs, message):
    with pytest.raises(InputError, match=message):
        charts.outlet_chart(table, **kwargs)


def test_term_heatmap_of_many_groups_is_bounded(df):
    fig = charts.term_chart(df, by="source")
    ax = fig.axes[0]
    assert len(ax.get_xticklabels()) == charts.MAX_GROUPS["terms"] and _size_ok(fig)
    assert not ax.texts  # no numbers squeezed into 25 columns
    assert "25 of 200 groups by source" in fig._suptitle.get_text()
    few = charts.term_chart(df, by="source", top_groups=4, top=5)
    assert len(few.axes[0].get_xticklabels()) == 4 and len(few.axes[0].get_yticklabels()) == 5
    assert few.axes[0].texts  # with few columns the rates are written in the cells


def test_trend_breaks_lines_across_empty_periods_and_labels_every_panel(trend, df):
    fig = charts.trend_chart(trend)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert len(panels) == charts.MAX_GROUPS["trend"] and _size_ok(fig)
    fig.canvas.draw()
    for ax in panels:
        assert ax.get_title()
        assert any(t.get_visible() and t.get_text() for t in ax.get_xticklabels()), ax.get_title()
    periods = sorted(set(trend["period"]))
    gaps = 0
    for ax in panels:
        group = ax.get_title().rsplit(" (n=", 1)[0]
        line = next(line for line in ax.get_lines() if len(line.get_xdata()) > 2)
        y = np.asarray(line.get_ydata(), float)
        have = set(trend.loc[trend["source"] == group, "period"])
        assert len(y) == len(periods)
        assert [not np.isnan(v) for v in y] == [p in have for p in periods]
        gaps += sum(p not in have for p in periods)
    assert gaps  # the corpus does have empty periods, shown as gaps
    undated = int(df["date"].isna().sum() + (df["date"] == "").sum())
    assert trend.attrs["undated"] == undated > 0
    assert f"{undated:,} undated articles left out" in fig._suptitle.get_text()


def test_group_options_hold_in_a_composed_figure(table, df, trend):
    fig = Figure(figsize=(20, 14), layout="constrained")
    cells = fig.subplots(2, 2)
    assert charts.outlet_chart(table, top=6, ax=cells[0, 0]) is fig
    assert charts.term_chart(df, by="source", top_groups=5, ax=cells[0, 1]) is fig
    assert charts.trend_chart(trend, top=3, ax=cells[1, 0]) is fig
    outlets, terms, trends = fig.subfigs
    assert len(_ticks(outlets.axes[0])) == 6 and "6 of 200 groups" in outlets._suptitle.get_text()
    assert len(terms.axes[0].get_xticklabels()) == 5
    assert len([ax for ax in trends.axes if ax.axison]) == 3
    assert tuple(fig.get_size_inches()) == (20, 14)  # the caller's figure keeps its size


@pytest.mark.parametrize("args", [
    ["--kind", "outlets", "--top", "8"],
    ["--kind", "terms", "--min-n", "10"],
    ["--kind", "trend", "--over", "quarter", "--groups", "Source 002 / pro_lna", "Source 003 / neutral"],
    ["--kind", "distinctive", "--groups", "Source 002 / pro_lna", "Source 003 / neutral", "--terms", "5"],
])
def test_cli_many_groups(corpus, tmp_path, capsys, args):
    out = tmp_path / "c.png"
    assert main(["chart", str(corpus), "--by", "source", *args, "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_cli_distinctive_needs_two_groups(corpus, tmp_path, capsys):
    assert main(["chart", str(corpus), "--by", "source", "--kind", "distinctive", "--groups", "Source 002 / pro_lna",
                 "-o", str(tmp_path / "d.png")]) == 2
    assert "--kind distinctive compares two groups: give --groups A B" in capsys.readouterr().err


# A group is picked by the name charts and tables give it: «(missing)» for the articles without a
# value (a value written so keeps it), a number by its digits.
@pytest.mark.parametrize("sizes, groups, chosen", [
    ({"A": 3, None: 2, "B": 1}, ["(missing)"], [None]),
    ({"A": 3, None: 2, "B": 1}, ["B", None], [None, "B"]),
    ({"(missing)": 3, None: 2}, ["(missing)"], ["(missing)"]),
    ({5: 3, 7: 1}, ["5"], [5]),
    # must NOT: Python's name for a missing value is no group's
    ({"A": 3, None: 2}, ["None"], "no group 'None'; groups are: A, (missing)"),
])
def test_groups_are_picked_by_the_names_charts_give_them(sizes, groups, chosen):
    if isinstance(chosen, str):
        with pytest.raises(InputError, match=re.escape(chosen)):
            charts.choose_groups(sizes, groups=groups)
    else:
        assert charts.choose_groups(sizes, groups=groups) == chosen
