"""Framing charts: functions that take data and return a matplotlib Figure.

Every function builds a :class:`matplotlib.figure.Figure` without pyplot, so nothing depends on a
display or on pyplot's global state, and a notebook can restyle the result before showing or
saving it (:func:`save_figure` writes PNG, SVG or PDF to a path or a file object). Given
``ax=``, a chart draws in that Axes' place in the caller's figure instead, and returns that
figure. Charts draw results (scores, compare tables, distinctive terms); they never score, and
never import the classifier.

Arabic: matplotlib ≥ 3.11 lays text out with libraqm, which joins Arabic letters and orders
right-to-left runs itself, with the DejaVu Sans font it ships. Strings are therefore passed as
plain Unicode in logical order; reshaping them first (arabic-reshaper, python-bidi) would reverse
and break them. Labels put the English gloss first, so every label reads left to right for a
reader of English, with the Arabic beside it.

Charts
------
* :func:`article_chart` -- the evidence in one article, by target party, side and voice.
* :func:`outlet_chart` -- each group's slant with its confidence interval, and its lean shares.
* :func:`term_chart` -- group × term heatmap of loaded-term usage.
* :func:`trend_chart` -- slant over time, one panel per group.
* :func:`distinctive_chart` -- the words that most separate two groups.

Many groups: :func:`outlet_chart`, :func:`term_chart` and :func:`trend_chart` draw at most
:data:`MAX_GROUPS` groups (those with the most articles) unless told otherwise, take ``top``,
``min_n`` and ``groups`` to choose them (:func:`choose_groups`), and say in their titles how many
groups and articles they draw, of how many. No new figure is larger than :data:`MAX_INCHES`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import output
from .errors import DependencyError, InputError, check_count
from .palette import NEUTRAL, SEVERAL, SIDE_COLORS, side_colors
from .schema import group_name, named_groups

#: Output formats :func:`save_figure` writes.
FORMATS = (".png", ".svg", ".pdf")
GLOSS_WIDTH = 30
#: Characters of a group's name in a chart (tables and reports give it whole).
GROUP_WIDTH = 32
_BRACKET = re.compile(r"\s*\[[^\]]*\]\s*$")
# Arabic quoted inside a gloss repeats the term; the label shows the Arabic once, beside the gloss.
_QUOTED_ARABIC = re.compile(r"['«\"][^'»\"]*[\u0600-\u06ff][^'»\"]*['»\"]")


def _check_matplotlib() -> None:
    major, minor = (int(x) for x in re.findall(r"\d+", matplotlib.__version__)[:2])
    if (major, minor) < (3, 11):
        raise DependencyError(f"charts need matplotlib 3.11 or newer, which shapes Arabic text. "
                           f"Got matplotlib {matplotlib.__version__} instead")


#: Largest figure a chart makes by itself (inches: width, height): beyond it a chart is a poster.
MAX_INCHES = (22.0, 24.0)
#: Narrowest figure a chart makes by itself (inches): its title and legend are as wide with one
#: group as with many (a one-panel trend chart, a term chart of one column, were cut at their edges).
MIN_WIDTH = 9.0


def _canvas(ax, width: float, height: float):
    """Where a chart draws: a new Figure of the given size (at least :data:`MIN_WIDTH` wide, at
    most :data:`MAX_INCHES`), or, given an ``ax``, a SubFigure that takes that Axes' place in its
    figure (so a chart of several panels, titles and legends fits in one cell of a grid the caller
    laid out)."""
    if ax is None:
        width = max(width, MIN_WIDTH)
        return Figure(figsize=(min(width, MAX_INCHES[0]), min(height, MAX_INCHES[1])), layout="constrained")
    spec = ax.get_subplotspec() if hasattr(ax, "get_subplotspec") else None
    if spec is None:
        raise InputError(f"ax must be a matplotlib Axes laid out on a grid (from subplots() or add_subplot()). "
                         f"Got {type(ax).__name__} instead")
    canvas = ax.figure.add_subfigure(spec)
    ax.remove()
    return canvas


def short_gloss(gloss: str | None, width: int = GLOSS_WIDTH) -> str:
    """A lexicon gloss cut to fit a label: no usage bracket, first clause, at most ``width`` characters."""
    if not gloss:
        return ""
    text = _QUOTED_ARABIC.sub("", _BRACKET.sub("", gloss))
    text = re.split(r"[;(,]", text)[0].strip().rstrip(".:")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def group_labels(groups, width: int = GROUP_WIDTH) -> list[str]:
    """Each group's name as a chart writes it: longer than ``width`` characters, cut in the middle
    («…»), since both ends tell groups apart (an outlet's name starts it, a file's line ends an id);
    whole where cutting would give two groups the same label."""
    names = [group_name(g) for g in groups]
    head = (width - 1) // 2
    cut = [n if len(n) <= width else f"{n[:head]}…{n[len(n) - (width - 1 - head):]}" for n in names]
    counts = Counter(cut)
    return [c if counts[c] == 1 else n for c, n in zip(cut, names)]


def term_label(arabic: str, gloss: str | None) -> str:
    """``gloss · Arabic`` (English first, so the label reads left to right), or the Arabic alone."""
    gloss = short_gloss(gloss)
    return f"{gloss} · {arabic}" if gloss else arabic


def party_label(lexicon, pid: str) -> str:
    """A side by its id in capitals (LNA), any other party by its English name."""
    if lexicon is None or pid not in lexicon.parties:
        return pid.upper() if len(pid) <= 4 else pid
    party = lexicon.parties[pid]
    return pid.upper() if party.side == pid else short_gloss(party.name, 24)


def _load(lexicon, fallback=None):
    from .lexicon import load_lexicon

    return load_lexicon(lexicon if lexicon is not None else fallback)


# --------------------------------------------------------------------------------------------
# One article


def article_chart(score, lexicon=None, title: str | None = None, *, ax=None) -> Figure:
    """The evidence in one article: per target party, and term by term.

    Parameters
    ----------
    score : Score
        The result of :meth:`framing.scorer.Scorer.score`.
    lexicon : str, path or Lexicon, optional
        The lexicon the article was scored with (default: the one ``score`` was scored with), for
        glosses and party sides.
    title : str, optional
        Figure title (default: the article's id, lean and length).

    ax : matplotlib.axes.Axes, optional
        Draw in this Axes' place in its figure (the chart's panels, title and legend in a
        SubFigure there) instead of in a new Figure.

    Returns
    -------
    matplotlib.figure.Figure
        Top: for each party, favorable evidence to the right and unfavorable to the left, the
        narrator's in solid colour, quoted statements hatched. Bottom: every loaded term or
        naming choice (summed over its uses), its bar signed by polarity and coloured by the
        side it counts for.
    """
    _check_matplotlib()
    # The Lexicon the Score keeps, not its name: a lexicon loaded from a path is not known by name.
    lex = _load(lexicon, score.source_lexicon or score.lexicon)
    if lex.name != score.lexicon:  # another lexicon's parties and glosses would drop or mislabel evidence
        raise InputError(f"lexicon must be the one the article was scored with ({score.lexicon!r}). "
                         f"Got {lex.name!r} instead", option="lexicon")
    sides = list(score.sides)
    colors = side_colors(sides)
    evidence = [m for m in score.matches if m.kind != "actor"]
    ident = score.meta.get("id", "article")
    lean = score.lean.upper() if score.lean else "none (weak or balanced evidence)"
    fig = _canvas(ax, 11, 3 + 0.3 * max(4, len({(m.term, m.target, m.voice, m.polarity) for m in evidence})))
    fig.suptitle(title or f"Framing evidence in {ident}: lean {lean} · {score.words} words · lexicon {score.lexicon}")
    if not evidence:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no lexicon evidence in this article", ha="center", va="center", transform=ax.transAxes)
        return fig.figure
    top, bottom = fig.subplots(2, 1, height_ratios=[1, 2.2])

    # Per party: favorable to the right, unfavorable to the left; narrator solid, quoted hatched.
    parties = [p for p in lex.parties if any(m.target == p for m in evidence)]
    totals = {(p, pol, v): 0.0 for p in parties for pol in ("favorable", "unfavorable") for v in ("narrator", "quoted")}
    for m in evidence:
        if m.target in parties and m.polarity:
            totals[(m.target, m.polarity, m.voice)] += m.weight
    y = np.arange(len(parties))[::-1]
    for polarity, sign in (("favorable", 1), ("unfavorable", -1)):
        left = np.zeros(len(parties))
        for voice in ("narrator", "quoted"):
            width = np.array([sign * totals[(p, polarity, voice)] for p in parties])
            color = [_evidence_color(lex, colors, p, polarity) for p in parties]
            top.barh(y, width, left=left, color=color, hatch="//" if voice == "quoted" else None,
                     alpha=0.45 if voice == "quoted" else 1.0, edgecolor="white", height=0.6,
                     label=f"{polarity}, {voice}")
            left = left + width
    top.axvline(0, color="black", linewidth=0.8)
    top.set_yticks(y, [party_label(lex, p) for p in parties])
    top.set_xlabel("← unfavorable · summed weights · favorable →")
    top.set_title("Evidence about each party", loc="left", fontsize="medium")
    lim = max(1.0, *(abs(v) for v in _stacked_extent(totals, parties)))
    top.set_xlim(-lim * 1.1, lim * 1.1)
    if not parties:  # every loaded term untargeted (a quotation whose speaker is unknown)
        top.text(0.5, 0.5, "no evidence targets a party", ha="center", va="center", transform=top.transAxes,
                 bbox={"facecolor": "white", "edgecolor": "none"})

    # Term by term (summed over repeated uses), sorted by signed weight.
    rows: dict = {}
    for m in evidence:
        key = (m.term, m.target, m.voice, m.polarity)
        text_forms = rows.setdefault(key, [0.0, m.text, 0])
        text_forms[0] += m.weight
        text_forms[2] += 1
    items = sorted(rows.items(), key=lambda kv: (_sign(kv[0][3]) * kv[1][0], kv[0][0]))
    labels, values, bar_colors, hatches = [], [], [], []
    for (term, target, voice, polarity), (weight, _written, count) in items:
        who = f"→ {party_label(lex, target)}" if target else "→ untargeted"
        times = f" ×{count}" if count > 1 else ""
        labels.append(f"{term_label(term, lex.gloss(term))}  {who}{times}")
        values.append(_sign(polarity) * weight)
        bar_colors.append(_evidence_color(lex, colors, target, polarity))
        hatches.append("//" if voice == "quoted" else None)
    yy = np.arange(len(items))
    bars = bottom.barh(yy, values, color=bar_colors, edgecolor="white", height=0.7)
    for bar, hatch in zip(bars, hatches):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_alpha(0.5)
    bottom.axvline(0, color="black", linewidth=0.8)
    bottom.set_yticks(yy, labels)
    bottom.set_xlabel("weight: − unfavorable, + favorable to the target")
    bottom.set_title("Each loaded term or naming choice", loc="left", fontsize="medium")
    handles = [Patch(color=colors[s], label=f"counts for {s.upper()}") for s in sides]
    if any(len(lex.counts_for(m.target, m.polarity)) > 1 for m in evidence):
        handles.append(Patch(color=SEVERAL, label="counts for several sides (split)"))
    handles += [Patch(color=NEUTRAL, label="untargeted"),
                Patch(facecolor="white", edgecolor="black", hatch="//", label="quoted (not the outlet's voice)")]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize="small", frameon=False)
    return fig.figure


def _sign(polarity: str | None) -> int:
    return {"favorable": 1, "unfavorable": -1}.get(polarity, 0)


def _stacked_extent(totals, parties):
    yield 0.0  # no party: the extent of nothing
    for p in parties:
        yield totals[(p, "favorable", "narrator")] + totals[(p, "favorable", "quoted")]
        yield totals[(p, "unfavorable", "narrator")] + totals[(p, "unfavorable", "quoted")]


def _evidence_color(lex, colors: dict, party: str | None, polarity: str | None) -> str:
    """The colour of evidence about ``party``: :func:`_sides_color` of the sides it counts for, grey
    for none (untargeted)."""
    return _sides_color(colors, lex.counts_for(party, polarity), NEUTRAL)


def _sides_color(colors: dict, sides, none: str) -> str:
    """The colour of what counts for ``sides``: its side's, that of several sides (an attack on one
    party of three counts for the two others), or ``none``."""
    return colors[sides[0]] if len(sides) == 1 else SEVERAL if sides else none


# --------------------------------------------------------------------------------------------
# Groups


def _slant_axis_label(sides) -> str:
    return f"slant: {sides[0].upper()} − {sides[1].upper()} framing per 1,000 words"


def _slant_of(table, settings, chart: str) -> tuple[str, str]:
    """The pair of sides a compare() table's slant was measured between; refused without one."""
    pair, sides = settings.slant, settings.sides
    if pair is None or "slant.mean" not in table.columns:
        raise InputError(f"the {chart} chart draws a slant, and this table has none: its {len(sides)} sides "
                         f"({', '.join(sides)}) need a pair, e.g. compare(..., slant=({', '.join(map(repr, sides[:2]))}))")
    return tuple(pair)


