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
from functools import lru_cache

from .attach import Mention, assign_speakers, attach_targets
from .errors import InputError
from .lexicon import lexicon_stamp, load_lexicon, resolve_lexicon
from .matcher import Matcher
from .normalize import normalize
from .results import Match, PartyStance, Score, Statement, VoiceScores, make_match
from .voice import quote_spans, sentence_ends

_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")


# Most parties go unmentioned in an article; their (immutable) stance is shared.
_NOT_MENTIONED = PartyStance(0.0, 0.0, 0, None)


class Scorer:
    """Lexicon-based framing scorer.

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
    """

    def __init__(self, lexicon=None, *, window=3, lean_min_evidence=1.0, lean_min_share=2 / 3,
                 stance_min_evidence=1.0, stance_min_share=2 / 3):
        self.lexicon = load_lexicon(lexicon)
        self.window = window
        self.lean_min_evidence = lean_min_evidence
        self.lean_min_share = lean_min_share
        self.stance_min_evidence = stance_min_evidence
        self.stance_min_share = stance_min_share
        self._matcher = Matcher(self.lexicon)
        self._sides = {p.id: p.side for p in self.lexicon.parties.values()}
        # For each side, the sides that evidence against one of its parties counts for.
        self._others = {s: tuple(o for o in self.lexicon.sides if o != s) for s in self.lexicon.sides}

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
        attach_targets(ntext, mentions, speakers, self._sides, self.window)
        out = []
        for m, (a, b) in zip(mentions, norm.spans([(m.start, m.end) for m in mentions])):
            e = m.entry
            quoted = m.quote >= 0
            out.append(make_match(a, b, text[a:b], e.term, e.kind, m.target, e.polarity, e.category, e.weight,
                             "quoted" if quoted else "narrator", m.rule, speakers[m.quote] if quoted else None,
                             e.source))
        statements = []
        for (start, end, _verb), speaker in zip(quotes, speakers):
            a, b = norm.span(start, end)
            statements.append(Statement(a, b, text[a:b], speaker))
        return tuple(out), tuple(statements)

    def _aggregate(self, matches, words: int) -> VoiceScores:
        fav = dict.fromkeys(self._sides, 0.0)
        unfav = dict.fromkeys(self._sides, 0.0)
        mentions = dict.fromkeys(self._sides, 0)
        for m in matches:
            target = m.target
            if target is None:
                continue
            mentions[target] += 1
            if m.polarity == "favorable":
                fav[target] += m.weight
            elif m.polarity == "unfavorable":
                unfav[target] += m.weight
        others = self._others
        signal = dict.fromkeys(others, 0.0)
        share = 1 / (len(others) - 1)
        for party, side in self._sides.items():
            signal[side] += fav[party]
            if unfav[party]:
                for other in others[side]:
                    signal[other] += unfav[party] * share
        per_k = 1000 / max(words, 1)
        stances = {p: PartyStance(fav[p], unfav[p], mentions[p], self._stance(fav[p], unfav[p])) if mentions[p]
                   else _NOT_MENTIONED for p in fav}
        return VoiceScores({s: v * per_k for s, v in signal.items()}, stances, self._lean(signal))

    def _lean(self, signal: dict[str, float]) -> str | None:
        total = sum(signal.values())
        top = max(signal, key=signal.get)
        if total >= self.lean_min_evidence and signal[top] >= self.lean_min_share * total:
            return top
        return None

    def _stance(self, favorable: float, unfavorable: float) -> str | None:
        evidence = favorable + unfavorable
        if not evidence or evidence < self.stance_min_evidence:
            return None
        if favorable >= self.stance_min_share * evidence:
            return "favorable"
        if unfavorable >= self.stance_min_share * evidence:
            return "unfavorable"
        return "neutral"


def scorer_for(lexicon: str | None) -> Scorer:
    """A shared default :class:`Scorer` for a lexicon name or path (None: the default lexicon).

    Compiling a lexicon's automaton costs far more than scoring an article, so everything that
    scores with default settings (``score``, the classifier's lexicon features, distinctive terms)
    shares these. A lexicon edited on disk is reloaded on the next call, so a notebook sees the edit
    without a restart.
    """
    path = resolve_lexicon(lexicon)
    return _shared_scorer(path, lexicon_stamp(path))


@lru_cache(maxsize=8)
def _shared_scorer(path, stamp) -> Scorer:
    return Scorer(path)


def score(text: str, lexicon: str | None = None, meta: dict | None = None) -> Score:
    """Score one article with a (cached) default :class:`Scorer`.

    Examples
    --------
    >>> s = score("قصفت ميليشيات حفتر الأحياء السكنية في طرابلس.")
    >>> s.parties["lna"].unfavorable > 0
    True
    """
    return scorer_for(None if lexicon is None else str(lexicon)).score(text, meta)
