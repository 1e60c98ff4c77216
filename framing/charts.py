"""Framing charts: functions that take data and return a matplotlib Figure.

Every function builds a :class:`matplotlib.figure.Figure` without pyplot, so nothing depends on a
display or on pyplot's global state, and a notebook can restyle the result before showing or
saving it (:func:`save_figure` writes PNG, SVG or PDF). To compose figures, as with seaborn,
pass ``fig=`` (a Figure or a SubFigure from ``Figure.subfigures``) and the chart draws there;
single-panel charts (and the slant panel of :func:`outlet_chart`) also take ``ax=`` and return it.

Many groups: :func:`outlet_chart`, :func:`term_chart` and :func:`trend_chart` draw at most
:data:`MAX_GROUPS` groups (those with the most articles) unless told otherwise, take ``top``,
``min_n`` and ``groups`` to choose them (:func:`choose_groups`), and say in their titles how many
groups and articles are drawn, of how many. No figure is larger than :data:`MAX_INCHES`.

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
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import output
from .errors import FramingError, InputError
from .palette import NEUTRAL, SIDE_COLORS, side_colors

#: Output formats :func:`save_figure` writes.
FORMATS = (".png", ".svg", ".pdf")
GLOSS_WIDTH = 30
_BRACKET = re.compile(r"\s*\[[^\]]*\]\s*$")
# Arabic quoted inside a gloss repeats the term; the label shows the Arabic once, beside the gloss.
_QUOTED_ARABIC = re.compile(r"['«\"][^'»\"]*[\u0600-\u06ff][^'»\"]*['»\"]")


def _check_matplotlib() -> None:
    major, minor = (int(x) for x in re.findall(r"\d+", matplotlib.__version__)[:2])
    if (major, minor) < (3, 11):
        raise FramingError(f"charts need matplotlib 3.11 or newer, which shapes Arabic text. "
                           f"Got matplotlib {matplotlib.__version__} instead")


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def short_gloss(gloss: str | None, width: int = GLOSS_WIDTH) -> str:
    """A lexicon gloss cut to fit a label: no usage bracket, first clause, at most ``width`` characters."""
    if not gloss:
        return ""
    text = _QUOTED_ARABIC.sub("", _BRACKET.sub("", gloss))
    text = re.split(r"[;(,]", text)[0].strip().rstrip(".:")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


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


def article_chart(score, lexicon=None, title: str | None = None, *, fig=None) -> Figure:
    """The evidence in one article: per target party, and term by term.

    Parameters
    ----------
    score : Score
        The result of :meth:`framing.scorer.Scorer.score`.
    lexicon : str, path or Lexicon, optional
        The lexicon the article was scored with (default: the one named in ``score``), for
        glosses and party sides.
    title : str, optional
        Figure title (default: the article's id, lean and length).
    fig : matplotlib Figure or SubFigure, optional
        Draw on this figure (e.g. one of ``Figure.subfigures()``) instead of a new one.

    Returns
    -------
    matplotlib.figure.Figure
        Top: for each party, favorable evidence to the right and unfavorable to the left, the
        narrator's in solid colour, quoted statements hatched. Bottom: every loaded term or
        naming choice (summed over its uses), its bar signed by polarity and coloured by the
        side it counts for.
    """
    _check_matplotlib()
    lex = _load(lexicon, score.lexicon)
    sides = list(score.sides)
    colors = side_colors(sides)
    evidence = [m for m in score.matches if m.kind != "actor"]
    ident = score.meta.get("id", "article")
    lean = score.lean.upper() if score.lean else "none (weak or balanced evidence)"
    fig = _canvas(fig, None, 11, 3 + 0.3 * max(4, len({(m.term, m.target, m.voice, m.polarity) for m in evidence})))
    fig.suptitle(title or f"Framing evidence in {ident}: lean {lean} · {score.words} words · lexicon {score.lexicon}")
    if not evidence:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no lexicon evidence in this article", ha="center", va="center", transform=ax.transAxes)
        return fig
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
            color = [colors.get(_counts_for(lex, p, polarity, sides), NEUTRAL) for p in parties]
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
        side = _counts_for(lex, target, polarity, sides) if target else None
        bar_colors.append(colors.get(side, NEUTRAL))
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
    handles += [Patch(color=NEUTRAL, label="untargeted"),
                Patch(facecolor="white", edgecolor="black", hatch="//", label="quoted (not the outlet's voice)")]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize="small", frameon=False)
    return fig


def _sign(polarity: str | None) -> int:
    return {"favorable": 1, "unfavorable": -1}.get(polarity, 0)


def _stacked_extent(totals, parties):
    for p in parties:
        yield totals[(p, "favorable", "narrator")] + totals[(p, "favorable", "quoted")]
        yield totals[(p, "unfavorable", "narrator")] + totals[(p, "unfavorable", "quoted")]


def _counts_for(lex, party: str | None, polarity: str | None, sides) -> str | None:
    """The one side a piece of evidence counts for (None if it counts for none, or for several)."""
    counted = lex.counts_for(party, polarity)
    return counted[0] if len(counted) == 1 else None


# --------------------------------------------------------------------------------------------
# Groups


def _slant_axis_label(sides) -> str:
    return f"slant: {sides[0].upper()} − {sides[1].upper()} framing per 1,000 words"


def _ci_level(table) -> str:
    return f"{round(100 * table.attrs.get('ci', 0.95))}%"


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
        if value is not None and (not isinstance(value, (int, np.integer)) or value < 1):
            raise InputError(f"{name} must be a positive integer. Got {value!r} instead")
    kept = list(sizes)
    if groups is not None:
        wanted = list(dict.fromkeys(groups))
        names = {str(g): g for g in sizes}
        missing = [g for g in wanted if g not in sizes and str(g) not in names]
        if missing:
            some = ", ".join(map(str, list(sizes)[:10])) + (" ..." if len(sizes) > 10 else "")
            raise InputError(f"no group {missing[0]!r}; groups are: {some}")
        chosen = {g if g in sizes else names[str(g)] for g in wanted}
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


#: Largest figure any chart makes by itself (inches: width, height).
MAX_INCHES = (22.0, 24.0)


def _canvas(fig, ax, width: float, height: float):
    """The figure to draw on: the given one (a Figure or SubFigure), the one of ``ax``, or a new one
    of this size, bounded so that no chart becomes a poster."""
    if ax is not None:
        return ax.figure
    if fig is not None:
        return fig
    return _figure(min(width, MAX_INCHES[0]), min(height, MAX_INCHES[1]))



def _table_sizes(table, by) -> dict:
    sizes: dict = {}
    for g, n in zip(table[by].tolist(), table["n"].tolist()):
        sizes[g] = sizes.get(g, 0) + int(n)
    return sizes


def outlet_chart(table, title: str | None = None, *, top: int | None = None, min_n: int | None = None,
                 groups=None, ax=None, fig=None):
    """Each group's slant with its confidence interval, and the share of its articles leaning each way.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`framing.table.compare` without ``over``.
    title : str, optional
        Default: what is drawn (groups and articles, of how many), lexicon and voice.
    top : int, optional
        Draw the ``top`` groups with the most articles (default: all, at most
        ``MAX_GROUPS["outlets"]``); see :func:`choose_groups`.
    min_n : int, optional
        Leave out groups with fewer articles.
    groups : iterable, optional
        Draw only these groups.
    ax : matplotlib Axes, optional
        Draw the slant panel alone on this Axes (and return it), to compose with other charts.
    fig : matplotlib Figure or SubFigure, optional
        Draw both panels on this figure instead of a new one.

    Returns
    -------
    matplotlib.figure.Figure, or the Axes when ``ax`` is given
        Left: a dot-and-whisker plot, groups sorted from most slanted toward the first side (top)
        to most toward the second; a hollow dot has no interval (too few articles). Right: the
        share of each group's articles whose lean is each side, or none.
    """
    _check_matplotlib()
    by = table.attrs.get("by", table.columns[0])
    sides = table.attrs.get("sides") or []
    if "slant.mean" not in table.columns or len(sides) < 2:
        raise InputError("the outlet chart needs a table from compare() on a lexicon with two sides")
    if table.attrs.get("over"):
        raise InputError("this table is split by period; draw it with trend_chart()")
    sizes = _table_sizes(table, by)
    kept = choose_groups(sizes, groups=groups, top=top, min_n=min_n, limit=MAX_GROUPS["outlets"])
    keep = set(kept)
    table = table[[g in keep for g in table[by]]]
    colors = side_colors(sides)
    n = len(table)
    canvas = _canvas(fig, ax, 10, 1.6 + 0.45 * n)
    if ax is None:
        ax, shares = canvas.subplots(1, 2, width_ratios=[3, 1.3], sharey=True)
    else:
        shares = None
    y = np.arange(n)[::-1]
    mean, lo, hi = (table[f"slant.{k}"].to_numpy(float) for k in ("mean", "lo", "hi"))
    point_colors = [colors[sides[0]] if m > 0 else colors[sides[1]] if m < 0 else NEUTRAL for m in mean]
    has_ci = ~np.isnan(lo)
    ax.hlines(y[has_ci], lo[has_ci], hi[has_ci], colors=np.array(point_colors, dtype=object)[has_ci], linewidth=2.2)
    ax.scatter(mean[has_ci], y[has_ci], color=np.array(point_colors, dtype=object)[has_ci], s=50, zorder=3,
               label=f"mean, {_ci_level(table)} bootstrap CI")
    if (~has_ci).any():
        ax.scatter(mean[~has_ci], y[~has_ci], facecolors="white", edgecolors=np.array(point_colors, dtype=object)[~has_ci],
                   s=50, zorder=3, label="mean (too few articles for a CI)")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [f"{g} (n={k})" for g, k in zip(table[by], table["n"])])
    ax.set_xlabel(f"{_slant_axis_label(sides)}\n← more {sides[1].upper()} framing          more {sides[0].upper()} framing →")
    ax.grid(axis="x", alpha=0.3)
    heading = title or (f"Framing slant: {_drawn(kept, sizes, by, min_n, groups is not None)}, "
                        f"lexicon {table.attrs.get('lexicon') or '?'}{_voice_note(table)}")
    if shares is None:
        ax.set_title(heading, fontsize="medium")
        ax.legend(fontsize="small", frameon=False)
        return ax
    left = np.zeros(n)
    for key, color in [(sides[0], colors[sides[0]]), ("none", NEUTRAL), (sides[1], colors[sides[1]])]:
        share = table[f"lean_share.{key}"].to_numpy(float)
        shares.barh(y, share, left=left, color=color, height=0.6, label="no lean" if key == "none" else f"leans {key.upper()}")
        left += share
    shares.set_xlim(0, 1)
    shares.set_xlabel("share of articles\nby their lean")
    handles, labels = ax.get_legend_handles_labels()
    more, more_labels = shares.get_legend_handles_labels()
    canvas.legend(handles + more, labels + more_labels, loc="outside lower center",
                  ncol=len(labels) + len(more_labels), fontsize="small", frameon=False)
    canvas.suptitle(heading)
    return canvas


def _voice_note(table) -> str:
    return ", all voices: quotations included" if table.attrs.get("voice") == "all" else ""


def trend_chart(table, title: str | None = None, ncols: int = 3, *, top: int | None = None,
                min_n: int | None = None, groups=None, fig=None):
    """Slant over time, one small panel per group, with its confidence band.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`framing.table.compare` with ``over``.
    title : str, optional
    ncols : int, default=3
        Panels per row.
    top, min_n, groups : optional
        Which groups get a panel (see :func:`choose_groups`; default: all, at most
        ``MAX_GROUPS["trend"]``, those with the most articles).
    fig : matplotlib Figure or SubFigure, optional
        Draw the panels on this figure instead of a new one.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per group (sorted as in the table), sharing both axes, each with its own date
        labels: the mean slant per period as a line, its bootstrap interval as a band and a
        whisker; the line is broken across periods with no article of the group; hollow dots mark
        periods with too few articles for an interval. Articles without a date are not in the
        table (``compare`` leaves them out); the title says how many.
    """
    import pandas as pd

    from .table import PERIODS

    _check_matplotlib()
    by = table.attrs.get("by", table.columns[0])
    over = table.attrs.get("over")
    sides = table.attrs.get("sides") or []
    if not over or "period_start" not in table.columns:
        raise InputError("the trend chart needs a table from compare(..., over='month') or another period")
    if "slant.mean" not in table.columns or len(sides) < 2:
        raise InputError("the trend chart needs a lexicon with two sides")
    sizes = _table_sizes(table, by)
    kept = choose_groups(sizes, groups=groups, top=top, min_n=min_n, limit=MAX_GROUPS["trend"])
    # Every period from the first to the last: a group with no article in one gets a gap there.
    starts = pd.to_datetime(table["period_start"])
    freq = PERIODS[over]
    every = pd.period_range(starts.min().to_period(freq), starts.max().to_period(freq), freq=freq).start_time
    ncols = max(1, min(ncols, len(kept)))
    nrows = -(-len(kept) // ncols)
    canvas = _canvas(fig, None, 4.2 * ncols, 1.4 + 2.6 * nrows)
    axes = np.atleast_1d(canvas.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)).ravel()
    colors = side_colors(sides)
    for ax, group in zip(axes, kept):
        rows = table[[g == group for g in table[by]]]
        series = rows.assign(period_start=pd.to_datetime(rows["period_start"])).set_index("period_start")
        series = series[[f"slant.{k}" for k in ("mean", "lo", "hi")]].reindex(every)
        x = series.index.to_numpy()
        mean, lo, hi = (series[f"slant.{k}"].to_numpy(float) for k in ("mean", "lo", "hi"))
        ax.axhline(0, color="black", linewidth=0.7)
        ax.fill_between(x, lo, hi, color="#555555", alpha=0.18, linewidth=0)
        ax.plot(x, mean, color="#333333", linewidth=1.4)  # NaN where the group has no article: a gap
        seen = ~np.isnan(mean)
        ok = seen & ~np.isnan(lo)
        point = np.array([colors[sides[0]] if m > 0 else colors[sides[1]] if m < 0 else NEUTRAL for m in mean],
                         dtype=object)
        # Whiskers as well as the band: a period between two periods without an interval has no band.
        ax.vlines(x[ok], lo[ok], hi[ok], color="#555555", linewidth=1.2)
        ax.scatter(x[ok], mean[ok], c=point[ok], s=22, zorder=3)
        ax.scatter(x[seen & ~ok], mean[seen & ~ok], facecolors="white", edgecolors=point[seen & ~ok], s=22, zorder=3)
        ax.set_title(f"{group} (n={sizes[group]})", fontsize="medium")
        ax.grid(alpha=0.3)
        ax.tick_params(labelbottom=True)  # dates under every panel, not only the bottom row
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    for ax in axes[len(kept):]:
        ax.set_axis_off()
    canvas.supylabel(f"{_slant_axis_label(sides)}\n(> 0: {sides[0].upper()} framing, < 0: {sides[1].upper()})")
    undated = table.attrs.get("undated", 0)
    left_out = f"; {undated:,} undated articles left out" if undated else ""
    canvas.suptitle(title or f"Framing slant by {over}: {_drawn(kept, sizes, by, min_n, groups is not None)}"
                             f"{left_out}{_voice_note(table)}\n(band and whiskers: {_ci_level(table)} bootstrap CI; "
                             "hollow dot: too few articles for one; gap: no article that period)")
    return canvas


def term_chart(df, by: str = "outlet", lexicon=None, top: int = 20, voice: str = "narrator",
               title: str | None = None, *, groups=None, top_groups: int | None = None,
               min_n: int | None = None, ax=None, fig=None):
    """Group × term heatmap: how often each group uses each loaded term or naming choice.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`framing.table.score_corpus`.
    by : str, default="outlet"
        The field whose values form the columns.
    lexicon : str, path or Lexicon, optional
        For glosses and sides (default: the frame's lexicon).
    top : int, default=20
        How many terms (the most used in the groups drawn).
    voice : {"narrator", "all"}, default="narrator"
        Count only the outlet's own words, or quoted statements too.
    title : str, optional
    groups, top_groups, min_n : optional
        Which groups get a column (see :func:`choose_groups`; ``top_groups`` is its ``top``;
        default: all, at most ``MAX_GROUPS["terms"]``, those with the most articles).
    ax : matplotlib Axes, optional
        Draw on this Axes (and return it).
    fig : matplotlib Figure or SubFigure, optional
        Draw on this figure instead of a new one.

    Returns
    -------
    matplotlib.figure.Figure, or the Axes when ``ax`` is given
        Rows are terms (English gloss · Arabic), grouped by the side a naming choice counts for,
        with evaluative terms (whose side depends on their target) last; the gloss is coloured by
        that side. Columns are groups, in slant order; cells are uses per 1,000 words (written in
        the cells when there are few enough columns to read them).
    """
    _check_matplotlib()
    from .table import check_voice, field_names, group_keys, mean_slant_by, sides_of

    if by not in df.columns or by not in field_names(df):
        raise InputError(f"no field {by!r} in the corpus; fields are: {', '.join(map(str, field_names(df)))}")
    check_voice(voice)
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise InputError(f"top must be a positive integer. Got {top!r} instead")
    lex = _load(lexicon, df.attrs.get("lexicon_path"))
    sides = sides_of(df)
    colors = side_colors(sides)
    keys = group_keys(df, by)
    order = list(dict.fromkeys(keys))
    if len(sides) >= 2:
        mean = mean_slant_by(df, by)
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
        raise InputError("no loaded terms or naming choices in these articles: nothing to draw")
    by_entry = {e.term: e for e in lex.entries}
    chosen = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))[:top]

    def row_side(term):
        e = by_entry.get(term)
        return _counts_for(lex, e.party, e.polarity, sides) if e is not None and e.kind == "naming" else None

    rank = {s: i for i, s in enumerate(sides)}
    chosen.sort(key=lambda t: (rank.get(row_side(t), len(sides)), -sum(counts[t].values()), t))
    rates = np.array([[1000 * counts[t][g] / max(words[g], 1) for g in kept] for t in chosen])
    given_ax = ax is not None
    canvas = _canvas(fig, ax, 4.5 + 0.55 * len(kept) + (0.7 * len(kept) if len(kept) <= 12 else 0),
                     2.6 + 0.36 * len(chosen))
    if ax is None:
        ax = canvas.add_subplot()
    image = ax.imshow(rates, aspect="auto", cmap="YlOrBr")
    ax.set_xticks(range(len(kept)), [str(g) for g in kept], rotation=30 if len(kept) <= 12 else 60, ha="right")
    ax.set_yticks(range(len(chosen)), [term_label(t, lex.gloss(t)) for t in chosen])
    for label, term in zip(ax.get_yticklabels(), chosen):
        label.set_color(colors.get(row_side(term), "black"))
    peak = rates.max() if rates.size else 0
    if len(kept) <= 12:  # beyond that the numbers no longer fit their cells; the colour says it
        for i in range(rates.shape[0]):
            for j in range(rates.shape[1]):
                if rates[i, j] > 0:
                    ax.text(j, i, f"{rates[i, j]:.2f}", ha="center", va="center", fontsize="x-small",
                            color="white" if rates[i, j] > 0.6 * peak else "black")
    canvas.colorbar(image, ax=ax, label="uses per 1,000 words", shrink=0.8)
    where = "the outlet's own words" if voice == "narrator" else "all voices, quotes included"
    heading = title or (f"Loaded terms: the {len(chosen)} most used ({where}); "
                        f"{_drawn(kept, sizes, by, min_n, groups is not None)}")
    if given_ax:
        ax.set_title(heading, fontsize="medium")
        return ax
    handles = [Patch(color=colors[s], label=f"naming choice counting for {s.upper()}") for s in sides]
    handles.append(Patch(color="black", label="evaluative term (side depends on its target)"))
    canvas.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize="x-small", frameon=False)
    canvas.suptitle(heading)
    return canvas


def distinctive_chart(terms, top: int = 15, title: str | None = None, *, fig=None) -> Figure:
    """The words most typical of each of two groups, by z-score of the weighted log-odds ratio.

    Parameters
    ----------
    terms : pandas.DataFrame
        Output of :func:`framing.distinctive.distinctive_terms`.
    top : int, default=15
        Words shown per group.
    title : str, optional
    fig : matplotlib Figure or SubFigure, optional
        Draw on this figure instead of a new one.

    Returns
    -------
    matplotlib.figure.Figure
        Two bar panels: the second group's words (left), the first group's (right); bar length is
        |z|. Words already in the lexicon are solid and carry their gloss; the others (outlined)
        are candidates an analyst may want to add. Dotted lines mark |z| = 1.96.
    """
    _check_matplotlib()
    a, b = terms.attrs.get("groups", ("first group", "second group"))
    by = terms.attrs.get("by", "group")
    fig = _canvas(fig, None, 12, 1.8 + 0.34 * top)
    left, right = fig.subplots(1, 2)
    reach = 0.0
    for ax, rows, group, color in ((right, terms[terms["z"] > 0].head(top), a, SIDE_COLORS[0]),
                                   (left, terms[terms["z"] < 0].sort_values("z").head(top), b, SIDE_COLORS[1])):
        y = np.arange(len(rows))[::-1]
        z = np.abs(rows["z"].to_numpy(float))
        reach = max(reach, z.max(initial=0.0))
        known = rows["in_lexicon"].to_numpy(bool)
        ax.barh(y[known], z[known], color=color, height=0.7, label="in the lexicon")
        ax.barh(y[~known], z[~known], facecolor="white", edgecolor=color, height=0.7, label="not in the lexicon")
        shown = rows["display"] if "display" in rows.columns else rows["term"]
        labels = [term_label(t, g if k else None) for t, g, k in zip(shown, rows["gloss"], known)]
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.7, top - 0.3)
        ax.axvline(1.96, color="black", linestyle=":", linewidth=0.8)
        ax.set_title(f"typical of {group}", fontsize="medium")
        ax.legend(loc="lower right" if ax is right else "lower left", fontsize="x-small", frameon=False)
    for ax in (left, right):
        ax.set_xlim(0, max(2.5, reach * 1.05))
    left.invert_xaxis()
    right.yaxis.tick_right()
    fig.supxlabel("|z| of the weighted log-odds ratio (informative Dirichlet prior); dotted line: |z| = 1.96",
                  fontsize="medium")
    fig.suptitle(title or f"Distinctive words by {by}: {a} vs {b}")
    return fig


# --------------------------------------------------------------------------------------------
# Output


def check_output(path, inputs=()) -> Path:
    """Fail early, before any work, if a chart cannot be written to ``path`` (see
    :func:`framing.output.check_output`; ``inputs`` are files the chart must not replace)."""
    return output.check_output(path, inputs, suffixes=FORMATS, what="the chart")


def save_figure(fig: Figure, path, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (the format follows its extension: .png, .svg or .pdf).

    The file appears whole or not at all: it is written to a temporary file beside it and renamed.

    Raises
    ------
    InputError
        If the extension is not one of those, or the file cannot be written.
    """
    path = check_output(path)
    with output.atomic_output(path, what="the chart") as tmp:
        fig.savefig(tmp, dpi=dpi, format=path.suffix.lower().lstrip("."))
    return path