def _ci_level(settings) -> str:
    return f"{round(100 * settings.ci)}%"


#: The most groups each chart draws unless ``top`` asks for more: beyond these a figure is unreadable.
MAX_GROUPS = {"outlets": 40, "terms": 25, "trend": 12}


def choose_groups(sizes: dict, *, groups=None, top: int | None = None, min_n: int | None = None,
                  limit: int | None = None) -> list:
    """The groups a chart draws, in the order of ``sizes``.

    Parameters
    ----------
    sizes : dict
        Articles per group, in the order the chart draws them (e.g. slant order).
    groups : iterable, optional
        Draw only these (each must be a group of ``sizes``).
    top : int, optional
        Draw at most this many: those with the most articles (ties: the first in ``sizes``).
    min_n : int, optional
        Leave out groups with fewer articles.
    limit : int, optional
        ``top`` when it is not given (see :data:`MAX_GROUPS`).

    Raises
    ------
    InputError
        For a group that does not exist, a bad ``top``/``min_n``, or nothing left to draw.
    """
    for name, value in (("top", top), ("min_n", min_n)):
        if value is not None:
            check_count(name, value)
    kept = list(sizes)
    if groups is not None:
        chosen, missing = named_groups(dict.fromkeys(groups), sizes)
        if missing:
            some = ", ".join(map(group_name, list(sizes)[:10])) + (" ..." if len(sizes) > 10 else "")
            raise InputError(f"no group {missing[0]!r}; groups are: {some}")
        kept = [g for g in kept if g in chosen]
    if min_n is not None:
        kept = [g for g in kept if sizes[g] >= min_n]
        if not kept:
            raise InputError(f"no group has {min_n} articles or more (the largest has {max(sizes.values())})")
    cap = top if top is not None else limit
    if cap is not None and len(kept) > cap:
        rank = sorted(range(len(kept)), key=lambda i: (-sizes[kept[i]], i))[:cap]
        kept = [kept[i] for i in sorted(rank)]
    return kept


