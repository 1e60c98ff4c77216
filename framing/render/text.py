"""Plain text for the terminal: one renderer per result (no scoring, no I/O here).

* :func:`score_report` -- one article's :class:`~framing.results.Score` and its evidence;
* :func:`compare_table` -- a :func:`framing.groups.compare` table, aligned;
* :func:`training_report` -- cross-validated metrics of ``framing train``;
* :func:`prediction_lines` -- one article's predicted stances and their explanation;
* :func:`feature_label` -- a model feature for people;
* :func:`evaluation_report` -- ``framing evaluate``'s figures, confusion matrices, groups and misses;
* :func:`kwic_line` -- one occurrence of ``framing kwic``;
* :func:`suggestion_rows` -- ``framing lexicon suggest``'s candidates as ``terms.tsv`` rows;
* :func:`lexicon_summary` -- ``framing lexicon check``'s summary of a lexicon.
"""

from __future__ import annotations

import math
from functools import wraps

from ..attach import RULES
from ..errors import escape_text, plural
from ..results import Score
from ..schema import group_name

CONTEXT = 30


def _on_a_terminal(render):
    """``render``, its text written safe for a terminal (:func:`framing.errors.escape_text`): these
    reports show article text, ids and group names from the corpus, which may hold an ESC sequence
    or a bidi override."""
    @wraps(render)
    def safe(*args, **kwargs) -> str:
        return escape_text(render(*args, **kwargs))
    return safe


def _stance(label: str | None) -> str:
    return label or "not named"


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT):start].split("\n")[-1]
    right = text[end:end + CONTEXT].split("\n")[0]
    return f"…{left}[{text[start:end]}]{right}…"


@_on_a_terminal
def score_report(result: Score, text: str, where: str, model_stance: dict | None = None) -> str:
    """A readable report: lean, sides, per-party stance (narrator and all voices) and evidence."""
    narrator, every = result.narrator, result.all_voices
    basis = {"narrator": " (from the narrator's own words)",
             "sourcing": " (from one-sided sourcing: its quotes count at half weight)"}.get(result.basis, "")
    lines = [
        f"{where}: {plural(result.words, 'word')}, lexicon {result.lexicon}",
        (f"lean: {result.lean or 'none (weak or balanced evidence)'}{basis}"
         f"    narrator voice alone: {narrator.lean or 'none'}    all voices: {every.lean or 'none'}"),
        "framing per 1,000 words (evidence counting for each side): "
        + ", ".join(f"{s} {result.sides[s]:.1f} (all voices {every.sides[s]:.1f})" for s in result.sides),
        "",
        "evidence about each party, in summed lexicon weights (not per 1,000 words):",
        f"{'party':<18}{'favorable':>10}{'unfavorable':>12}{'net':>8}  {'stance':<12}| all voices: net, stance",
    ]
    for pid, p in result.parties.items():
        a = every.parties[pid]
        if not (p.mentions or a.mentions):
            continue
        lines.append(f"{pid:<18}{p.favorable:>10.2f}{p.unfavorable:>12.2f}{p.net:>+8.2f}  {_stance(p.stance):<12}"
                     f"| {a.net:+.2f}, {_stance(a.stance)}")
    if model_stance:
        from ..combine import combine

        lines += ["", "classifier stance:"]
        for pid, s in model_stance.items():
            probs = ", ".join(f"{k} {v:.2f}" for k, v in s["proba"].items())
            lines.append(f"  {pid:<16}{s['label']:<12}({probs})")
        lines += ["", "combined stance (the lexicon where it has strong evidence, the classifier otherwise):"]
        for pid, c in combine(result, model_stance).items():
            lines.append(f"  {pid:<16}{c['stance']:<12}(from the {c['source']})")
    evidence = [m for m in result.matches if m.kind != "actor"]
    lines += ["", (f"evidence: {plural(len(evidence), 'loaded term')} ({result.untargeted} untargeted), "
                  f"{plural(len(result.matches) - len(evidence), 'actor mention')}"),
              f"  {'offsets':<13} {'kind':<10} {'polarity':<11} {'weight':<6} {'target (rule)':<28} {'voice':<12} context"]
    for m in evidence:
        target = f"→ {m.target} ({m.rule})" if m.target else "→ untargeted"
        voice = "narrator" if m.voice == "narrator" else f"quoted:{m.speaker or '?'}"
        lines.append(f"  {m.start:>6}-{m.end:<6} {m.kind:<10} {m.polarity or '':<11} {m.weight:<6g} {target:<28} "
                     f"{voice:<12} {_context(text, m.start, m.end)}")
    rules = dict.fromkeys(m.rule for m in evidence if m.rule)
    if rules:
        lines += ["", "rules (how each term found its target):"]
        lines += [f"  {rule}: {RULES.get(rule, 'see framing.attach')}" for rule in rules]
    for message in result.warnings:
        lines.append(f"warning: {message}")
    return "\n".join(lines)


