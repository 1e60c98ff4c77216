"""HTML reports: an article with every piece of evidence highlighted, or a corpus report.

A page is one self-contained file: styles inline, charts embedded as SVG images (``data:`` URIs),
no script, no font or stylesheet fetched from anywhere. The article is laid out right to left
(``dir="rtl"``, ``lang="ar"``) in a font stack that shapes Arabic; the summaries, which are in
English, are set left to right inside it.

Every match is a ``<mark>`` over exactly the characters its offsets give (``text[start:end]``),
coloured by the side the evidence counts for (the lexicon answers: :meth:`Lexicon.counts_for
<framing.lexicon.Lexicon.counts_for>`); pointing at it or focusing it (Tab) shows its target, the
attachment rule in words, its voice and the lexicon ``file:line`` it came from. Quoted statements
are set apart, labelled with their speaker. The article text keeps its line breaks
(``white-space: pre-wrap``), so the page's text is the article's text.

Article text is untrusted input: pages are rendered by Jinja2 with autoescaping on, so a
``<script>`` in an article is shown as text. Charts are images, which cannot run code.
"""

from __future__ import annotations

import base64
import io
import math
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from ..attach import RULES
from ..errors import plural
from ..palette import NEUTRAL, SEVERAL, side_colors
from ..schema import group_name

#: Fonts that shape Arabic, most common first; the browser takes the first one it has.
FONT_STACK = ('"Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", "Geeza Pro", '
              '"Traditional Arabic", "Arabic Typesetting", "Segoe UI", Tahoma, "DejaVu Sans", sans-serif')
#: Characters of context on each side of a piece of evidence in the corpus report.
CONTEXT = 60
KIND_WORDS = {
    "actor": "actor mention (names a party; scores nothing by itself)",
    "naming": "naming choice (frames the party it names)",
    "evaluative": "loaded term (frames the actor it attaches to)",
}