def _drawn(kept: list, sizes: dict, by: str, min_n: int | None, named: bool) -> str:
    """What a title says about the groups drawn: how many of how many, chosen how, and their articles."""
    articles = sum(sizes[g] for g in kept)
    total = sum(sizes.values())
    if len(kept) == len(sizes):
        return f"{len(kept)} groups by {by}, {articles:,} articles"
    how = [f"the {len(kept)} with most articles"] if not named and not min_n else []
    if named:
        how.append("as named")
    if min_n:
        how.append(f"with ≥ {min_n} articles")
    return f"{len(kept)} of {len(sizes)} groups by {by} ({', '.join(how)}), {articles:,} of {total:,} articles"


def _table_sizes(table, by) -> dict:
    """Articles per group of a compare() table, its groups taken by the grouping rule (a missing group
    is NaN in a column of numbers or strings, and NaN is not equal to itself: it would be dropped)."""
    from .groups import group_keys

    sizes: dict = {}
    for g, n in zip(group_keys(table, by), table["n"].tolist()):
        sizes[g] = sizes.get(g, 0) + int(n)
    return sizes


def outlet_chart(table, title: str | None = None, *, top: int | None = None, min_n: int | None = None,
                 groups=None, ax=None, settings=None) -> Figure:
    """Each group's slant with its confidence interval, and the share of its articles leaning each way.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`framing.table.compare` without ``over``.
    title : str, optional
        Default: what is drawn (groups and articles, of how many), lexicon and voice.
    top : int, optional
        Draw the ``top`` groups with the most articles (default: all, at most
        ``MAX_GROUPS['outlets']``); see :func:`choose_groups`.
    min_n : int, optional
        Leave out groups with fewer articles.
    groups : iterable, optional
        Draw only these groups.
    ax : matplotlib.axes.Axes, optional
        Draw in this Axes' place in its figure (the chart's panels, title and legend in a
        SubFigure there) instead of in a new Figure.
    settings : CompareSettings, optional
        How the table was made (default: what its ``attrs`` record; refused when they are lost);
        see :class:`framing.groups.CompareSettings`.

    Returns
    -------
    matplotlib.figure.Figure
        Left: a dot-and-whisker plot, groups sorted from most slanted toward the first side (top)
        to most toward the second; a hollow dot has no interval (too few articles). Right: the
        share of each group's articles whose lean is each side, or none.
    """
    _check_matplotlib()
    from .groups import CompareSettings, group_keys

    settings = CompareSettings.of(table, settings)
    by = settings.by
    if settings.over:
        raise InputError("this table is split by period; draw it with trend_chart()")
    sides = _slant_of(table, settings, "outlet")
    every = list(settings.sides)
    colors = side_colors(every)
    sizes = _table_sizes(table, by)
    kept = choose_groups(sizes, groups=groups, top=top, min_n=min_n, limit=MAX_GROUPS["outlets"])
    keep = set(kept)
    shown = [g for g in group_keys(table, by) if g in keep]
    table = table[[g in keep for g in group_keys(table, by)]]
    n = len(table)
    fig = _canvas(ax, 10, 1.6 + 0.45 * n)
    ax, shares = fig.subplots(1, 2, width_ratios=[3, 1.3], sharey=True)
    y = np.arange(n)[::-1]
    mean, lo, hi = (table[f"slant.{k}"].to_numpy(float) for k in ("mean", "lo", "hi"))
    point_colors = [colors[sides[0]] if m > 0 else colors[sides[1]] if m < 0 else NEUTRAL for m in mean]
    has_ci = ~np.isnan(lo)
    ax.hlines(y[has_ci], lo[has_ci], hi[has_ci], colors=np.array(point_colors, dtype=object)[has_ci], linewidth=2.2)
    ax.scatter(mean[has_ci], y[has_ci], color=np.array(point_colors, dtype=object)[has_ci], s=50, zorder=3,
               label=f"mean, {_ci_level(settings)} bootstrap CI")
    if (~has_ci).any():
        ax.scatter(mean[~has_ci], y[~has_ci], facecolors="white", edgecolors=np.array(point_colors, dtype=object)[~has_ci],
                   s=50, zorder=3, label="mean (too few articles for a CI)")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [f"{g} (n={k})" for g, k in zip(group_labels(shown), table["n"])])
    ax.set_xlabel(f"{_slant_axis_label(sides)}\n← more {sides[1].upper()} framing          more {sides[0].upper()} framing →")
    ax.grid(axis="x", alpha=0.3)

    left = np.zeros(n)
    # Every side's share (they sum to 1 with "none"): the slant's first side first, its second last.
    order = [sides[0], *(s for s in every if s not in sides), "none", sides[1]]
    for key, color in [(k, colors.get(k, NEUTRAL)) for k in order]:
        share = table[f"lean_share.{key}"].to_numpy(float)
        shares.barh(y, share, left=left, color=color, height=0.6, label="no lean" if key == "none" else f"leans {key.upper()}")
        left += share
    shares.set_xlim(0, 1)
    shares.set_xlabel("share of articles\nby their lean")
    handles, labels = ax.get_legend_handles_labels()
    more, more_labels = shares.get_legend_handles_labels()
    fig.legend(handles + more, labels + more_labels, loc="outside lower center", ncol=len(labels) + len(more_labels),
               fontsize="small", frameon=False)
    fig.suptitle(title or f"Framing slant: {_drawn(kept, sizes, by, min_n, groups is not None)}, "
                          f"lexicon {settings.lexicon or '?'}{_voice_note(settings)}")
    return fig.figure


