"""Charts: each returns a Figure with the expected artists and labels, and Arabic is shaped."""

import io
import re
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from framing import InputError, Scorer, charts, load_lexicon
from framing.distinctive import distinctive_terms
from framing.palette import SEVERAL
from framing.table import compare, score_corpus

from .conftest import DATA

matplotlib.use("Agg")  # no display in tests

MINI = DATA / "mini"
WORD = "ميليشيات"
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# 8 words each; A frames the GNA as militias, B praises forces and condemns Haftar's aggression.
A_TEXT = "تقدمت ميليشيات الوفاق نحو الجنوب وسط قصف عنيف."
B_TEXT = "صدت القوات الباسلة عدوان حفتر وسط قصف عنيف."
C_TEXT = "عقد المبعوث اجتماعا في جنيف وسط قصف عنيف."
QUOTED = "قصفت ميليشيات حفتر الأحياء. وقال المسماري إن «ميليشيات الوفاق تقصف المدنيين»."


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(MINI)


@pytest.fixture(scope="module")
def scored():
    rows = []
    for i in range(12):
        for outlet, text in (("Alpha", A_TEXT), ("Beta", B_TEXT), ("Gamma", C_TEXT)):
            rows.append({"outlet": outlet, "date": f"2020-{1 + i % 4:02d}-05", "text": text})
    rows.append({"outlet": "Delta", "date": "2020-01-09", "text": A_TEXT})
    return score_corpus(pd.DataFrame(rows), lexicon=MINI, progress=False)