@lru_cache(maxsize=1)
def _env():
    """The templates' Jinja environment, built once per process (compiling the templates costs
    ~15 ms a page). Private and never changed once built: no caller can alter another's page."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup, escape

    # Autoescaping everywhere: article text, titles and field values are untrusted.
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda x, digits=2: "–" if _missing(x) else f"{x:.{digits}f}"
    env.filters["signed"] = lambda x, digits=2: "–" if _missing(x) else f"{x:+.{digits}f}"
    # The HTML parser turns a carriage return in text into a line feed; a character reference keeps it,
    # so the page's text stays the article's, offset for offset.
    env.filters["verbatim"] = lambda text: Markup(str(escape(text)).replace("\r", "&#13;"))
    # Arabic quoted in English («ميليشيات الوفاق») is isolated, so its guillemets face the right way.
    env.filters["isolate"] = lambda text: Markup(re.sub("«[^«»]*»", lambda m: f'<bdi dir="rtl" lang="ar">{m.group()}</bdi>',
                                                        str(escape(text))))
    env.filters["pct"] = lambda x: "–" if _missing(x) else f"{100 * x:.0f}%"
    env.filters["plural"] = plural  # {{ n|plural("word") }}: 1 word, 2 words
    return env


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _lexicon(score, lexicon=None):
    from ..lexicon import load_lexicon

    return load_lexicon(lexicon or score.source_lexicon or score.lexicon)


def _party_name(lex, pid: str | None) -> str:
    if pid is None:
        return "unknown"
    party = lex.parties.get(pid)
    if party is None:
        return pid
    return f"{pid.upper()} ({party.name})" if party.side == pid else f"{party.name} ({pid})"


def _side_style(lex) -> dict:
    """CSS class per side (``s0``, ``s1`` ...) and its colour, in lexicon order."""
    colors = side_colors(lex.sides)
    return {s: {"cls": f"s{i}", "color": colors[s], "label": s.upper()} for i, s in enumerate(lex.sides)}


def _match_view(m, lex, sides: dict, ident: str) -> dict:
    counted = lex.counts_for(m.target, m.polarity) if m.kind != "actor" else ()
    if m.kind == "actor":
        cls, counts = "actor", "nothing (an actor mention is not evidence by itself)"
    elif not counted:
        cls, counts = "untargeted", "nothing: no target was found, so it is not scored"
    elif len(counted) == 1:
        cls, counts = sides[counted[0]]["cls"], counted[0].upper()
    else:
        cls, counts = "several", " and ".join(s.upper() for s in counted) + " (split equally)"
    entry_gloss = lex.gloss(m.term)
    voice = ("the outlet's own words (narrator)" if m.voice == "narrator"
             else f"quoted: {_party_name(lex, m.speaker) if m.speaker else 'speaker unknown'}"
                  " (counts in all voices only)")
    # (what, Arabic shown isolated from the English around it, English)
    lines = [("term", m.term, f"– {entry_gloss}" if entry_gloss else ""),
             ("kind", "", KIND_WORDS.get(m.kind, m.kind))]
    if m.kind != "actor":
        lines.append(("polarity", "", f"{m.polarity}, weight {m.weight:g}"))
    lines.append(("target", "", _party_name(lex, m.target) if m.target else "none (untargeted)"))
    if m.rule:
        lines.append(("rule", "", f"{m.rule}: {RULES.get(m.rule, '')}".rstrip(": ")))
    lines += [("voice", "", voice), ("counts for", "", counts), ("lexicon", "", m.source)]
    return {"id": ident, "cls": f"{cls} v-{m.voice}", "lines": lines,
            "start": m.start, "end": m.end, "side": counted[0] if len(counted) == 1 else ""}


def article_blocks(score, lex, prefix: str = "") -> list[dict]:
    """The article cut into runs for the template: ``[{statement, runs: [{text, match, first}]}]``.

    Every character of ``score.text`` is in exactly one run, in order; a run lies inside at most
    one match and one statement. A match that crosses a statement's edge is cut in two runs (both
    carry its id; the first carries its explanation).
    """
    text = score.text
    if not text and score.words:
        raise ValueError("this Score carries no text (it was not made by Scorer.score); pass one that does")
    matches = sorted(score.matches, key=lambda m: m.start)
    for a, b in pairwise(matches):
        if b.start < a.end:  # the matcher resolves leftmost-longest, so this is a bug upstream
            raise ValueError(f"matches overlap: {a.start}-{a.end} and {b.start}-{b.end}")
    sides = _side_style(lex)
    views = [_match_view(m, lex, sides, f"{prefix}m{i}") for i, m in enumerate(matches)]
    statements = sorted(score.statements, key=lambda s: s.start)
    cuts = sorted({0, len(text), *(x for m in matches for x in (m.start, m.end)),
                   *(x for s in statements for x in (s.start, s.end))})
    m_starts = [m.start for m in matches]
    s_starts = [s.start for s in statements]
    blocks: list[dict] = []
    seen = set()
    for a, b in pairwise(cuts):
        k = bisect_right(m_starts, a) - 1
        match = views[k] if k >= 0 and a < matches[k].end else None
        j = bisect_right(s_starts, a) - 1
        statement = j if j >= 0 and a < statements[j].end else None
        if not blocks or blocks[-1]["index"] != statement:
            view = None
            if statement is not None:
                st = statements[statement]
                view = {"label": f"quoted · {st.speaker.upper() if st.speaker else 'speaker unknown'}",
                        "title": f"quoted statement, speaker: {_party_name(lex, st.speaker)}",
                        "id": f"{prefix}q{statement}"}
            blocks.append({"index": statement, "statement": view, "runs": []})
        first = match is not None and match["id"] not in seen
        if match is not None:
            seen.add(match["id"])
        blocks[-1]["runs"].append({"text": text[a:b], "match": match, "first": first})
    return blocks


BASIS_WORDS = {"narrator": "from the outlet's own words",
               "sourcing": "from one-sided sourcing: its quotes count at half weight"}


def _summary(score, lex, model_stance: dict | None, combined: dict | None) -> dict:
    narrator, every = score.narrator, score.all_voices
    parties = []
    for pid, p in score.parties.items():
        a = every.parties[pid]
        if not (p.mentions or a.mentions or (model_stance and pid in model_stance)):
            continue
        row = {"id": pid, "name": _party_name(lex, pid), "side": lex.side_of(pid).upper() if pid in lex.parties else "",
               "p": p, "a": a, "model": (model_stance or {}).get(pid), "combined": (combined or {}).get(pid)}
        parties.append(row)

    def upper(side):
        return side.upper() if side else None

    return {
        "lean": upper(score.lean), "basis": BASIS_WORDS.get(score.basis),
        "lean_narrator": upper(narrator.lean), "lean_all": upper(every.lean),
        "sides": [{"id": s, "label": s.upper(), "reading": score.sides.get(s, 0.0), "all": every.sides.get(s, 0.0)}
                  for s in lex.sides],
        "parties": parties,
        "evidence": sum(1 for m in score.matches if m.kind != "actor"),
        "actors": sum(1 for m in score.matches if m.kind == "actor"),
        "untargeted": score.untargeted,
        "quoted": len(score.statements),
        "model": bool(model_stance), "combined": bool(combined),
    }


def _heading(meta: dict, fallback: str) -> dict:
    ident = meta.get("id") or fallback
    details = [(k, meta[k]) for k in ("outlet", "date") if meta.get(k) not in (None, "")]
    return {"title": meta.get("title") or ident, "id": ident, "details": details}


def _legend(lex) -> list[dict]:
    return [{"cls": v["cls"], "color": v["color"], "text": f"counts for {v['label']}"} for v in _side_style(lex).values()]


def article_context(score, *, lexicon=None, model_stance: dict | None = None, combined: dict | None = None,
                    prefix: str = "", name: str = "article") -> dict:
    """What the templates need to show one article (used by the article page and the corpus report)."""
    lex = _lexicon(score, lexicon)
    return {"blocks": article_blocks(score, lex, prefix), "summary": _summary(score, lex, model_stance, combined),
            "heading": _heading(score.meta, name), "score": score, "anchor": prefix.rstrip("-") or "article",
            "warnings": list(score.warnings)}


def _style(lex) -> dict:
    return {"sides": list(_side_style(lex).values()), "neutral": NEUTRAL, "several": SEVERAL, "fonts": FONT_STACK,
            "rules": RULES, "legend": _legend(lex)}


def article_page(score, *, lexicon=None, model_stance: dict | None = None, combined: dict | None = None,
                 name: str = "article", fragment: bool = False) -> str:
    """A page (or, with ``fragment``, a ``<div>`` for a notebook) showing one scored article.

    Parameters
    ----------
    score : Score
        From :meth:`framing.scorer.Scorer.score` (it keeps the text and the quoted statements).
    lexicon : str, path or Lexicon, optional
        The lexicon it was scored with (default: the one the Score keeps).
    model_stance : dict, optional
        ``{party: {"label": ..., "proba": {class: p}}}`` from :meth:`StanceModel.predict
        <framing.model.StanceModel.predict>`, shown beside the lexicon's stance.
    combined : dict, optional
        ``{party: {"stance": ..., "source": ...}}`` from :func:`framing.combine.combine`.
    name : str, default="article"
        What to call the article when its ``meta`` has no ``id`` or ``title`` (e.g. the file name).
    fragment : bool, default=False
        Return a self-contained ``<div>`` (with its style) instead of a whole document.
    """
    lex = _lexicon(score, lexicon)
    context = article_context(score, lexicon=lex, model_stance=model_stance, combined=combined, name=name)
    template = "fragment.html.j2" if fragment else "article.html.j2"
    return _env().get_template(template).render(article=context, style=_style(lex), lexicon=lex.name)


def strongest_evidence(df, by: str, top: int = 3) -> dict:
    """Per group, the ``top`` heaviest pieces of narrator evidence: ``{group: [(row label, match)]}``.

    Only targeted naming and evaluative matches in the outlet's own voice count (what the slant is
    made of); ties go to the earlier article. Groups are those of :func:`framing.groups.compare`
    (:func:`framing.groups.group_keys`: missing values are one group, None).
    """
    from ..groups import group_keys

    out: dict = {}
    for label, group, matches in zip(df.index, group_keys(df, by), df["matches"]):
        for m in matches:
            if m.kind != "actor" and m.target is not None and m.voice == "narrator":
                out.setdefault(group, []).append((label, m))
    return {g: sorted(items, key=lambda lm: -lm[1].weight)[:top] for g, items in out.items()}


def _snippet(text: str, m) -> dict:
    left = text[max(0, m.start - CONTEXT):m.start].split("\n")[-1]
    right = text[m.end:m.end + CONTEXT].split("\n")[0]
    return {"left": ("…" if m.start - CONTEXT > 0 and "\n" not in text[m.start - CONTEXT:m.start] else "") + left,
            "text": m.text, "right": right + ("…" if len(text) > m.end + CONTEXT else "")}


def figure_uri(fig) -> str:
    """A matplotlib Figure as an SVG ``data:`` URI (an image: it cannot run code or fetch anything)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def corpus_page(table, scores: dict, evidence: dict, *, figures: dict | None = None, title: str | None = None,
                lexicon=None, settings=None) -> str:
    """A corpus report: the group table with intervals, charts, and each group's strongest evidence.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framing.table.compare` (without ``over``).
    scores : dict
        ``{row label: Score}`` of the articles the evidence comes from (each shown in full at the
        end of the page, with its highlights).
    evidence : dict
        ``{group: [(row label, Match)]}``, e.g. from :func:`strongest_evidence`.
    figures : dict, optional
        ``{caption: matplotlib Figure}`` embedded as SVG images.
    title : str, optional
    lexicon : str, path or Lexicon, optional
        Default: the lexicon of the first Score, else the one the table's settings name.
    settings : CompareSettings, optional
        How the table was made (default: what its ``attrs`` record; refused when they are lost);
        see :class:`framing.groups.CompareSettings`.
    """
    from ..errors import InputError
    from ..groups import CompareSettings, group_keys
    from ..lexicon import load_lexicon

    settings = CompareSettings.of(table, settings)
    first = next(iter(scores.values()), None)
    lexicon = lexicon or (first.source_lexicon if first is not None else None) or settings.lexicon
    if lexicon is None:  # never the default lexicon by guess
        raise InputError("which lexicon scored this table is not known: pass lexicon=")
    lex = load_lexicon(lexicon)
    by = settings.by
    sides = list(settings.sides)
    style = _style(lex)
    anchors = {label: f"a{k}" for k, label in enumerate(scores)}
    articles = [article_context(s, lexicon=lex, prefix=f"{anchors[label]}-", name=str(label))
                for label, s in scores.items()]
    rows = []
    # The table's groups by the grouping rule: its missing group is NaN in a column of strings or numbers
    for rec, group in zip(table.to_dict("records"), group_keys(table, by)):
        items = []
        for label, m in evidence.get(group, []):
            s = scores[label]
            counted = lex.counts_for(m.target, m.polarity)
            items.append({"anchor": anchors[label], "id": s.meta.get("id") or str(label), **_snippet(s.text, m),
                          "cls": style["sides"][lex.sides.index(counted[0])]["cls"] if len(counted) == 1 else "several",
                          "about": f"{m.polarity} about {_party_name(lex, m.target)}, weight {m.weight:g}, "
                                   f"rule {m.rule}: {RULES.get(m.rule, '')}"})
        rows.append({"group": group_name(group), "rec": rec, "evidence": items})
    context = {
        "title": title or f"Framing by {by}",
        "by": by, "sides": [s for s in sides], "two": settings.slant is not None and "slant.mean" in table.columns,
        "slant": list(settings.slant or ()),
        "parties": list(settings.parties), "rows": rows,
        "articles_total": settings.articles,
        "ci": round(100 * settings.ci), "n_boot": settings.n_boot,
        "seed": settings.seed, "min_n": settings.min_n,
        "voice": settings.voice,
        "figures": [{"caption": c, "uri": figure_uri(f)} for c, f in (figures or {}).items()],
        "articles": articles,
    }
    return _env().get_template("corpus.html.j2").render(corpus=context, style=style, lexicon=lex.name)


def write_page(html: str, path) -> Path:
    """Write a page to ``path`` whole or not at all (see :func:`framing.output.atomic_output`)."""
    from ..output import atomic_output

    path = Path(path)
    with atomic_output(path, what="the report") as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path