def _voice_note(settings) -> str:
    return {"all": ", all voices: quotations included", "reading": ", the reading: one-sided sourcing at half weight",
            None: ", voice not recorded"}.get(settings.voice, "")


def trend_chart(table, title: str | None = None, ncols: int = 3, *, top: int | None = None,
                min_n: int | None = None, groups=None, ax=None, settings=None) -> Figure:
    """Slant over time, one small panel per group, with its confidence band.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`framing.table.compare` with ``over``.
    title : str, optional
    ncols : int, default=3
        Panels per row.
    top : int, optional
        Draw the ``top`` groups with the most articles (default: all, at most
        ``MAX_GROUPS['trend']``); see :func:`choose_groups`.
    min_n : int, optional
        Leave out groups with fewer articles.
    groups : iterable, optional
        Draw only these groups.
    ax : matplotlib.axes.Axes, optional
        Draw in this Axes' place in its figure (the chart's panels, title and legend in a
        SubFigure there) instead of in a new Figure.
    settings : CompareSettings, optional
        How the table was made (default: what its ``attrs`` record; refused when they are lost);
        see :class:`framing.groups.CompareSettings`.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per group (sorted as in the table), sharing both axes, each with its own date
        labels: the mean slant per period as a line, its bootstrap interval as a band and a
        whisker; the line is broken across periods with no article of the group; hollow dots mark
        periods with too few articles for an interval. Articles without a date are not in the
        table (``compare`` leaves them out); the title says how many.
    """
    _check_matplotlib()
    import pandas as pd

    from .groups import PERIODS, CompareSettings, group_keys

    settings = CompareSettings.of(table, settings)
    by, over = settings.by, settings.over
    if not over or "period_start" not in table.columns:
        raise InputError("the trend chart needs a table from compare(..., over='month') or another period")
    sides = _slant_of(table, settings, "trend")
    check_count("ncols", ncols)

    sizes = _table_sizes(table, by)
    kept = choose_groups(sizes, groups=groups, top=top, min_n=min_n, limit=MAX_GROUPS["trend"])
    # Every period from the first to the last: a group with no article in one gets a gap there.
    starts = pd.to_datetime(table["period_start"])
    freq = PERIODS[over]
    every = pd.period_range(starts.min().to_period(freq), starts.max().to_period(freq), freq=freq).start_time
    ncols = min(ncols, len(kept))
    nrows = -(-len(kept) // ncols)
    fig = _canvas(ax, 4.2 * ncols, 1.4 + 2.6 * nrows)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)).ravel()
    colors = side_colors(list(settings.sides))
    keys = group_keys(table, by)
    for panel, group, name in zip(axes, kept, group_labels(kept)):
        rows = table[[g == group for g in keys]]
        series = rows.assign(period_start=pd.to_datetime(rows["period_start"])).set_index("period_start")
        series = series[[f"slant.{k}" for k in ("mean", "lo", "hi")]].reindex(every)
        x = series.index.to_numpy()
        mean, lo, hi = (series[f"slant.{k}"].to_numpy(float) for k in ("mean", "lo", "hi"))
        panel.axhline(0, color="black", linewidth=0.7)
        panel.fill_between(x, lo, hi, color="#555555", alpha=0.18, linewidth=0)
        panel.plot(x, mean, color="#333333", linewidth=1.4)  # NaN where the group has no article: a gap
        seen = ~np.isnan(mean)
        ok = seen & ~np.isnan(lo)
        point = np.array([colors[sides[0]] if m > 0 else colors[sides[1]] if m < 0 else NEUTRAL for m in mean],
                         dtype=object)
        # Whiskers as well as the band: a period between two periods without an interval has no band.
        panel.vlines(x[ok], lo[ok], hi[ok], color="#555555", linewidth=1.2)
        panel.scatter(x[ok], mean[ok], c=point[ok], s=22, zorder=3)
        panel.scatter(x[seen & ~ok], mean[seen & ~ok], facecolors="white", edgecolors=point[seen & ~ok], s=22,
                      zorder=3)
        panel.set_title(f"{name} (n={sizes[group]})", fontsize="medium")
        panel.grid(alpha=0.3)
        panel.tick_params(labelbottom=True)  # dates under every panel, not only the bottom row
        for label in panel.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    for panel in axes[len(kept):]:
        panel.set_axis_off()
    fig.supylabel(f"{_slant_axis_label(sides)}\n(> 0: {sides[0].upper()} framing, < 0: {sides[1].upper()})")
    undated = settings.undated
    left_out = f"; {undated:,} undated articles left out" if undated else ""
    fig.suptitle(title or f"Framing slant by {over}: {_drawn(kept, sizes, by, min_n, groups is not None)}"
                          f"{left_out}{_voice_note(settings)}\n(band and whiskers: {_ci_level(settings)} bootstrap CI; "
                          "hollow dot: too few articles for one; gap: no article that period)")
    return fig.figure


