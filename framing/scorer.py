"""Score an article: text → normalised text → matches → targets and voices → scores.

Decision rules. Each article gets three sets of scores: the narrator's (the outlet's own words),
all voices (quoted statements too), and the **reading** (``Score.lean``, ``sides``, ``parties``),
which is what a careful reader takes from the article as published:

* **Evidence**: each ``naming`` or targeted ``evaluative`` match adds its ``weight`` to the
  favorable or unfavorable evidence of its target party.
* **Voice** (:mod:`framing.voice`): a naming choice inside reported speech without quotation
  marks («أعلنت مصادر أن قوات اللواء المتقاعد ...») is the outlet's paraphrase and counts as the
  narrator's, unless it is a camp praising itself; evaluative words inside a statement stay the
  speaker's.
* **Sourcing**: the reading is the narrator's evidence, plus the quoted evidence of the camps'
  own statements at ``quoted_weight`` when the article's sourcing is one-sided -- the loaded
  words it quotes come from one camp's speakers (:func:`framing.attach.two_sided`), two
  thirds of the quoted evidence points to one side, the narrator does not point to another, and
  the narrator does not name both camps the wire's weak way. Partisan outlets build whole
  articles from their own camp's statements; wire copy quotes both camps, or one camp's
  statement as news under both camps' neutral names («المشير» and «المعترف بها دوليا»), and then
  the quotes do not count. A report or unnamed sources quoted («قال تقرير أممي») are news, not a
  camp's statement, and never count. ``Score.basis`` says which of the two gave the lean:
  ``"narrator"`` when the narrator's words alone give it, ``"sourcing"`` otherwise.
* **Sides**: evidence favorable to a party counts for its side; evidence unfavorable to a party
  counts for the other side(s), split equally (:meth:`framing.lexicon.Lexicon.counts_for`).
  ``sides[s]`` is that signal per 1,000 words. Weak names (weight up to ``weak_weight``:
  «المشير»، «قوات حفتر»، «المعترف بها دوليا») add up when they all point to one side and cancel
  out when both camps' weak names appear, as in wire copy.
* **Lean**: the side with the most signal, if the total signal is at least ``lean_min_evidence``
  and that side holds at least ``lean_min_share`` of it; otherwise None (weak or balanced). An
  article whose stance is unfavorable to two or more sides and favorable to none leans to
  neither, whichever attack is heavier: a rights report or an editorial against the whole war.
* **Per-party stance**: the evidence about a party, and for a side also about the parties that
  back it (attacks on «المرتزقة السوريين» are attacks on the GNA camp). None when the party is
  not mentioned; ``favorable``/``unfavorable`` when one polarity holds at least
  ``stance_min_share`` of at least ``stance_min_evidence``; ``neutral`` when it is balanced, or
  when the evidence is weaker than ``stance_min_evidence`` -- unless the article leans the way
  that weak evidence points and it amounts to ``weak_weight`` (more than one wire qualifier),
  where a reader takes it as part of the framing. Weak names (up to ``weak_weight``) count in a
  stance only when the article leans the way they point: «قوات حفتر» three times in wire copy, or
  «الطائرات التركية المسيرة» in a pro-GNA outlet, is not an attack; ``favorable`` and
  ``unfavorable`` still report all the evidence.

The figures these choices give on labelled real news are in the README ("Agreement with
readers"), printed by ``benchmarks/lexicon_agreement.py``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from numbers import Integral, Real

from .attach import Mention, assign_speakers, attach_targets, resolve_article, resolve_bare, self_name, two_sided
from .errors import InputError
from .lexicon import FrozenMap, load_lexicon
from .matcher import Matcher
from .normalize import decode_references, normalize
from .results import (
    Match,
    PartyStance,
    Score,
    Statement,
    VoiceScores,
    make_match,
    make_party_stance,
    make_score,
    make_statement,
    make_voice_scores,
)
from .voice import in_paraphrase, merge_spans, quote_spans, sentence_ends, speech_spans

_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")
# Markup a crawl left in the text: a tag («<p>»، «</div>»، «<br/>»). The scorer reads text as it is
# given (every offset indexes it) and a tag is not a character: it reads as punctuation, so
# paragraphs that only tags separate run together (a quotation left open runs on past them).
# Character references («&nbsp;»، «&quot;») are read as their characters (framing.normalize).
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
NO_ARABIC = "no Arabic text: nothing to score"
MARKUP = "holds HTML markup (tags such as <p> or <br/>): strip it before scoring, or paragraphs it separates are read as one"


class PythonAssembler:
    """The working mentions of an article's hits, and the matches they resolve to.

    The first and last links of :class:`PythonTargetRules`; :class:`framing._core.TargetRules`
    (compiled at install when a C compiler is there) does the same without a working mention.

    Parameters
    ----------
    entries : tuple of Entry
        The lexicon's entries (a hit's third item indexes them).
    mention : type
        The class of the working mentions (:class:`~framing.attach.Mention`).
    match : type
        The class of the results (:class:`~framing.results.Match`).
    """

    def __init__(self, entries, mention, match):
        self.entries, self.mention = tuple(entries), mention
        # make_match: Match(...) in half the time.
        self.make_match = make_match if match is Match else match
        # What is read of each entry, per entry index: read once here rather than attribute by
        # attribute for every match of every article.
        self.actors = tuple(e.kind == "actor" for e in self.entries)
        self.namings = tuple(e.kind == "naming" for e in self.entries)
        self.fields = tuple((e.term, e.kind, e.polarity, e.category, e.weight, e.source) for e in self.entries)

    def mentions(self, hits, quotes, ends) -> list[Mention]:
        """A mention per hit of :meth:`framing.matcher.Matcher.find`, in its sentence (``ends``:
        the sentence ends, :func:`~framing.voice.sentence_ends`) and its quotation (the index in
        ``quotes``, :func:`~framing.voice.merge_spans`; -1 outside them)."""
        entries, actors, mention = self.entries, self.actors, self.mention
        starts = [q[0] for q in quotes]
        stops = [q[1] for q in quotes]
        mentions = []
        append = mentions.append
        for start, end, index, suffix, definite in hits:
            quote = -1
            if starts:
                k = bisect_right(starts, start) - 1
                if k >= 0 and start < stops[k] and not (actors[index] and starts[k] == start and stops[k] == end):
                    # A name alone in quotation marks («فاغنر»، «الكانيات») is typography, not
                    # speech: it stays in the surrounding text, where «مرتزقة «فاغنر»» can attach to it.
                    quote = k
            append(mention(start, end, entries[index], suffix, definite, bisect_right(ends, start - 1), quote))
        return mentions

    def matches(self, mentions, hits, spans, text, speakers, naming_quoted) -> list[Match]:
        """The match of each resolved mention, at its span of the original ``text`` (``spans``,
        :meth:`~framing.normalize.Normalized.spans` of ``hits``), in the voice of its quotation's
        speaker (``speakers``) or the narrator's. A naming choice (entry kind ``naming``) inside
        a quotation is quoted only when ``naming_quoted(start, entry_index, speaker)`` says so."""
        fields, namings, make = self.fields, self.namings, self.make_match
        out = []
        append = out.append
        for m, hit, (a, b) in zip(mentions, hits, spans):
            index = hit[2]
            term, kind, polarity, category, weight, source = fields[index]
            voice, speaker, quote = "narrator", None, m.quote
            if quote >= 0 and (not namings[index] or naming_quoted(m.start, index, speakers[quote])):
                voice, speaker = "quoted", speakers[quote]
            append(make(a, b, text[a:b], term, kind, m.target, polarity, category, weight, voice, m.rule, speaker,
                        source))
        return out


class PythonTargetRules:
    """``rules(norm, hits, quotes, ends, spans)``: an article's matches with their
    targets, rules, voices and speakers, and the speaker of each quotation: the chain of
    :mod:`framing.attach` (whose module docstring describes every rule) from the scan's hits.

    :class:`framing._core.TargetRules` (compiled at install when a C compiler is there) runs the
    same rules on C arrays, without a working mention per hit.

    Parameters
    ----------
    lexicon : Lexicon
        The lexicon whose entries the hits index.
    window, direction_min, weak_weight
        :class:`ScoringRules` ``window``, ``direction_min_evidence`` and ``weak_weight``.
    construct_gap, agent_gap : int
        :func:`framing.attach.attach_targets`'s.
    match : type
        The class of the results (:class:`~framing.results.Match`).
    """

    def __init__(self, lexicon, window=3, direction_min=1.5, weak_weight=0.5, construct_gap=2, agent_gap=6,
                 match=Match):
        self.lexicon, self.window, self.direction_min, self.weak_weight = lexicon, window, direction_min, weak_weight
        self.construct_gap, self.agent_gap = construct_gap, agent_gap
        self.assembler = PythonAssembler(lexicon.entries, Mention, match)
        self.sides = {p.id: p.side for p in lexicon.parties.values()}

    def __call__(self, norm, hits, quotes, ends, spans) -> tuple[list[Match], list[str | None]]:
        """The matches of ``hits`` (:meth:`framing.matcher.Matcher.find` of ``norm``, a
        :class:`~framing.normalize.Normalized`), at their spans of the original text
        (:meth:`~framing.normalize.Normalized.spans`), and the speaker of each of the ``quotes``
        (:func:`~framing.voice.merge_spans` of ``spans``, :func:`~framing.voice.speech_spans`;
        ``ends``: :func:`~framing.voice.sentence_ends`)."""
        assembler, lexicon, entries = self.assembler, self.lexicon, self.lexicon.entries
        ntext = norm.text
        mentions = assembler.mentions(hits, quotes, ends)
        speakers = assign_speakers(ntext, mentions, quotes, self.weak_weight, lexicon, self.direction_min)
        attach_targets(ntext, mentions, speakers, lexicon, self.window, self.construct_gap, self.agent_gap,
                       self.weak_weight)
        resolve_article(mentions, lexicon, self.direction_min, self.weak_weight, speakers)
        resolve_bare(ntext, mentions)
        paraphrase = in_paraphrase(spans)
        sides = self.sides

        def naming_quoted(start, index, speaker):
            # A naming choice in paraphrase is the outlet's, unless a camp is praising itself.
            entry = entries[index]
            return not (paraphrase(start) and not (speaker is not None and entry.polarity == "favorable"
                                                   and sides[speaker] == sides[entry.party]))

        return assembler.matches(mentions, hits, norm.spans(hits), norm.original, speakers, naming_quoted), speakers

    def read(self, norm, hits, quotes, ends, spans) -> tuple[list[Match], list[str | None]]:
        """:meth:`__call__`: the compiled twin's leaves its ``Match`` objects to make
        (``framing._core.PendingMatches``), where this one has made them."""
        return self(norm, hits, quotes, ends, spans)


try:  # the same in C, when framing._core was compiled at install
    from ._core import TargetRules
except ImportError:
    TargetRules = None


def target_rules(lexicon, window=3, direction_min=1.5, weak_weight=0.5) -> PythonTargetRules:
    """The :class:`PythonTargetRules` of a lexicon and thresholds, or its compiled twin when it was built."""
    python = PythonTargetRules(lexicon, window, direction_min, weak_weight)
    return python if TargetRules is None else TargetRules(python, Match)


def _word_count(text: str) -> int:
    """How many words ``text`` has, as :meth:`str.split` separates them."""
    return len(text.split())


try:  # the same in C, without making the words, when framing._core was compiled at install
    from ._core import word_count as _word_count
except ImportError:
    pass


def python_named_starts(hits, named: bytes) -> list[int]:
    """The starts of the ``hits`` (:meth:`framing.matcher.Matcher.find`'s) whose entry is flagged
    in ``named`` (a byte per entry index, non-zero: it names a party or a camp).

    ``named_starts`` is its compiled twin, ``framing._core.named_starts``, when that was built."""
    return [hit[0] for hit in hits if named[hit[2]]]


try:
    from ._core import named_starts
except ImportError:
    named_starts = python_named_starts


class PythonEvidenceSums:
    """``sums(weighted)``: the evidence of ``(matches, factor)`` pairs (each match's weight
    counting ``factor`` times), as the fields of :class:`_Evidence`.

    :class:`framing._core.EvidenceSums` (compiled at install when a C compiler is there) adds the
    same numbers in the same order in C.

    Parameters
    ----------
    parties : tuple of str
        The party ids, in the order of the results' keys.
    sides : tuple of str
        The side ids, in the order of the signal's keys.
    counts : dict
        The sides evidence counts for, per ``(party, polarity)``.
    weak_weight : float
        Evidence of at most this weight is weak (weak names).
    """

    def __init__(self, parties, sides, counts, weak_weight):
        self.parties, self.sides, self.counts, self.weak_weight = tuple(parties), tuple(sides), counts, weak_weight

    def __call__(self, weighted) -> tuple:
        fav = dict.fromkeys(self.parties, 0.0)
        unfav = dict.fromkeys(self.parties, 0.0)
        mentions = dict.fromkeys(self.parties, 0)
        signal = dict.fromkeys(self.sides, 0.0)
        weak = dict.fromkeys(self.sides, 0.0)
        weak_fav = dict.fromkeys(self.parties, 0.0)
        weak_unfav = dict.fromkeys(self.parties, 0.0)
        counts, weak_weight = self.counts, self.weak_weight
        for matches, factor in weighted:
            for m in matches:
                target = m.target
                if target is None:
                    continue
                mentions[target] += 1
                polarity = m.polarity
                if polarity is None:
                    continue
                raw = m.weight
                weight = raw * factor
                favorable = polarity == "favorable"
                (fav if favorable else unfav)[target] += weight
                # Evidence against a party is split between the other sides (the lexicon's one rule).
                sides = counts[target, polarity]
                into = signal
                if raw <= weak_weight:
                    into = weak
                    (weak_fav if favorable else weak_unfav)[target] += weight
                if sides:
                    share = weight / len(sides)
                    for side in sides:
                        into[side] += share
        # Weak names («المشير»، «قوات حفتر»، «المعترف بها دوليا») count when they all point one
        # way; wire copy uses both camps' names, and then they cancel out.
        wire = sum(1 for v in weak.values() if v) > 1
        if not wire:
            for side, v in weak.items():
                signal[side] += v
        return fav, unfav, mentions, signal, wire, weak_fav, weak_unfav


try:  # the same in C, when framing._core was compiled at install
    from ._core import EvidenceSums
except ImportError:
    EvidenceSums = None


def _evidence_sums(parties, sides, counts, weak_weight):
    """The :class:`PythonEvidenceSums` of a scorer, or its compiled twin when it was built."""
    python = PythonEvidenceSums(parties, sides, counts, weak_weight)
    return python if EvidenceSums is None else EvidenceSums(parties, sides, counts, weak_weight, python, Match)


# Evidence from a set of matches: per party (dicts of party to float, ``mentions`` to int), and the
# signal per side; ``wire`` (bool) when both camps' weak names appear (they then cancel out). A
# collections.namedtuple, not a typing.NamedTuple: nothing else `framing score --json` runs imports typing.
_Evidence = namedtuple("_Evidence", "favorable unfavorable mentions signal wire weak_favorable weak_unfavorable")


class PythonReading:
    """``reading(matches, words)``: what an article's matches (in their order) and its number of
    words give, as ``(narrator, reading, basis, all_voices)``: the narrator's scores, the
    article's reading and the basis of its lean, and the scores of all voices (the narrator's
    own object when nothing is quoted). The rules are the module docstring's.

    :class:`framing._core.Reader` (compiled at install when a C compiler is there) gives the
    same, float for float, summing in C arrays and making the result objects only at the end.

    Parameters
    ----------
    lexicon : Lexicon
        The scorer's lexicon (its sides, and the side of each quoted speaker).
    rules : ScoringRules
        The thresholds.
    sums : PythonEvidenceSums or framing._core.EvidenceSums
        The evidence of ``(matches, factor)`` pairs (:func:`_evidence_sums`).
    camps : dict
        Per party, the parties backing it (only a side has any), in the parties' order.
    counts : dict
        The sides evidence counts for, per ``(party, polarity)``.
    unmentioned : dict
        The stance of each party (in the results' order) when it is not mentioned.
    """

    def __init__(self, lexicon, rules, sums, camps, counts, unmentioned):
        self.lexicon, self.rules, self.sums = lexicon, rules, sums
        self.sides, self.parties = tuple(lexicon.sides), tuple(unmentioned)
        self.camps, self.counts, self.unmentioned = camps, counts, unmentioned

    def __call__(self, matches, words: int) -> tuple[VoiceScores, VoiceScores, str | None, VoiceScores]:
        narrator, reading, basis = self._reading(matches, words)
        # With nothing quoted, every voice is the narrator's: the same (immutable) scores.
        every = self._aggregate(matches, words) if any(m.voice != "narrator" for m in matches) else narrator
        return narrator, reading, basis, every

    def _evidence(self, *weighted) -> _Evidence:
        """Favorable and unfavorable evidence and mentions per party, and the signal per side, from
        ``(matches, factor)`` pairs: each match's weight counts ``factor`` times."""
        return _Evidence(*self.sums(weighted))

    def _voice_scores(self, evidence: _Evidence, words: int) -> VoiceScores:
        fav, unfav, mentions = evidence.favorable, evidence.unfavorable, evidence.mentions
        weak_fav, weak_unfav = evidence.weak_favorable, evidence.weak_unfavorable
        lean = self._lean(evidence.signal)
        camps = self.camps
        # Most parties go unmentioned: only the mentioned ones (or their camps) get a stance made.
        stances = self.unmentioned.copy()
        for p, n in mentions.items():
            f, u, wf, wu = fav[p], unfav[p], weak_fav[p], weak_unfav[p]
            # A camp's stance counts what is said of the parties that back it («المرتزقة السوريون»
            # and «الغزو التركي» are evidence about the GNA camp too), as a reader counts it.
            for backer in camps[p]:
                if mentions[backer]:  # an unmentioned party adds only zeros
                    f += fav[backer]
                    u += unfav[backer]
                    n += mentions[backer]
                    wf += weak_fav[backer]
                    wu += weak_unfav[backer]
            if n:
                stances[p] = make_party_stance(f, u, n, self._stance(p, f, u, lean, wf, wu))
        # An article that condemns two camps and praises none leans to neither, whichever attack
        # is heavier (rights reports, editorials against the whole war).
        if lean is not None:
            of_sides = [stances[s].stance for s in self.sides]
            if "favorable" not in of_sides and of_sides.count("unfavorable") > 1:
                lean = None
        per_k = 1000 / max(words, 1)
        return make_voice_scores(FrozenMap({s: v * per_k for s, v in evidence.signal.items()}),
                                 FrozenMap(stances), lean)

    def _aggregate(self, matches, words: int) -> VoiceScores:
        return self._voice_scores(self._evidence((matches, 1.0)), words)

    def _reading(self, matches, words: int) -> tuple[VoiceScores, VoiceScores, str | None]:
        """The narrator's scores, and the article's reading: the narrator's evidence, and the quoted
        evidence at ``quoted_weight`` when the article's sourcing is one-sided (see the module
        docstring), with the basis of its lean."""
        narrator, quoted = [], []
        for m in matches:
            if m.voice == "narrator":
                narrator.append(m)
            elif m.polarity is not None:
                quoted.append(m)
        own = self._evidence((narrator, 1.0))
        scores = own_scores = self._voice_scores(own, words)
        # Wire copy names both camps their weak way, quotes both camps, and reports one camp's
        # statement as news: its sourcing is not its framing. A partisan outlet's is: only the
        # camps' own statements count (a UN report or unnamed sources are news, not a camp).
        if (quoted and not own.wire and not two_sided((m.speaker for m in quoted), self.lexicon)
                and self._one_sided(own.signal, self._evidence((quoted, 1.0)).signal)):
            scores = self._voice_scores(self._evidence(
                (narrator, 1.0), ([m for m in quoted if m.speaker is not None], self.rules.quoted_weight)), words)
        if scores.lean is None:
            return own_scores, scores, None
        return own_scores, scores, "narrator" if own_scores.lean == scores.lean else "sourcing"

    def _one_sided(self, own: dict[str, float], sourced: dict[str, float]) -> bool:
        """Whether quoted evidence all points one way, and the narrator does not point the other."""
        total = sum(sourced.values())
        if not total:
            return False
        top = _top(sourced)
        return sourced[top] >= self.rules.lean_min_share * total and (not any(own.values()) or _top(own) == top)

    def _lean(self, signal: dict[str, float]) -> str | None:
        rules = self.rules
        total = sum(signal.values())
        top = _top(signal)
        if total >= rules.lean_min_evidence and signal[top] >= rules.lean_min_share * total:
            return top
        return None

    def _stance(self, party: str, favorable: float, unfavorable: float, lean: str | None,
                weak_favorable: float, weak_unfavorable: float) -> str | None:
        rules = self.rules
        # Weak names count only when the article leans the way they point: three «قوات حفتر» in
        # wire copy, or «الطائرات التركية المسيرة» in a pro-GNA outlet, are not an attack.
        if lean not in self.counts[party, "favorable"]:
            favorable -= weak_favorable
        if lean not in self.counts[party, "unfavorable"]:
            unfavorable -= weak_unfavorable
        evidence = favorable + unfavorable
        if evidence < rules.stance_min_evidence:
            # Weak evidence alone («المشير»، «قوات حفتر») is what wire copy writes: neutral, unless
            # the article leans the way it points, where a reader takes it as part of the framing.
            # One wire qualifier («المعترف بها دوليا», 0.25) is not framing even then.
            polarity = "favorable" if favorable > unfavorable else "unfavorable" if unfavorable > favorable else None
            if polarity and evidence >= rules.weak_weight and lean in self.counts[party, polarity]:
                return polarity
            return "neutral"
        if favorable >= rules.stance_min_share * evidence:
            return "favorable"
        if unfavorable >= rules.stance_min_share * evidence:
            return "unfavorable"
        return "neutral"


try:  # the same in C, when framing._core was compiled at install
    from ._core import Reader
except ImportError:
    Reader = None


def _reader(python):
    """The :class:`PythonReading` of a scorer, or its compiled twin when it was built."""
    return python if Reader is None else Reader(python, Match, PartyStance, VoiceScores, FrozenMap)


# Most parties go unmentioned in an article; their (immutable) stance is shared.
_NOT_MENTIONED = PartyStance(0.0, 0.0, 0, None)


@dataclass(frozen=True)
class ScoringRules:
    """The scorer's thresholds, as one immutable value (see :class:`Scorer` for each).

    Frozen so that a scorer shared by every ``framing.score()`` call, or sent to worker
    processes, cannot be changed under its users; shared scorers and caches of scores are keyed
    by (lexicon, rules).
    """

    window: int = 3
    lean_min_evidence: float = 1.0
    lean_min_share: float = 2 / 3
    stance_min_evidence: float = 1.0
    stance_min_share: float = 2 / 3
    quoted_weight: float = 0.5
    direction_min_evidence: float = 1.5
    weak_weight: float = 0.5

    def __post_init__(self):
        # Thresholds that cannot mean anything: negative evidence, a share a side could never or
        # always reach, NaN.
        def bad(name, what):
            raise InputError(f"{name} must be {what}. Got {getattr(self, name)!r} instead")

        if isinstance(self.window, bool) or not isinstance(self.window, Integral) or self.window < 1:
            bad("window", "a positive integer")
        for name in ("lean_min_evidence", "stance_min_evidence", "direction_min_evidence"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Real) or not (math.isfinite(value) and value >= 0):
                bad(name, "a finite number of at least 0")
        for name, low in (("lean_min_share", 0.5), ("stance_min_share", 0.5), ("quoted_weight", 0.0),
                          ("weak_weight", 0.0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Real) or not low <= value <= 1:
                bad(name, f"a number in [{low:g}, 1]")

    def to_dict(self) -> dict:
        return asdict(self)


_RULES = tuple(ScoringRules.__dataclass_fields__)


class Scorer:
    """Lexicon-based framing scorer (immutable: make another one to change a threshold).

    Parameters
    ----------
    lexicon : str, path or Lexicon, default=None
        Lexicon name, directory, or a loaded :class:`~framing.lexicon.Lexicon`; None means the
        default (``libya-2019-2020``).
    window : int, default=3
        How many words away the ``nearest`` attachment rule looks for an actor.
    lean_min_evidence : float, default=1.0
        Minimum total narrator signal (summed weights) for an article to have a lean: one ordinary
        piece of evidence, or several weak ones. Chosen on the demo corpus: against the lean its
        labels imply, 1.0 agreed on 199 of 260 articles and 2.0 on 171, with one lean on the wrong
        side at 1.0 (``benchmarks/lexicon_agreement.py`` prints these figures).
    lean_min_share : float, default=2/3
        Share of the signal the leading side must hold.
    stance_min_evidence : float, default=1.0
        Minimum evidence about a party for a per-party stance.
    stance_min_share : float, default=2/3
        Share one polarity must hold for a favorable/unfavorable stance.
    quoted_weight : float, default=0.5
        Weight of quoted evidence in the reading when the sourcing is one-sided (0 reads the
        narrator alone). Measured on labelled real news: 0.5 gained 4 of 175 partisan leans for
        4 of 78 neutral texts given a lean; 1.0 gained no more leans and cost more neutral texts.
    direction_min_evidence : float, default=1.5
        Targeted evidence an article needs before the ``article`` attachment rule resolves its
        untargeted loaded words (:func:`framing.attach.resolve_article`): one clearly loaded word
        («ميليشيات الوفاق») or several weaker ones. Measured on labelled real news against 1.0: the
        same partisan leans, one neutral text fewer given a lean.
    weak_weight : float, default=0.5
        Entries of at most this weight are weak names (see the lexicon README's weight bands).
    rules : ScoringRules, optional
        All the thresholds as one value (instead of the keywords above).

    Attributes
    ----------
    lexicon : Lexicon
    rules : ScoringRules
        The thresholds; each is also readable as an attribute (``scorer.window``).
    """

    __slots__ = ("_attach", "_matcher", "_named", "_reader", "lexicon", "rules")

    def __init__(self, lexicon=None, *, window=3, lean_min_evidence=1.0, lean_min_share=2 / 3,
                 stance_min_evidence=1.0, stance_min_share=2 / 3, quoted_weight=0.5, direction_min_evidence=1.5,
                 weak_weight=0.5, rules: ScoringRules | None = None):
        if rules is None:
            rules = ScoringRules(window, lean_min_evidence, lean_min_share, stance_min_evidence, stance_min_share,
                                 quoted_weight, direction_min_evidence, weak_weight)
        elif not isinstance(rules, ScoringRules):
            raise InputError(f"rules must be a ScoringRules. Got {type(rules).__name__} instead")
        lexicon = load_lexicon(lexicon)
        # Which sides each (party, polarity) counts for, asked of the lexicon once (its one rule).
        counts = {(p, pol): lexicon.counts_for(p, pol) for p in lexicon.parties for pol in ("favorable", "unfavorable")}
        sides = {p.id: p.side for p in lexicon.parties.values()}
        # Per party, the parties backing it (only a side has any), in the parties' order: the
        # order their evidence is added to the side's.
        camps = {party: tuple(p for p, s in sides.items() if s == party and p != party) for party in sides}
        sums = _evidence_sums(tuple(sides), lexicon.sides, counts, rules.weak_weight)
        for name, value in (("lexicon", lexicon), ("rules", rules), ("_matcher", Matcher(lexicon)),
                            # The attachment rules, from the scan's hits to the matches.
                            ("_attach", target_rules(lexicon, rules.window, rules.direction_min_evidence,
                                                     rules.weak_weight)),
                            # Whether each entry (a hit's third item indexes them) names a party, or
                            # a camp as both camps name themselves: who may open a headline's line
                            # («المسماري: ...»، «الجيش الليبي: ...»).
                            ("_named", bytes(bool(e.party) or self_name(e, rules.weak_weight)
                                             for e in lexicon.entries)),
                            # The reading of an article's matches (PythonReading, or
                            # framing._core.Reader when compiled).
                            ("_reader", _reader(PythonReading(lexicon, rules, sums, camps, counts,
                                                              dict.fromkeys(sides, _NOT_MENTIONED))))):
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"a Scorer is immutable: make a new one, e.g. Scorer(lexicon, {name}=...)")

    def __getattr__(self, name):  # the thresholds, read-only: scorer.window is scorer.rules.window
        if name in _RULES:
            return getattr(self.rules, name)
        raise AttributeError(f"'Scorer' object has no attribute {name!r}")

    def __repr__(self):
        return f"Scorer({self.lexicon.name!r}, rules={self.rules!r})"

    def __reduce__(self):  # a worker process rebuilds the automaton rather than unpickling it
        return _rebuild, (self.lexicon, self.rules)

    def score(self, text: str, meta: dict | None = None) -> Score:
        """Score one article.

        Raises
        ------
        InputError
            If ``text`` is not a string or is empty.
        """
        if not _check_text(text) or text.isspace():  # what not text.strip() says, without copying the text
            raise InputError("empty text")
        matches, statements = self._read(text)
        # Character references a crawl left are read as their characters (framing.normalize): a
        # text of «&#1604;...» is Arabic, and «قوات&nbsp;حفتر» two words.
        read = decode_references(text)
        warnings = () if _ARABIC.search(read) else (NO_ARABIC,)
        if "<" in text and _MARKUP.search(text):  # the test of a character first: it is rare
            warnings += (MARKUP,)
        words = _word_count(read)
        narrator, reading, basis, every = self._reader(matches, words)
        return make_score(words, narrator, every, matches, self.lexicon.name, warnings, FrozenMap(meta or {}), reading,
                          basis, text, statements, self.lexicon)

    def matches(self, text: str) -> tuple[Match, ...]:
        """Every lexicon match in ``text`` with its target, voice and original offsets (none for an
        empty text).

        Raises
        ------
        InputError
            If ``text`` is not a string.
        """
        found = self._read(_check_text(text))[0]
        return found if type(found) is tuple else found.made()

    def _read(self, text: str) -> tuple[Sequence[Match], tuple[Statement, ...]]:
        """The matches of ``text`` (a tuple, or the compiled rules' ``PendingMatches``) and its quoted
        statements (with their speakers), in original offsets."""
        norm = normalize(text)
        hits, markers = self._matcher.find(norm)
        ntext = norm.text
        if not hits:
            # Nothing to score; the quotation marks are still read, for reports that set statements apart.
            return (), tuple(make_statement(a, b, text[a:b], None) for a, b in
                             (norm.span(q[0], q[1]) for q in quote_spans(ntext, markers)))
        ends = sentence_ends(ntext)
        spans = speech_spans(ntext, markers, ends, named_starts(hits, self._named))
        quotes = merge_spans(spans)
        # The compiled rules give a framing._core.PendingMatches: the reading sums their evidence
        # from its C arrays, and the score makes the Match objects only when they are read.
        out, speakers = self._attach.read(norm, hits, quotes, ends, spans)
        return (tuple(out) if type(out) is list else out), norm.quoted(quotes, speakers, make_statement)


def _check_text(text) -> str:
    """``text``, refused unless it is a string (the normaliser would raise a TypeError)."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string. Got {type(text).__name__} instead")
    return text


def _top(values: dict):
    """The key of the largest of ``values`` (a signal per side: a lexicon has two sides or more),
    the first of equals: ``max(values, key=values.get)`` without a call per key."""
    top = best = None
    for key, value in values.items():
        if top is None or value > best:
            top, best = key, value
    return top


def _rebuild(lexicon, rules):
    return scorer_for(lexicon, rules)


def scorer_for(lexicon=None, rules: ScoringRules | None = None) -> Scorer:
    """The shared :class:`Scorer` of a lexicon (name, path or Lexicon; None: the default) and rules.

    Compiling a lexicon's automaton costs far more than scoring an article, so everything that
    scores (``score``, the classifier's lexicon features, distinctive terms, the CLI) shares one
    scorer per (lexicon content hash, rules), memoised as :func:`re.compile` memoises patterns.
    This is no shared mutable state: a Scorer cannot be changed (its lexicon and rules are
    immutable values, its thresholds read-only), so what one caller gets back cannot change
    another caller's results; and the key is the content, so the memo only saves time: a
    lexicon edited on disk loads as a new Lexicon (another hash) and gets its own scorer, and
    other rules get another scorer. To own a scorer outright, make one: ``Scorer(lexicon, ...)``.
    """
    return _shared_scorer(load_lexicon(lexicon), ScoringRules() if rules is None else rules)


@lru_cache(maxsize=8)
def _shared_scorer(lexicon, rules) -> Scorer:
    return Scorer(lexicon, rules=rules)


def score(text: str, lexicon=None, meta: dict | None = None) -> Score:
    """Score one article with the shared default :class:`Scorer` of ``lexicon``.

    ``lexicon`` is a name, a directory or a loaded :class:`~framing.lexicon.Lexicon`.

    Examples
    --------
    >>> s = score("قصفت ميليشيات حفتر الأحياء السكنية في طرابلس.")
    >>> s.parties["lna"].unfavorable > 0
    True
    """
    return scorer_for(lexicon).score(text, meta)
