"""Result objects of scoring: frozen, with ``to_dict()`` giving the public JSON contract."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from .errors import plural


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

    def __repr__(self) -> str:
        what = self.kind if self.polarity is None else f"{self.kind} {self.polarity} {self.weight:g}"
        target = f"→ {self.target} ({self.rule})" if self.target else "→ untargeted"
        voice = self.voice if self.voice == "narrator" else f"quoted:{self.speaker or '?'}"
        return f"Match({self.start}-{self.end} {self.text!r} {what} {target} {voice})"


_new = object.__new__
_SLOT = {f.name: Match.__dict__[f.name].__set__ for f in fields(Match)}
(_start, _end, _text, _term, _kind, _target, _polarity, _category, _weight, _voice, _rule, _speaker, _source) = (
    _SLOT[name] for name in ("start", "end", "text", "term", "kind", "target", "polarity", "category", "weight",
                             "voice", "rule", "speaker", "source"))


def make_match(start, end, text, term, kind, target, polarity, category, weight, voice, rule, speaker,
               source) -> Match:
    """``Match(...)`` in about half the time (scoring builds one per match): a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``; this sets the slots directly."""
    m = _new(Match)
    _start(m, start), _end(m, end), _text(m, text), _term(m, term), _kind(m, kind), _target(m, target)
    _polarity(m, polarity), _category(m, category), _weight(m, weight), _voice(m, voice), _rule(m, rule)
    _speaker(m, speaker), _source(m, source)
    return m


try:  # the same in C, a tenth of the time, when framing._core was compiled at install
    from ._core import PendingMatches, SlotMaker
except ImportError:
    PendingMatches = SlotMaker = None


def maker(cls):
    """``cls(*values)`` for a frozen slotted dataclass with no ``__post_init__``, given every
    field in order: the class itself, or, when :mod:`framing._core` was compiled, a
    :class:`~framing._core.SlotMaker` that writes the slots directly (a frozen dataclass's
    ``__init__`` is Python code that sets each field through ``object.__setattr__``)."""
    if SlotMaker is None:
        return cls
    return SlotMaker(cls, tuple(f.name for f in fields(cls)))


if SlotMaker is not None:  # Match's own make_match above is its twin
    make_match = maker(Match)


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
        favorable, unfavorable = self.favorable, self.unfavorable  # called for every party, voice and article
        if not favorable and not unfavorable:  # most parties of most articles: a zero rounds to itself
            return {"favorable": favorable, "unfavorable": unfavorable, "net": favorable - unfavorable,
                    "mentions": self.mentions, "stance": self.stance}
        return {"favorable": round(favorable, 3), "unfavorable": round(unfavorable, 3),
                "net": round(favorable - unfavorable, 3), "mentions": self.mentions, "stance": self.stance}


@dataclass(frozen=True, slots=True)
class VoiceScores:
    """Scores from one set of voices (the narrator's alone, or all text). The scorer makes
    ``sides`` and ``parties`` read-only dicts (:class:`framing.lexicon.FrozenMap`)."""

    sides: dict[str, float]
    parties: dict[str, PartyStance]
    lean: str | None

    def to_dict(self) -> dict:
        return {"lean": self.lean, "sides": {k: round(v, 3) for k, v in self.sides.items()},
                "parties": {k: v.to_dict() for k, v in self.parties.items()}}


@dataclass(frozen=True, slots=True)
class Statement:
    """A quoted stretch of text: ``text == original[start:end]``; ``speaker`` is the quoted party
    when known (see :mod:`framing.voice` for what counts as quoted)."""

    start: int
    end: int
    text: str
    speaker: str | None

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "speaker": self.speaker}

    def __repr__(self) -> str:
        return f"Statement({self.start}-{self.end}, speaker={self.speaker!r}, {_clip(self.text)!r})"


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Score:
    """The framing evidence of one article.

    ``lean``, ``sides`` and ``parties`` are the article's ``reading``: the narrator's evidence
    (the outlet's own words), with one-sided sourcing at reduced weight (see
    :mod:`framing.scorer`); ``basis`` says what gave the lean (``"narrator"`` or ``"sourcing"``).
    ``narrator`` counts the outlet's own words alone and ``all_voices`` quoted statements too.
    ``meta`` carries corpus fields (``id``, ``outlet``, ``date``, ``title`` ...) through to the
    output. As the dataclass is frozen, the scorer makes its mappings (``sides``, ``parties``,
    ``meta``, and each voice's) read-only dicts (:class:`framing.lexicon.FrozenMap`): they read
    as dicts, and ``dict(score.parties)`` is a copy to change.

    ``text`` (the article as given: every offset indexes it), ``statements`` (its quoted
    stretches) and ``source_lexicon`` (the :class:`~framing.lexicon.Lexicon` it was scored with)
    are kept for reports (:mod:`framing.render.html`, ``_repr_html_`` in a notebook); they are not
    part of :meth:`to_dict`.

    A scorer with the compiled core makes ``matches`` the first time they are read (the reading
    and :attr:`untargeted` need no ``Match`` object, and most of scoring's cost was making them):
    the same tuple from then on, equal, pickled and copied as one made at once.
    """

    words: int
    narrator: VoiceScores
    all_voices: VoiceScores
    matches: tuple[Match, ...]
    lexicon: str
    warnings: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)
    reading: VoiceScores | None = None
    basis: str | None = None
    text: str = field(default="", repr=False, compare=False)
    statements: tuple[Statement, ...] = field(default=(), repr=False, compare=False)
    source_lexicon: object = field(default=None, repr=False, compare=False)

    @property
    def lean(self) -> str | None:
        return self._reading.lean

    @property
    def sides(self) -> dict[str, float]:
        return self._reading.sides

    @property
    def parties(self) -> dict[str, PartyStance]:
        return self._reading.parties

    @property
    def _reading(self) -> VoiceScores:
        return self.narrator if self.reading is None else self.reading

    @property
    def untargeted(self) -> int:
        pending = unmade_matches(self)
        if pending is not None:  # counted without making the matches
            return pending.untargeted()
        n = 0  # a loop, not sum() over a generator: the JSON of every article reads it
        for m in self.matches:
            if m.target is None and m.kind == "evaluative":
                n += 1
        return n

    def __repr__(self) -> str:
        ident = f"id={self.meta['id']!r}, " if self.meta.get("id") is not None else ""
        sides = ", ".join(f"{k}: {v:.1f}" for k, v in self.sides.items())
        evidence = sum(1 for m in self.matches if m.kind != "actor")
        return (f"Score({ident}lean={self.lean!r}, sides per 1,000 words {{{sides}}}, {plural(self.words, 'word')}, "
                f"{evidence} {'piece' if evidence == 1 else 'pieces'} of evidence, {plural(len(self.matches) - evidence, 'actor mention')}, lexicon={self.lexicon!r})")

    def __getstate__(self):  # pickled and copied with its matches made
        state = dict(self.__dict__)
        if state.pop(_PENDING, None) is not None:
            state["matches"] = self.matches
        return state

    def _repr_html_(self) -> str:
        """The article with its evidence highlighted, in a notebook (see :mod:`framing.render.html`)."""
        from .render.html import article_page

        return article_page(self, fragment=True)

    def to_dict(self) -> dict:
        out = self.summary_dict()
        out["matches"] = [m.to_dict() for m in self.matches]
        return out

    def summary_dict(self) -> dict:
        """:meth:`to_dict` without ``matches`` (:mod:`framing.jsonl` renders them on its own)."""
        out = dict(self.meta)
        out.update(self._reading.to_dict())
        return {**out, "basis": self.basis, "words": self.words, "narrator": self.narrator.to_dict(),
                "all_voices": self.all_voices.to_dict(),
                "untargeted": self.untargeted, "lexicon": self.lexicon, "warnings": list(self.warnings)}


_SCORE_FIELDS = tuple(f.name for f in fields(Score))
# Where a score keeps its matches while they are not made (framing._core.PendingMatches).
_PENDING = "_pending"


class _MadeWhenRead:
    """``Score.matches`` of a score whose matches are pending (``framing._core.PendingMatches``,
    in its dict as ``_pending``): made once, then kept in the dict, where the attribute is found
    from then on (this descriptor has no ``__set__``, so the instance's dict comes first)."""

    def __get__(self, score, owner=None):
        if score is None:
            return self
        state = score.__dict__
        pending = state.get(_PENDING)
        if pending is None:  # made by another thread meanwhile, or never pending: a dict without it is no Score's
            return state["matches"]
        made = state.setdefault("matches", pending.made())
        state.pop(_PENDING, None)
        return made


# Set after the dataclass is made: as a class attribute in its body it would be the field's default.
Score.matches = _MadeWhenRead()


def unmade_matches(score: Score):
    """The matches of ``score`` as the compiled rules left them (``framing._core.PendingMatches``)
    while ``score.matches`` has not been read, else None: a writer that reads them in C
    (:class:`framing._core.MatchJson`) need not make them."""
    return score.__dict__.get(_PENDING)


def make_score(*values) -> Score:
    """``Score(*values)`` given every field in order, in about a third of the time (scoring makes
    one per article): a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``; this writes them into the new instance's dict, in the same order.
    ``matches`` may be a ``framing._core.PendingMatches``, made when first read (see :class:`Score`)."""
    if len(values) != len(_SCORE_FIELDS):
        raise TypeError(f"make_score takes the {len(_SCORE_FIELDS)} fields of Score. Got {len(values)} instead")
    s = _new(Score)
    state = s.__dict__
    state.update(zip(_SCORE_FIELDS, values))
    if type(state["matches"]) is PendingMatches:  # made when first read
        state[_PENDING] = state.pop("matches")
    return s


#: The keys of :meth:`Score.summary_dict` that are the score's own, not the article's corpus
#: fields: a corpus field by one of these names gives way to the score (in ``--json`` and tables).
SUMMARY_KEYS = frozenset(("lean", "sides", "parties", "basis", "words", "narrator", "all_voices", "untargeted",
                          "lexicon", "warnings"))

# Scoring makes several of each per article.
make_party_stance = maker(PartyStance)
make_voice_scores = maker(VoiceScores)
make_statement = maker(Statement)