class NothingToDraw(InputError):
    """The articles hold nothing a chart shows (no loaded term in the voice counted): ``framing
    chart`` reports it; a corpus report leaves that chart out and shows the rest."""


def term_chart(df, by: str = "outlet", lexicon=None, top: int = 20, voice: str = "narrator",
               title: str | None = None, *, slant=None, groups=None, top_groups: int | None = None,
               min_n: int | None = None, ax=None) -> Figure:
    """Group × term heatmap: how often each group uses each loaded term or naming choice.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`framing.table.score_corpus`.
    by : str, default="outlet"
        The field whose values form the columns.
    lexicon : str, path, Lexicon or Schema, optional
        The lexicon the frame was scored with, for glosses and sides (default: the one its
        ``attrs`` record; refused when they are lost, as after a merge). A Schema also names the
        text column; otherwise it is the one ``attrs`` record, or none (every column that is not a
        score may be ``by``).
    top : int, default=20
        How many terms (the most used in the groups drawn).
    voice : {"narrator", "all"}, default="narrator"
        Count only the outlet's own words, or quoted statements too.
    title : str, optional
    slant : pair of str, optional
        The slant that orders the columns (default: the two sides of a two-sided lexicon; with
        more sides and no pair, columns are in the order of the frame).
    groups, top_groups, min_n : optional
        Which groups get a column (see :func:`choose_groups`; ``top_groups`` is its ``top``;
        default: all, at most ``MAX_GROUPS["terms"]``, those with the most articles).
    ax : matplotlib.axes.Axes, optional
        Draw in this Axes' place in its figure (the chart's panels, title and legend in a
        SubFigure there) instead of in a new Figure.

    Returns
    -------
    matplotlib.figure.Figure
        Rows are terms (English gloss · Arabic), grouped by the side a naming choice counts for,
        with evaluative terms (whose side depends on their target) last; the gloss is coloured by
        that side. Columns are groups, in slant order; cells are uses per 1,000 words (written in
        the cells when there are few enough columns to read them).
    """
    _check_matplotlib()
    from .groups import group_keys, mean_slant_by, slant_pair
    from .schema import MATCH_VOICES, Schema, check_voice, field_columns, recorded_lexicon

    # Only the lexicon and the text column matter here (not the table's voice): the text column is
    # the schema's or the one attrs recorded; unknown, no column is taken for it.
    if isinstance(lexicon, Schema):
        lex, text_field = lexicon.lexicon, lexicon.text_field
    else:
        lex, text_field = recorded_lexicon(df, lexicon), df.attrs.get("text_field")
    fields = field_columns(df, text_field)
    if by not in df.columns or by not in fields:
        raise InputError(f"no field {by!r} in the corpus; fields are: {', '.join(map(str, fields))}")
    check_voice(voice, MATCH_VOICES)
    check_count("top", top)
    sides = list(lex.sides)
    colors = side_colors(sides)
    keys = group_keys(df, by)
    order = list(dict.fromkeys(keys))
    pair = slant_pair(df, slant, lex)
    if pair is not None:
        mean = mean_slant_by(df, by, pair)
        order.sort(key=lambda g: (-mean[g], str(g)))
    sizes = dict.fromkeys(order, 0)
    for key in keys:
        sizes[key] += 1
    kept = choose_groups(sizes, groups=groups, top=top_groups, min_n=min_n, limit=MAX_GROUPS["terms"])
    keep = set(kept)
    words = dict.fromkeys(kept, 0)
    counts: dict = {}
    for key, n_words, matches in zip(keys, df["words"], df["matches"]):
        if key not in keep:
            continue
        words[key] += n_words
        for m in matches:
            if m.kind == "actor" or (voice == "narrator" and m.voice != "narrator"):
                continue
            counts.setdefault(m.term, dict.fromkeys(kept, 0))[key] += 1
    if not counts:
        raise NothingToDraw("no loaded terms or naming choices in these articles: nothing to draw")
    by_entry = {e.term: e for e in lex.entries}
    chosen = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))[:top]

    def row_sides(term) -> tuple:
        """The sides a naming choice counts for (several: against one party of three sides); an
        evaluative term's depend on its target, so none here."""
        e = by_entry.get(term)
        return tuple(lex.counts_for(e.party, e.polarity)) if e is not None and e.kind == "naming" else ()

    # Naming choices side by side, then those counting for several sides, then evaluative terms.
    rank = {(s,): i for i, s in enumerate(sides)}
    chosen.sort(key=lambda t: (rank.get(row_sides(t), len(sides) + (not row_sides(t))), -sum(counts[t].values()), t))
    rates = np.array([[1000 * counts[t][g] / max(words[g], 1) for g in kept] for t in chosen])
    written = len(kept) <= 12  # beyond that the numbers no longer fit their cells; the colour says it
    fig = _canvas(ax, 4.5 + 0.55 * len(kept) + (0.7 * len(kept) if written else 0), 2.6 + 0.36 * len(chosen))
    ax = fig.add_subplot()
    image = ax.imshow(rates, aspect="auto", cmap="YlOrBr")
    ax.set_xticks(range(len(kept)), group_labels(kept), rotation=30 if written else 60, ha="right")
    ax.set_yticks(range(len(chosen)), [term_label(t, lex.gloss(t)) for t in chosen])
    for label, term in zip(ax.get_yticklabels(), chosen):
        label.set_color(_sides_color(colors, row_sides(term), "black"))
    peak = rates.max() if rates.size else 0
    for i in range(rates.shape[0] if written else 0):
        for j in range(rates.shape[1]):
            if rates[i, j] > 0:
                ax.text(j, i, f"{rates[i, j]:.2f}", ha="center", va="center", fontsize="x-small",
                        color="white" if rates[i, j] > 0.6 * peak else "black")
    fig.colorbar(image, ax=ax, label="uses per 1,000 words", shrink=0.8)
    handles = [Patch(color=colors[s], label=f"naming choice counting for {s.upper()}") for s in sides]
    if any(len(row_sides(t)) > 1 for t in chosen):
        handles.append(Patch(color=SEVERAL, label="naming choice counting for several sides"))
    handles.append(Patch(color="black", label="evaluative term (side depends on its target)"))
    # three a row at most: a chart of few groups is narrower than five entries side by side
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 3), fontsize="x-small", frameon=False)
    where = "the outlet's own words" if voice == "narrator" else "all voices, quotes included"
    fig.suptitle(title or f"Loaded terms: the {len(chosen)} most used ({where}); "
                          f"{_drawn(kept, sizes, by, min_n, groups is not None)}")
    return fig.figure


