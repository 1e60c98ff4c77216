"""Score an article: text → normalised text → matches → targets and voices → scores.

Decision rules (all in the narrator's voice, i.e. the outlet's own words; quoted statements are
reported separately under ``all_voices``):

* **Evidence**: each ``naming`` or targeted ``evaluative`` match adds its ``weight`` to the
  favorable or unfavorable evidence of its target party.
* **Sides**: evidence favorable to a party counts for its side; evidence unfavorable to a party
  counts for the other side(s), split equally. ``sides[s]`` is that signal per 1,000 words.
* **Lean**: the side with the most signal, if the total signal is at least ``lean_min_evidence``
  and that side holds at least ``lean_min_share`` of it; otherwise None (weak or balanced).
* **Per-party stance**: None (abstain) when the party's evidence is below ``stance_min_evidence``;
  ``favorable``/``unfavorable`` when one polarity holds at least ``stance_min_share`` of it;
  ``neutral`` when it is balanced.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass
from functools import lru_cache
from numbers import Integral, Real

from .attach import Mention, assign_speakers, attach_targets
from .errors import InputError
from .lexicon import load_lexicon
from .matcher import Matcher
from .normalize import normalize
from .results import Match, PartyStance, Score, Statement, VoiceScores
from .voice import quote_spans, sentence_ends

_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")


# Most parties go unmentioned in an article; their (immutable) stance is shared.
_NOT_MENTIONED = PartyStance(0.0, 0.0, 0, None)


@dataclass(frozen=True)
class ScoringRules:
    """The scorer's thresholds, as one immutable value (see :class:`Scorer` for each).

    Frozen so that a scorer shared by every ``framing.score()`` call, or sent to worker
    processes, cannot be changed under its users; caches of scores are keyed by
    (lexicon, rules).
    """

    window: int = 3
    lean_min_evidence: float = 1.0
    lean_min_share: float = 2 / 3
    stance_min_evidence: float = 1.0
    stance_min_share: float = 2 / 3

    def __post_init__(self):
        if not isinstance(self.window, Integral) or isinstance(self.window, bool) or self.window < 0:
            raise InputError(f"window must be a non-negative integer. Got {self.window!r} instead")
        for name in ("lean_min_evidence", "stance_min_evidence"):
            value = getattr(self, name)
            if not isinstance(value, Real) or isinstance(value, bool) or not value >= 0:
                raise InputError(f"{name} must be a non-negative number. Got {value!r} instead")
        for name in ("lean_min_share", "stance_min_share"):
            value = getattr(self, name)
            if not isinstance(value, Real) or isinstance(value, bool) or not 0 < value <= 1:
                raise InputError(f"{name} must be a number in (0, 1]. Got {value!r} instead")

    def to_dict(self) -> dict:
        return asdict(self)


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
        labels imply, 1.0 agreed on 159 of 260 articles and 2.0 on 134, with one lean on the wrong
        side at 1.0 (``benchmarks/lexicon_agreement.py`` prints these figures).
    lean_min_share : float, default=2/3
        Share of the signal the leading side must hold.
    stance_min_evidence : float, default=1.0
        Minimum evidence about a party for a per-party stance.
    stance_min_share : float, default=2/3
        Share one polarity must hold for a favorable/unfavorable stance.
    rules : ScoringRules, optional
        All the thresholds as one value (instead of the keywords above).

    Attributes
    ----------
    lexicon : Lexicon
    rules : ScoringRules
    """

    __slots__ = ("_matcher", "lexicon", "rules")

    def __init__(self, lexicon=None, *, window=3, lean_min_evidence=1.0, lean_min_share=2 / 3,
                 stance_min_evidence=1.0, stance_min_share=2 / 3, rules: ScoringRules | None = None):
        if rules is None:
            rules = ScoringRules(window, lean_min_evidence, lean_min_share, stance_min_evidence, stance_min_share)
        elif not isinstance(rules, ScoringRules):
            raise InputError(f"rules must be a ScoringRules. Got {type(rules).__name__} instead")
        lexicon = load_lexicon(lexicon)
        object.__setattr__(self, "lexicon", lexicon)
        object.__setattr__(self, "rules", rules)
        object.__setattr__(self, "_matcher", Matcher(lexicon))

    def __setattr__(self, name, value):
        raise AttributeError(f"a Scorer is immutable: make a new one, e.g. Scorer(lexicon, {name}=...)")

    def __repr__(self):
        return f"Scorer({self.lexicon.name!r}, rules={self.rules!r})"

    def __reduce__(self):  # a worker process rebuilds the automaton rather than unpickling it
        return _rebuild, (self.lexicon, self.rules)

    window = property(lambda self: self.rules.window)
    lean_min_evidence = property(lambda self: self.rules.lean_min_evidence)
    lean_min_share = property(lambda self: self.rules.lean_min_share)
    stance_min_evidence = property(lambda self: self.rules.stance_min_evidence)
    stance_min_share = property(lambda self: self.rules.stance_min_share)

    def score(self, text: str, meta: dict | None = None) -> Score:
        """Score one article.

        Raises
        ------
        InputError
            If ``text`` is not a string or is empty.
        """
        if not isinstance(text, str):
            raise InputError(f"text must be a string. Got {type(text).__name__} instead")
        if not text.strip():
            raise InputError("empty text")
        matches, statements = self._read(text)
        warnings = () if _ARABIC.search(text) else ("no Arabic text: nothing to score",)
        words = len(text.split())
        narrator = [m for m in matches if m.voice == "narrator"]
        return Score(words, self._aggregate(narrator, words), self._aggregate(matches, words), matches,
                     self.lexicon.name, warnings, dict(meta or {}), text=text, statements=statements,
                     source_lexicon=self.lexicon)

    def matches(self, text: str) -> tuple[Match, ...]:
        """Every lexicon match in ``text`` with its target, voice and original offsets."""
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[tuple[Match, ...], tuple[Statement, ...]]:
        """The matches of ``text`` and its quoted statements (with their speakers), in original offsets."""
        norm = normalize(text)
        hits, markers = self._matcher.find(norm)
        ntext = norm.text
        if not hits:
            # Nothing to score; the quotation marks are still read, for reports that set statements apart.
            return (), tuple(Statement(a, b, text[a:b], None) for a, b in
                             (norm.span(q[0], q[1]) for q in quote_spans(ntext, markers)))
        ends = sentence_ends(ntext)
        quotes = quote_spans(ntext, markers, ends)
        starts = [q[0] for q in quotes]
        entries = self.lexicon.entries
        mentions = []
        for start, end, index, suffix, definite in hits:
            k = bisect_right(starts, start) - 1
            quote = k if k >= 0 and start < quotes[k][1] else -1
            if quote >= 0 and entries[index].kind == "actor" and quotes[k][:2] == (start, end):
                # A name alone in quotation marks («فاغنر»، «الكانيات») is typography, not speech:
                # it stays in the surrounding text, where «مرتزقة «فاغنر»» can attach to it.
                quote = -1
            mentions.append(Mention(start, end, entries[index], suffix, definite, bisect_right(ends, start - 1), quote))
        speakers = assign_speakers(mentions, quotes)
        attach_targets(ntext, mentions, speakers, self.lexicon, self.rules.window)
        out = []
        for m in mentions:
            a, b = norm.span(m.start, m.end)
            e = m.entry
            quoted = m.quote >= 0
            out.append(Match(a, b, text[a:b], e.term, e.kind, m.target, e.polarity, e.category, e.weight,
                             "quoted" if quoted else "narrator", m.rule, speakers[m.quote] if quoted else None,
                             e.source))
        statements = []
        for (start, end, _verb), speaker in zip(quotes, speakers):
            a, b = norm.span(start, end)
            statements.append(Statement(a, b, text[a:b], speaker))
        return tuple(out), tuple(statements)

    def _aggregate(self, matches, words: int) -> VoiceScores:
        lexicon = self.lexicon
        fav = dict.fromkeys(lexicon.parties, 0.0)
        unfav = dict.fromkeys(lexicon.parties, 0.0)
        mentions = dict.fromkeys(lexicon.parties, 0)
        for m in matches:
            target = m.target
            if target is None:
                continue
            mentions[target] += 1
            if m.polarity == "favorable":
                fav[target] += m.weight
            elif m.polarity == "unfavorable":
                unfav[target] += m.weight
        signal = dict.fromkeys(lexicon.sides, 0.0)
        for party in fav:
            for polarity, weight in (("favorable", fav[party]), ("unfavorable", unfav[party])):
                if weight:
                    sides = lexicon.counts_for(party, polarity)
                    for side in sides:
                        signal[side] += weight / len(sides)
        per_k = 1000 / max(words, 1)
        stances = {p: PartyStance(fav[p], unfav[p], mentions[p], self._stance(fav[p], unfav[p])) if mentions[p]
                   else _NOT_MENTIONED for p in fav}
        return VoiceScores({s: v * per_k for s, v in signal.items()}, stances, self._lean(signal))

    def _lean(self, signal: dict[str, float]) -> str | None:
        total = sum(signal.values())
        top = max(signal, key=signal.get)
        rules = self.rules
        if total >= rules.lean_min_evidence and signal[top] >= rules.lean_min_share * total:
            return top
        return None

    def _stance(self, favorable: float, unfavorable: float) -> str | None:
        evidence = favorable + unfavorable
        rules = self.rules
        if not evidence or evidence < rules.stance_min_evidence:
            return None
        if favorable >= rules.stance_min_share * evidence:
            return "favorable"
        if unfavorable >= rules.stance_min_share * evidence:
            return "unfavorable"
        return "neutral"


def _rebuild(lexicon, rules):
    return scorer_for(lexicon, rules)


def scorer_for(lexicon=None, rules: ScoringRules | None = None) -> Scorer:
    """The shared :class:`Scorer` of a lexicon (name, path or Lexicon; None: the default) and rules.

    Compiling a lexicon's automaton costs far more than scoring an article, so everything that
    scores (``score``, the classifier's lexicon features, distinctive terms, the CLI) shares one
    scorer per (lexicon content, rules). A Scorer and a Lexicon are immutable, so sharing them is
    safe; a lexicon edited on disk loads as a new Lexicon (another content hash), so a notebook
    sees the edit without a restart.
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