GROUP_WIDTH = 26
VOICE_LABELS = {"narrator": "narrator voice", "reading": "the reading (one-sided sourcing at half weight)",
                "all": "all voices (quotations included)"}


def _interval(row, metric: str, signed: bool = False) -> str:
    fmt = "{:+.2f}" if signed else "{:.2f}"
    mean, lo, hi = row[f"{metric}.mean"], row[f"{metric}.lo"], row[f"{metric}.hi"]
    if math.isnan(lo):  # too few articles
        return fmt.format(mean) + " [no CI]"
    return f"{fmt.format(mean)} [{fmt.format(lo)}, {fmt.format(hi)}]"


def _cut(value, width: int) -> str:
    text = group_name(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@_on_a_terminal
def compare_table(table, settings=None) -> str:
    """The compare table as aligned text for the terminal; ``settings`` as in
    :meth:`framing.groups.CompareSettings.of`."""
    from ..groups import CompareSettings

    a = CompareSettings.of(table, settings)
    by, over, sides = a.by, a.over, a.sides
    pair = a.slant
    two = pair is not None
    heads = [f"{by:<{GROUP_WIDTH}}"] + ([f"{'period':<10}"] if over else []) + [f"{'n':>5}"]
    if two:
        heads.append(f"{'slant ' + pair[0].upper() + '−' + pair[1].upper():<23}")
    heads += [f"{s.upper() + ' framing':<21}" for s in sides]
    heads += [f"{'net ' + s.upper():<23}" for s in sides]
    heads.append("lean " + "/".join(s.upper() for s in sides) + "/none")
    lines = [
        (f"{a.articles} articles by {by}{' and ' + over if over else ''} · lexicon {a.lexicon or '?'} · "
         f"{VOICE_LABELS.get(a.voice, 'voice not recorded')} · {round(100 * a.ci)}% bootstrap CIs ({a.n_boot} resamples, "
         f"seed {a.seed})"),
        "",
        " ".join(heads),
    ]
    for _, row in table.iterrows():
        cells = [f"{_cut(row[by], GROUP_WIDTH):<{GROUP_WIDTH}}"] + ([f"{row['period']:<10}"] if over else [])
        cells.append(f"{int(row['n']):>5}")
        if two:
            cells.append(f"{_interval(row, 'slant', True):<23}")
        cells += [f"{_interval(row, f'sides.{s}'):<21}" for s in sides]
        cells += [f"{_interval(row, f'parties.{s}.net', True):<23}" for s in sides]
        cells.append(" / ".join(f"{100 * row[f'lean_share.{k}']:.0f}%" for k in [*sides, "none"]))
        lines.append(" ".join(cells))
    lines.append("")
    lines.append("framing per side: per 1,000 words; net: favorable − unfavorable evidence about the party per article; "
                 "lean: share of articles.")
    if two:
        lines.append(f"slant: {pair[0].upper()} framing minus {pair[1].upper()} framing; rows run from the most "
                     f"{pair[0].upper()}-slanted group to the most {pair[1].upper()}-slanted.")
    elif len(sides) > 2:
        lines.append(f"no slant: with {len(sides)} sides, name two with --slant FIRST SECOND.")
    small = int(table["note"].notna().sum())
    if small:
        lines.append(f"{small} group(s) have fewer than {a.min_n} articles: mean only, no confidence interval.")
    lines.append("Every party (and a model's mean probabilities, with --model) is in --json.")
    return "\n".join(lines)


@_on_a_terminal
def training_report(results, model=None, top: int = 0) -> str:
    """Cross-validated metrics per party against the baselines; with a saved ``model``, its ``top``
    features."""
    lines = []
    for party, e in results.items():
        scheme = (f"{e.folds} folds holding out whole groups of {e.group_by!r}" if e.scheme == "grouped"
                  else f"stratified {e.folds}-fold")
        counts = ", ".join(f"{c} {n}" for c, n in e.counts.items())
        lines += [f"{party}: {e.model.n} labelled articles ({counts}); cross-validation: {scheme}",
                  f"  {'':<22}{'macro-F1':>9}{'accuracy':>10}"]
        for name, m in (("model", e.model), ("baseline: majority", e.majority), ("baseline: lexicon", e.lexicon)):
            lines.append(f"  {name:<22}{m.macro_f1:>9.3f}{m.accuracy:>10.3f}")
        if not e.beats_lexicon:
            lines.append(f"  the model does NOT beat the lexicon-only rule for {party} "
                         f"(macro-F1 {e.model.macro_f1:.3f} vs {e.lexicon.macro_f1:.3f})")
        labels = e.model.labels
        lines.append("  confusion (rows: label, columns: model prediction)")
        lines.append("  " + " " * 14 + "".join(f"{c[:11]:>12}" for c in labels))
        for c, row in zip(labels, e.model.confusion):
            lines.append(f"  {c:<14}" + "".join(f"{v:>12}" for v in row))
        if model is not None and top > 0:
            clf = model.classifiers_[party]
            for block in ("lexicon", "ngrams"):
                lines.append(f"  top {'lexicon features' if block == 'lexicon' else 'n-grams'} of the saved model "
                             f"for {party}:")
                for label, feats in clf.top_features(top, block).items():
                    lines.append(f"    {label:<12} {', '.join(feature_label(f) for f, _ in feats)}")
        lines.append("")
    return "\n".join(lines).rstrip()


def feature_label(feature: str, terms=()) -> str:
    """A model feature for people: ``lexicon__gna_unfavorable_narrator`` loses its prefix (and shows
    the matched terms behind it); an n-gram is quoted, with its padding as ``_``."""
    from ..errors import escape  # n-grams come from a model file: nothing in them may drive the terminal

    if feature.startswith("ngrams__"):
        return "«" + escape(feature.removeprefix("ngrams__").replace(" ", "_")) + "»"
    name = feature.removeprefix("lexicon__")
    return f"{name} [{'، '.join(dict.fromkeys(terms))}]" if terms else name


@_on_a_terminal
def prediction_lines(ident, stance: dict, explanation: dict | None = None) -> str:
    """``id: party label (probability), ...``, then the features behind each prediction."""
    parts = [f"{party} {s['label']} ({s['proba'][s['label']]:.2f})" for party, s in stance.items()]
    lines = [f"{ident}: " + ", ".join(parts)]
    for party, e in (explanation or {}).items():
        for direction, items in (("toward", e.toward), ("against", e.against)):
            shown = ", ".join(f"{feature_label(c.feature, c.terms)} {c.contribution:+.2f}" for c in items)
            lines.append(f"  {party} {direction} {e.label}: {shown or '-'}")
    return "\n".join(lines)


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _frac(x: float | None, a: int | None, b: int | None) -> str:
    return "-" if x is None else f"{x:.3f} ({a}/{b})"


_EVALUATION_ROWS = (
    ("lean accuracy (abstain = wrong)", lambda f: _frac(f.lean_accuracy, f.lean_right, f.sided)),
    ("lean coverage", lambda f: _frac(f.lean_coverage, f.lean_given, f.sided)),
    ("lean precision", lambda f: _frac(f.lean_precision, f.lean_right, f.lean_given)),
    ("neutral texts given a lean", lambda f: _frac(f.neutral_lean_share, f.neutral_given_lean, f.neutral)),
    ("3-way text stance macro-F1", lambda f: _f(f.text_stance.macro_f1)),
)


@_on_a_terminal
def evaluation_report(result, misses: int = 0) -> str:
    """The evaluation as text: a table of figures per reader, confusion matrices, groups, misses."""
    counts = result.counts()
    sided = sum(n for s, n in counts.items() if s != "neutral")
    lines = [f"{result.source}: {len(result.items)} labelled texts ({sided} sided: "
             + ", ".join(f"{s} {n}" for s, n in counts.items()) + f"); lexicon {result.lexicon}",
             ("text stance from the labels: favorable to a party votes for its side, unfavorable for the other "
             "side(s), split; the side with the most votes, neutral on a tie"),
             ""]
    width = 40
    lines.append((f"{'':<{width}}" + "".join(f"{r:<22}" for r in result.readers)).rstrip())
    rows = list(_EVALUATION_ROWS)
    for party in result.parties:
        rows.append((f"macro-F1 {party} (abstain = sign of net)",
                     lambda f, p=party: _f(f.parties[p].macro_f1) if p in f.parties else "-"))
    lexicon = result.figures["lexicon"]
    if lexicon.evidence is not None:
        rows.append(("evidence recall (sided texts)",
                     lambda f: _frac(f.evidence_recall, f.evidence_sided_matched, f.evidence_sided)))
        rows.append(("evidence recall (all texts)",
                     lambda f: _frac(f.evidence_recall_all, f.evidence_matched, f.evidence)))
    for name, get in rows:
        lines.append(f"{name:<{width}}" + "".join(f"{get(result.figures[r]):<22}" for r in result.readers).rstrip())
    for reader in result.readers:
        for party, pf in result.figures[reader].parties.items():
            lines += ["", f"{party} ({reader}): gold rows, reading columns"]
            columns = list(next(iter(pf.confusion.values())))
            lines.append(f"{'':<14}" + "".join(f"{c:>13}" for c in columns))
            for gold, row in pf.confusion.items():
                lines.append(f"{gold:<14}" + "".join(f"{row[c]:>13}" for c in columns))
    if result.by is not None:
        lines += _evaluation_groups(result)
    if misses:
        lines += _evaluation_misses(result, misses)
    return "\n".join(lines)


def _evaluation_groups(result) -> list[str]:
    head = ["n", "sided", "lean acc", "coverage", "precision", "neutral lean", "3-way F1"]
    head += [f"F1 {p}" for p in result.parties]
    has_evidence = result.figures["lexicon"].evidence is not None
    if has_evidence:
        head.append("evidence")
    lines = []
    for reader in result.readers:
        lines += ["", f"by {result.by} ({reader})", f"{'':<24}" + "".join(f"{h:>13}" for h in head)]
        for group, figs in result.groups.items():
            f = figs[reader]
            cells = [str(f.n), str(f.sided), _f(f.lean_accuracy), _f(f.lean_coverage), _f(f.lean_precision),
                     _f(f.neutral_lean_share), _f(f.text_stance.macro_f1)]
            cells += [_f(f.parties[p].macro_f1) if p in f.parties else "-" for p in result.parties]
            if has_evidence:
                cells.append(_f(f.evidence_recall) if reader == "lexicon" else "-")
            lines.append(f"{group[:23]:<24}" + "".join(f"{c:>13}" for c in cells))
    return lines


def _evaluation_misses(result, n: int) -> list[str]:
    worst = result.misses(n)
    lines = ["", f"the {len(worst)} texts the lexicon reads worst:"]
    for it in worst:
        reading = it.readings["lexicon"]
        gold = ", ".join(f"{p} {label}" for p, label in it.labels.items())
        read = ", ".join(f"{p} {reading.stances.get(p) or 'abstain'}" for p in it.labels)
        lines.append(f"- {it.id} ({it.where}): gold {it.stance} ({gold}); read {reading.stance} ({read})")
        unmatched = [e for e, hit in zip(it.evidence, it.matched) if not hit]
        if unmatched:
            lines.append("    unmatched evidence: " + " | ".join(f"«{e}»" for e in unmatched))
        if it.untargeted:
            lines.append("    untargeted matches: " + " | ".join(it.untargeted))
    return lines


@_on_a_terminal
def kwic_line(line) -> str:
    """One occurrence as a line: ``where``, offsets, the context with the match in brackets, and for a
    lexicon entry its target, rule and voice."""
    out = f"{line.where}\t{line.start}-{line.end}\t{line.right}[{line.match}]{line.left}"
    if line.term is not None:
        out += f"\ttarget={line.target or '-'} rule={line.rule or '-'} voice={line.voice}"
    return out


def suggestion_rows(groups: tuple[str, str], candidates, by: str, min_z: float) -> str:
    """``framing lexicon suggest``'s candidates (:func:`framing.suggest.suggest`) as lines to paste
    into ``terms.tsv``: a comment block per candidate (group, z, counts, clitic variants,
    context), then its row with ``kind`` ... ``gloss`` empty; ``min_z`` is the z-score they pass."""
    a, b = groups
    lines = [(f"# candidates from `framing lexicon suggest --by {by}`: {a} (count_a) against {b} (count_b); "
             f"Fightin' Words z, |z| >= {min_z}."),
             "# Fill in kind, party, polarity, attach, category, weight and gloss of the rows you keep."]
    for c in candidates:
        lines += ["", f"# typical of {c.group}: z {c.z:+.2f}, {c.count_a} vs {c.count_b} uses; forms: {c.variants}"]
        lines += [f"#   {line}" for line in c.context]
        lines.append(c.row())
    return "\n".join(lines)


def lexicon_summary(lexicon) -> str:
    """``framing lexicon check``: a lexicon's entries by kind, parties and sides, how many loaded
    words have a bare party (when any do), what its naming and loaded entries favour, and its
    content hash."""
    from collections import Counter

    kinds = Counter(e.kind for e in lexicon.entries)
    sides = Counter()
    for e in lexicon.entries:
        if e.kind in ("naming", "evaluative") and e.party:
            side = lexicon.side_of(e.party)
            sides[side if e.polarity == "favorable" else f"against {side}"] += 1
    parties = Counter(e.bare for e in lexicon.entries if e.bare)
    bare = (f", {plural(sum(parties.values()), 'loaded word')} with a bare party "
            f"({', '.join(f'{p} {n}' for p, n in parties.most_common())})") if parties else ""
    return (f"{lexicon.name}: OK, {len(lexicon.entries)} entries ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
            f"{len(lexicon.parties)} parties, sides {', '.join(lexicon.sides)}{bare}\n"
            f"naming entries by the side they favour: {dict(sides)}; sha256 {lexicon.sha256[:12]}")