def distinctive_chart(terms, top: int = 15, title: str | None = None, *, ax=None, groups=None, by=None) -> Figure:
    """The words most typical of each of two groups, by z-score of the weighted log-odds ratio.

    Parameters
    ----------
    terms : pandas.DataFrame
        Output of :func:`framing.distinctive.distinctive_terms`.
    top : int, default=15
        Words shown per group.
    title : str, optional

    ax : matplotlib.axes.Axes, optional
        Draw in this Axes' place in its figure (the chart's panels, title and legend in a
        SubFigure there) instead of in a new Figure.
    groups : (str, str), optional
        The two groups compared, first vs second, and ``by`` the field they are values of
        (default: what the frame's ``attrs`` record; refused when they are lost).

    Returns
    -------
    matplotlib.figure.Figure
        Two bar panels: the second group's words (left), the first group's (right); bar length is
        |z|. Words already in the lexicon are solid and carry their gloss; the others (outlined)
        are candidates an analyst may want to add. Dotted lines mark |z| = 1.96.
    """
    _check_matplotlib()
    groups = groups if groups is not None else terms.attrs.get("groups")
    if groups is None:  # the bars would be drawn under the wrong names
        raise InputError("which two groups these terms compare is not known (pandas drops DataFrame.attrs in "
                         "merges and most operations): pass groups=(first, second)")
    a, b = group_labels(groups)
    by = by or terms.attrs.get("by", "group")
    fig = _canvas(ax, 12, 1.8 + 0.34 * top)
    left, right = fig.subplots(1, 2)
    reach = 0.0
    for panel, rows, group, color in ((right, terms[terms["z"] > 0].head(top), a, SIDE_COLORS[0]),
                                   (left, terms[terms["z"] < 0].sort_values("z").head(top), b, SIDE_COLORS[1])):
        y = np.arange(len(rows))[::-1]
        z = np.abs(rows["z"].to_numpy(float))
        reach = max(reach, z.max(initial=0.0))
        known = rows["in_lexicon"].to_numpy(bool)
        panel.barh(y[known], z[known], color=color, height=0.7, label="in the lexicon")
        panel.barh(y[~known], z[~known], facecolor="white", edgecolor=color, height=0.7, label="not in the lexicon")
        shown = rows["display"] if "display" in rows.columns else rows["term"]
        labels = [term_label(t, g if k else None) for t, g, k in zip(shown, rows["gloss"], known)]
        panel.set_yticks(y, labels)
        panel.set_ylim(-0.7, top - 0.3)
        panel.axvline(1.96, color="black", linestyle=":", linewidth=0.8)
        panel.set_title(f"typical of {group}", fontsize="medium")
        panel.legend(loc="lower right" if panel is right else "lower left", fontsize="x-small", frameon=False)
    for panel in (left, right):
        panel.set_xlim(0, max(2.5, reach * 1.05))
    left.invert_xaxis()
    right.yaxis.tick_right()
    fig.supxlabel("|z| of the weighted log-odds ratio (informative Dirichlet prior); dotted line: |z| = 1.96",
                  fontsize="medium")
    fig.suptitle(title or f"Distinctive words by {by}: {a} vs {b}")
    return fig.figure


