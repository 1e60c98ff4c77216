"""Result objects of scoring: frozen, with ``to_dict()`` giving the public JSON contract."""

from __future__ import annotations

from dataclasses import dataclass, field


def _r(x: float) -> float:
    return round(x, 3)


@dataclass(frozen=True, slots=True)
class Match:
    """One piece of evidence.

    ``start``/``end`` index the ORIGINAL text and ``text == original[start:end]``. ``target`` is
    the party the match is about (the party named, for ``actor`` and ``naming``; the attached
    actor, for ``evaluative``; None when untargeted), ``rule`` the attachment rule that found it
    (see :mod:`framing.attach`), ``voice`` ``"narrator"`` or ``"quoted"`` and ``speaker`` the
    quoted party when known.
    """

    start: int
    end: int
    text: str
    term: str
    kind: str
    target: str | None
    polarity: str | None
    category: str | None
    weight: float
    voice: str
    rule: str | None
    speaker: str | None
    source: str

    def to_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end, "text": self.text, "term": self.term,
            "kind": self.kind, "target": self.target, "polarity": self.polarity,
            "category": self.category, "weight": self.weight, "voice": self.voice,
            "rule": self.rule, "speaker": self.speaker, "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class PartyStance:
    """Weighted evidence about one party; ``stance`` is None when the lexicon abstains."""

    favorable: float
    unfavorable: float
    mentions: int
    stance: str | None

    @property
    def net(self) -> float:
        return self.favorable - self.unfavorable

    def to_dict(self) -> dict:
        return {"favorable": _r(self.favorable), "unfavorable": _r(self.unfavorable), "net": _r(self.net),
                "mentions": self.mentions, "stance": self.stance}


@dataclass(frozen=True, slots=True)
class VoiceScores:
    """Scores from one set of voices (the narrator's alone, or all text)."""

    sides: dict[str, float]
    parties: dict[str, PartyStance]
    lean: str | None

    def to_dict(self) -> dict:
        return {"lean": self.lean, "sides": {k: _r(v) for k, v in self.sides.items()},
                "parties": {k: v.to_dict() for k, v in self.parties.items()}}


@dataclass(frozen=True)
class Score:
    """The framing evidence of one article.

    ``lean``, ``sides`` and ``parties`` are from the narrator's voice (the outlet's own words);
    ``all_voices`` counts quoted statements too. ``meta`` carries corpus fields (``id``,
    ``outlet``, ``date``, ``title`` ...) through to the output.
    """

    words: int
    narrator: VoiceScores
    all_voices: VoiceScores
    matches: tuple[Match, ...]
    lexicon: str
    warnings: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)

    @property
    def lean(self) -> str | None:
        return self.narrator.lean

    @property
    def sides(self) -> dict[str, float]:
        return self.narrator.sides

    @property
    def parties(self) -> dict[str, PartyStance]:
        return self.narrator.parties

    @property
    def untargeted(self) -> int:
        return sum(1 for m in self.matches if m.kind == "evaluative" and m.target is None)

    def to_dict(self) -> dict:
        out = self.summary_dict()
        out["matches"] = [m.to_dict() for m in self.matches]
        return out

    def summary_dict(self) -> dict:
        """:meth:`to_dict` without ``matches`` (:mod:`framing.jsonl` renders them on its own)."""
        out = dict(self.meta)
        out.update(self.narrator.to_dict())
        return {**out, "words": self.words, "all_voices": self.all_voices.to_dict(),
                "untargeted": self.untargeted, "lexicon": self.lexicon, "warnings": list(self.warnings)}
