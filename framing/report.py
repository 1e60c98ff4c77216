"""Plain-text report of a :class:`~framing.results.Score` for the terminal."""

from __future__ import annotations

from .attach import RULES
from .results import Score

CONTEXT = 30


def _stance(label: str | None) -> str:
    return label or "abstain"


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT):start].split("\n")[-1]
    right = text[end:end + CONTEXT].split("\n")[0]
    return f"…{left}[{text[start:end]}]{right}…"


def render(result: Score, text: str, where: str, model_stance: dict | None = None) -> str:
    """A readable report: lean, sides, per-party stance (narrator and all voices) and evidence."""
    narrator, every = result.narrator, result.all_voices
    basis = {"narrator": " (from the narrator's own words)",
             "sourcing": " (from one-sided sourcing: its quotes count at half weight)"}.get(result.basis, "")
    lines = [
        f"{where}: {result.words} words, lexicon {result.lexicon}",
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
        from .combine import combine

        lines += ["", "classifier stance:"]
        for pid, s in model_stance.items():
            probs = ", ".join(f"{k} {v:.2f}" for k, v in s["proba"].items())
            lines.append(f"  {pid:<16}{s['label']:<12}({probs})")
        lines += ["", "combined stance (the lexicon where it has strong evidence, the classifier otherwise):"]
        for pid, c in combine(result, model_stance).items():
            lines.append(f"  {pid:<16}{c['stance']:<12}(from the {c['source']})")
    evidence = [m for m in result.matches if m.kind != "actor"]
    lines += ["", (f"evidence: {len(evidence)} loaded terms ({result.untargeted} untargeted), "
                  f"{len(result.matches) - len(evidence)} actor mentions"),
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