# --------------------------------------------------------------------------------------------
# Output


def check_output(path, inputs=()) -> Path:
    """Fail early, before any work, if a chart cannot be written to ``path`` (see
    :func:`framing.output.check_output`; ``inputs`` are files the chart must not replace)."""
    return output.check_output(path, inputs, suffixes=FORMATS, what="the chart")


def save_figure(fig: Figure, path, dpi: int = 150, format: str | None = None):
    """Write ``fig`` to ``path``: a file name (the format follows its extension: .png, .svg or .pdf)
    or a binary file object such as ``io.BytesIO`` (``format`` names the format; default png).

    A file appears whole or not at all: it is written to a temporary file beside it and renamed.

    Returns
    -------
    The path (a :class:`~pathlib.Path`) or the file object written to.

    Raises
    ------
    InputError
        If the format is not one of those, or the file cannot be written.
    """
    if hasattr(path, "write"):
        fmt = (format or "png").lower().lstrip(".")
        if f".{fmt}" not in FORMATS:
            raise InputError(f"format must be one of {', '.join(f[1:] for f in FORMATS)}. Got {format!r} instead")
        fig.savefig(path, dpi=dpi, format=fmt)
        return path
    path = check_output(path)
    if format is not None and f".{format.lower().lstrip('.')}" != path.suffix.lower():
        raise InputError(f"{path}: format {format!r} does not match the extension {path.suffix!r}")
    with output.atomic_output(path, what="the chart") as tmp:
        fig.savefig(tmp, dpi=dpi, format=path.suffix.lower().lstrip("."))
    return path