def _render(fig: Figure) -> None:
    """Draw to PNG with warnings as errors (a missing Arabic glyph warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")


def _labels(ax, axis="y"):
    return [t.get_text() for t in (ax.get_yticklabels() if axis == "y" else ax.get_xticklabels())]


# --- Arabic rendering -----------------------------------------------------------------------


def _renderer():
    fig = Figure(figsize=(4, 1), dpi=100)
    FigureCanvasAgg(fig)
    return fig, fig.canvas.get_renderer()


def test_arabic_word_is_drawn_joined():
    fig, renderer = _renderer()
    joined = fig.text(0, 0, WORD, fontsize=20).get_window_extent(renderer).width
    isolated = sum(fig.text(0, 0, letter, fontsize=20).get_window_extent(renderer).width for letter in WORD)
    assert joined < 0.8 * isolated  # letters in their joined forms are narrower than standing alone


def _ink_right_of_left(text):
    """Ink in the right half of a drawn string divided by ink in its left half."""
    fig = Figure(figsize=(2, 1), dpi=100)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, fontsize=40, ha="center", va="center")
    canvas.draw()
    ink = 255 - np.asarray(canvas.buffer_rgba())[:, :, 0].astype(int)
    columns = np.flatnonzero(ink.sum(axis=0) > 0)
    middle = (columns[0] + columns[-1]) // 2
    return ink[:, middle:].sum() / ink[:, :middle].sum()


def test_arabic_is_drawn_right_to_left():
    # The wide, dotted shin has much more ink than the thin alef. Written first, it must be drawn
    # on the right; written second, on the left.
    assert _ink_right_of_left("ش ا") > 1.2
    assert _ink_right_of_left("ا ش") < 1 / 1.2


def test_svg_uses_joined_glyphs():
    def glyphs(text):
        fig = Figure()
        fig.text(0.1, 0.5, text)
        out = io.StringIO()
        fig.savefig(out, format="svg")
        return set(re.findall(r'xlink:href="#(DejaVuSans-[0-9a-f]+)"', out.getvalue()))

    joined, apart = glyphs(WORD), glyphs(" ".join(WORD))
    assert len(joined - apart) >= 4  # initial/medial/final forms that the isolated letters never use


def test_labels_are_plain_unicode_not_reshaped(lexicon):
    score = Scorer(lexicon).score(QUOTED)
    fig = charts.article_chart(score, lexicon=lexicon)
    texts = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    arabic = [t for t in texts if re.search("[\u0621-\u064a]", t)]
    assert arabic and not any(PRESENTATION_FORMS.search(t) for t in arabic)
    assert any(WORD in t for t in arabic)  # logical order, as in the article


def test_old_matplotlib_is_refused(monkeypatch):
    monkeypatch.setattr(charts.matplotlib, "__version__", "3.9.2")
    from framing import DependencyError

    with pytest.raises(DependencyError, match="matplotlib 3.11 or newer.*Got matplotlib 3.9.2") as info:
        charts.outlet_chart(pd.DataFrame())
    assert info.value.exit_code == 5  # the installation, not the input


# --- Glosses --------------------------------------------------------------------------------


@pytest.mark.parametrize("gloss,expected", [
    ("militias", "militias"),
    ("aggressor, 'المعتدين' [pro-GNA media]", "aggressor"),
    ("the Field Marshal; Haftar's rank (weak)", "the Field Marshal"),
    ("an extraordinarily long gloss that goes on and on", "an extraordinarily long gloss…"),
    (None, ""),
])
def test_short_gloss(gloss, expected):
    assert charts.short_gloss(gloss) == expected


def test_term_label_puts_english_first():
    assert charts.term_label(WORD, "militias") == f"militias · {WORD}"
    assert charts.term_label(WORD, None) == WORD


LONG = "/home/researcher/corpora/libya-2020/outlet-x/part-0007.jsonl:12"  # an id: a file's line


@pytest.mark.parametrize("groups,expected", [
    (["Alpha", 7], ["Alpha", "7"]),
    (["x" * 32], ["x" * 32]),  # as wide as allowed: whole
    ([LONG], ["/home/researche…rt-0007.jsonl:12"]),  # both ends kept, 32 characters
    ([LONG, "Alpha"], ["/home/researche…rt-0007.jsonl:12", "Alpha"]),
    # the same ends: cut, they would read alike, so both stay whole
    ([LONG, LONG.replace("outlet-x", "outlet-y")], [LONG, LONG.replace("outlet-x", "outlet-y")]),
])
def test_group_labels(groups, expected):
    labels = charts.group_labels(groups)
    assert labels == expected
    for label, group in zip(labels, map(str, groups)):
        if label != group:  # cut: as wide as allowed, the name's two ends around «…»
            head, tail = label.split("…")
            assert len(label) == charts.GROUP_WIDTH and group.startswith(head) and group.endswith(tail)


def test_charts_of_one_group_with_a_long_name_fit_their_figure(lexicon, scored):
    rows = [{"outlet": LONG, "date": f"2020-0{month}-05", "text": A_TEXT} for month in (1, 2)]
    df = score_corpus(pd.DataFrame(rows), lexicon=MINI, progress=False)
    outlet = charts.outlet_chart(compare(df, n_boot=20))
    terms = charts.term_chart(df, lexicon=lexicon)
    trend = charts.trend_chart(compare(df, over="month", n_boot=20))  # one panel
    for fig in (outlet, terms, trend):
        _render(fig)  # constrained layout gave up (a warning) when a long name squeezed the axes to nothing
        inside = fig.bbox.padded(1)
        for text in (fig._suptitle, *(t for legend in fig.legends for t in legend.get_texts())):
            box = text.get_window_extent()
            assert inside.x0 <= box.x0 and box.x1 <= inside.x1, text.get_text()
    assert _labels(outlet.axes[0]) == ["/home/researche…rt-0007.jsonl:12 (n=2)"]
    assert trend.axes[0].get_title() == "/home/researche…rt-0007.jsonl:12 (n=2)"
    assert _labels(terms.axes[0], "x") == ["/home/researche…rt-0007.jsonl:12"]
    words = distinctive_terms(scored, "outlet", ("Alpha", "Beta"))
    pair = charts.distinctive_chart(words, top=3, groups=(LONG, "Beta"))
    assert [ax.get_title() for ax in pair.axes] == ["typical of Beta", "typical of /home/researche…rt-0007.jsonl:12"]


# --- The charts -----------------------------------------------------------------------------


def test_article_chart(lexicon):
    score = Scorer(lexicon).score(QUOTED, {"id": "q1"})
    fig = charts.article_chart(score, lexicon=lexicon)
    _render(fig)
    assert isinstance(fig, Figure)
    top, bottom = fig.axes
    assert "q1" in fig.get_suptitle()
    assert set(_labels(top)) == {"LNA", "GNA"}
    labels = _labels(bottom)
    assert f"militias · {WORD}  → LNA" in labels  # the narrator's
    assert f"militias · {WORD}  → GNA" in labels  # the spokesman's, quoted
    bars = bottom.containers[0]
    assert len(bars) == len(labels) == 2
    widths = {label: bar.get_width() for label, bar in zip(labels, bars)}
    assert all(w == -1 for w in widths.values())  # unfavorable, weight 1
    hatched = {label for label, bar in zip(labels, bars) if bar.get_hatch()}
    assert hatched == {f"militias · {WORD}  → GNA"}


# A Score keeps the Lexicon it was scored with; the chart read only its name, which a lexicon loaded
# from a path does not answer to.
@pytest.mark.parametrize("lexicon,text,parties", [
    (None, "قصفت ميليشيات الوفاق الأحياء السكنية.", ["GNA"]),
    (MINI, A_TEXT, ["GNA"]),
    (DATA / "three", "أشاد المشير بحماة الجنوب.", ["LNA", "SOUTH"]),
], ids=["by-name", "mini", "three"])
def test_article_chart_of_a_score_needs_no_lexicon(lexicon, text, parties):
    fig = charts.article_chart(Scorer(lexicon).score(text))
    assert sorted(_labels(fig.axes[0])) == parties


# Evidence against a party of three sides counts for the two others: it was drawn in the grey of
# untargeted evidence, under a legend saying so, beside a label naming its target.
@pytest.mark.parametrize("lexicon,text,colours", [
    (MINI, A_TEXT, {f"militias · {WORD}  → GNA": "#c0392b"}),
    (DATA / "three", "قال المشير إن ميليشيات حكومة الوفاق تقصف المدينة.",
     {"Field Marshal · المشير  → LNA": "#c0392b", f"militias · {WORD}  → GNA": SEVERAL}),
    (DATA / "three", "وقع عدوان على المدينة.", {"aggression · عدوان  → untargeted": "#9a9a9a"}),
], ids=["two-sides", "three-sides", "untargeted"])
def test_article_chart_colours_evidence_by_the_sides_it_counts_for(lexicon, text, colours):
    fig = charts.article_chart(Scorer(lexicon).score(text))
    bottom = fig.axes[-1]
    drawn = {label: matplotlib.colors.to_hex(bar.get_facecolor())
             for label, bar in zip(_labels(bottom), bottom.containers[0])}
    assert drawn == colours
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert ("counts for several sides (split)" in legend) == (SEVERAL in colours.values())


def test_article_chart_without_evidence(lexicon):
    fig = charts.article_chart(Scorer(lexicon).score(C_TEXT), lexicon=lexicon)
    _render(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == ["no lexicon evidence in this article"]


def test_article_chart_with_untargeted_evidence_only(lexicon):
    # A loaded word in a quotation whose speaker is unknown: evidence, but about no party.
    score = Scorer(lexicon).score(f"وقال مصدر: «{WORD} تقصف المدنيين».")
    assert score.matches and not any(m.target for m in score.matches)
    fig = charts.article_chart(score, lexicon=lexicon)
    _render(fig)
    top, bottom = fig.axes
    assert [t.get_text() for t in top.texts] == ["no evidence targets a party"] and not _labels(top)
    assert _labels(bottom) == [f"militias · {WORD}  → untargeted"]


def test_outlet_chart(scored):
    table = compare(scored, n_boot=200)
    fig = charts.outlet_chart(table)
    _render(fig)
    ax, shares = fig.axes
    top_down = [t.get_text() for t in sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])]
    assert top_down == [f"{g} (n={n})" for g, n in zip(table["outlet"], table["n"])]
    assert top_down[-1] == "Beta (n=12)"  # the GNA-slanted outlet at the bottom
    assert "slant: LNA − GNA framing per 1,000 words" in ax.get_xlabel()
    whiskers = next(c for c in ax.collections if isinstance(c, LineCollection))
    segments = whiskers.get_segments()
    ok = table[table["note"].isna()]
    assert sorted(s[0][0] for s in segments) == pytest.approx(sorted(ok["slant.lo"]))
    assert sorted(s[1][0] for s in segments) == pytest.approx(sorted(ok["slant.hi"]))
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "mean (too few articles for a CI)" in legend and "leans GNA" in legend  # Delta has 1 article
    assert len(shares.patches) == 3 * len(table)
    assert "all voices" not in fig._suptitle.get_text()


def test_slant_charts_say_when_quotations_count(scored):
    table = compare(scored, n_boot=20)
    table.attrs["voice"] = "all"
    trend = compare(scored, over="month", n_boot=20)
    trend.attrs["voice"] = "all"
    for fig in (charts.outlet_chart(table), charts.trend_chart(trend)):
        assert "all voices: quotations included" in fig._suptitle.get_text()


def test_trend_chart(scored):
    table = compare(scored, over="month", n_boot=100, min_n=3)
    fig = charts.trend_chart(table)
    _render(fig)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    assert [ax.get_title() for ax in panels] == [f"{g} (n={int(table[table['outlet'] == g]['n'].sum())})"
                                                 for g in dict.fromkeys(table["outlet"])]
    assert all(any(isinstance(c, PolyCollection) for c in ax.collections) for ax in panels)
    alpha = panels[[ax.get_title() for ax in panels].index("Alpha (n=12)")]
    assert len(alpha.lines[-1].get_xdata()) == 4  # four months
    assert "by month" in fig.get_suptitle()


# A missing group is None among strings and NaN among numbers in a compare() table: NaN is not
# equal to itself, and the charts once dropped that group, or split it into a panel per period.
@pytest.mark.parametrize("outlets,labels", [
    (["Alpha", "Beta", "Alpha", "Beta"], ["Alpha (n=2)", "Beta (n=2)"]),
    ([1, 2, 2, 1], ["1 (n=2)", "2 (n=2)"]),
    (["Alpha", None, "Alpha", None], ["Alpha (n=2)", "(missing) (n=2)"]),
    (["Alpha", None, "Beta", ""], ["Alpha (n=1)", "Beta (n=1)", "(missing) (n=2)"]),
    ([1, np.nan, 1, np.nan], ["1.0 (n=2)", "(missing) (n=2)"]),
])
def test_slant_charts_draw_every_group_of_the_table(outlets, labels):
    rows = [{"outlet": o, "date": f"2020-0{1 + i}-05", "text": (A_TEXT, B_TEXT)[i % 2]} for i, o in enumerate(outlets)]
    df = score_corpus(pd.DataFrame(rows), lexicon=MINI, progress=False)
    outlet = charts.outlet_chart(compare(df, n_boot=10))
    assert sorted(_labels(outlet.axes[0])) == sorted(labels)
    trend = compare(df, over="month", n_boot=10)
    panels = [ax for ax in charts.trend_chart(trend).axes if ax.axison]
    assert sorted(ax.get_title() for ax in panels) == sorted(labels)
    drawn = sum(len(c.get_offsets()) for ax in panels for c in ax.collections if not isinstance(c, LineCollection)
                and not isinstance(c, PolyCollection))
    assert drawn == len(trend)  # a dot for every group and month of the table


@pytest.mark.parametrize("ncols,grid", [(1, (4, 1)), (np.int64(2), (2, 2)), (3, (2, 3)), (9, (1, 4))])
def test_trend_chart_panels_per_row(scored, ncols, grid):
    fig = charts.trend_chart(compare(scored, over="month", n_boot=10), ncols=ncols)
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == grid


def test_term_chart(scored, lexicon):
    fig = charts.term_chart(scored, lexicon=lexicon)
    _render(fig)
    ax = fig.axes[0]
    image = next(a for a in ax.get_children() if isinstance(a, AxesImage))
    rows, cols = _labels(ax), _labels(ax, "x")
    assert image.get_array().shape == (len(rows), len(cols))
    assert set(cols) == {"Alpha", "Beta", "Gamma", "Delta"}
    assert f"militias · {WORD}" in rows and "valiant · الباسلة" in rows
    # Alpha: one «ميليشيات» in every 8-word article = 125 uses per 1,000 words.
    assert image.get_array()[rows.index(f"militias · {WORD}"), cols.index("Alpha")] == pytest.approx(125)
    assert image.get_array()[rows.index(f"militias · {WORD}"), cols.index("Beta")] == 0


def test_distinctive_chart(scored):
    terms = distinctive_terms(scored, "outlet", ("Alpha", "Beta"))
    fig = charts.distinctive_chart(terms, top=5)
    _render(fig)
    left, right = fig.axes
    assert right.get_title() == "typical of Alpha" and left.get_title() == "typical of Beta"
    assert f"militias · {WORD}" in _labels(right)
    assert "valiant · الباسلة" in _labels(left)
    assert len(right.patches) == len(_labels(right)) <= 5
    solid = {round(p.get_width(), 6) for p in right.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)}
    shown = terms[terms["z"] > 0].head(5)
    assert solid == {round(z, 6) for z in shown[shown["in_lexicon"]]["z"]} and solid  # filled = in the lexicon
    assert left.xaxis_inverted() and not right.xaxis_inverted()


@pytest.mark.parametrize("make,message", [
    (lambda s: charts.outlet_chart(compare(s, over="month", n_boot=10)), "split by period"),
    (lambda s: charts.trend_chart(compare(s, n_boot=10)), "needs a table from compare"),
    (lambda s: charts.term_chart(s, by="publisher"), "no field 'publisher'"),
    (lambda s: charts.term_chart(s[s["outlet"] == "Gamma"]), "no loaded terms"),
    (lambda s: charts.term_chart(s, voice="quoted"), "voice must be narrator or all"),
    (lambda s: charts.trend_chart(compare(s, over="month", n_boot=10), ncols=0),
     r"^ncols must be a positive integer\. Got 0 instead$"),
    (lambda s: charts.trend_chart(compare(s, over="month", n_boot=10), ncols=None),
     r"^ncols must be a positive integer\. Got None instead$"),
    # another lexicon's parties would leave the article's evidence out of the chart
    (lambda s: charts.article_chart(Scorer(MINI).score(QUOTED), lexicon="libya-2019-2020"),
     r"^lexicon must be the one the article was scored with \('mini'\)\. Got 'libya-2019-2020' instead$"),
])
def test_chart_input_errors(scored, make, message):
    with pytest.raises(InputError, match=message):
        make(scored)


# --- Files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_save_figure(tmp_path, scored, suffix, magic):
    path = charts.save_figure(charts.outlet_chart(compare(scored, n_boot=10)), tmp_path / f"chart{suffix}")
    assert path.read_bytes().startswith(magic)


@pytest.mark.parametrize("name,message", [
    ("chart.jpg", r"must end in \.png, \.svg, \.pdf\. Got '\.jpg'"),
    ("missing/chart.png", "directory .*missing does not exist"),
    ("adir", "must end in"),
])
def test_save_figure_refuses_bad_paths(tmp_path, name, message):
    (tmp_path / "adir").mkdir()
    with pytest.raises(InputError, match=message):
        charts.save_figure(Figure(), tmp_path / name)


def test_save_figure_refuses_a_directory_named_like_a_chart(tmp_path):
    (tmp_path / "d.png").mkdir()
    with pytest.raises(InputError, match="it is a directory"):
        charts.save_figure(Figure(), tmp_path / "d.png")
