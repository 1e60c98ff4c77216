"""JSON Lines output of scores: ``json.dumps(score.to_dict(), ensure_ascii=False)``, byte for byte, faster.

Most of an article's JSON is its matches, and most of a match's fields are its lexicon entry's
(``term``, ``kind``, ``polarity``, ``category``, ``weight``, ``source``): a :class:`JsonRenderer`
renders those once per entry, as the text between a match's own values, and writes each match
straight from the :class:`~framing.results.Match` without building a dict. The layout is read
from :meth:`Match.to_dict` itself, so the two cannot drift apart; anything the fast path does not
know (a match from another lexicon, a corpus field named ``matches``) goes through ``json.dumps``.
When :mod:`framing._core` was compiled at install, an article's matches are written in C, in one
buffer, by :class:`framing._core.MatchJson` (the twin: :meth:`JsonRenderer.python_matches`), and
each voice's scores by :class:`framing._core.VoiceJson` (the twin: :meth:`JsonRenderer.python_voice`);
:meth:`JsonRenderer.encoded` gives the UTF-8 line the score command writes, the matches written as
bytes in the first place.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from itertools import chain
from json.encoder import encode_basestring
from math import copysign
from operator import attrgetter

from .lexicon import Entry, Lexicon
from .results import SUMMARY_KEYS, Match, PartyStance, Score, VoiceScores, unmade_matches

try:  # the inside of the matches array and a voice's scores in C, when framing._core was compiled at install
    from ._core import MatchJson, VoiceJson
except ImportError:
    MatchJson = VoiceJson = None

_BATCH = 4096  # matches per piece of a long article's line
_MEMO = 4096  # texts of numbers and party stances kept by a renderer (see JsonRenderer._number)
_SENTINEL = re.compile(r'"\\u0000(\d+)\\u0000"')
_INLINE_ORDER = ("start", "end", "text", "target", "voice", "rule", "speaker")
# The keys of Score.to_dict that are the score's own (the rest are the article's corpus fields).
_OWN_KEYS = SUMMARY_KEYS | {"matches"}
enc = encode_basestring
# json.dumps(x, ensure_ascii=False) makes a new encoder at every call; the head of an article needs a dozen.
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _value(v) -> str:
    """One scalar as ``json.dumps`` writes it."""
    if v is None:
        return "null"
    if v.__class__ is str:
        return encode_basestring(v)
    if v.__class__ is int:
        return int.__repr__(v)
    if v.__class__ is float and v - v == 0:  # finite (json.dumps writes NaN and Infinity its own way)
        return float.__repr__(v)
    return json.dumps(v, ensure_ascii=False)


def _flat(d: dict) -> str:
    """A dict with string keys as ``json.dumps`` writes it (its scalars without a call to it)."""
    return "{" + ", ".join([f"{encode_basestring(k)}: {_value(v)}" for k, v in d.items()]) + "}"


def _alike(a, b) -> bool:
    """Whether ``json.dumps`` writes ``a`` as it writes ``b``, for a match's field copied from its
    entry (``b``): the same object, or equal strings, or equal floats of the same sign (equal
    values of other types, such as ``0`` and ``-0.0`` for ``0.0``, may be written apart)."""
    if a is b:
        return True
    if a.__class__ is str and b.__class__ is str:
        return a == b
    return a.__class__ is float and b.__class__ is float and a == b and copysign(1.0, a) == copysign(1.0, b)


def _rounded(x: float) -> str:
    """``x`` as ``json.dumps`` writes ``round(x, 3)``."""
    return _value(round(x, 3))


def _match_dumps(m) -> str:
    """The JSON of a match the fast path does not know."""
    return json.dumps(m.to_dict(), ensure_ascii=False)


def _kept(memo: dict, key, make, value) -> str:
    """``make(value)``, kept in ``memo`` under ``key``: bounded, the memo is cleared when full."""
    text = memo.get(key)
    if text is None:
        if len(memo) >= _MEMO:
            memo.clear()
        text = memo[key] = make(value)
    return text


def _party(p) -> str:
    """``json.dumps(p.to_dict())`` of a :class:`~framing.results.PartyStance`, without making the
    dict: an article's head holds a few dozen of them (PartyStance.to_dict's layout and rounding;
    tests/test_jsonl.py compares the two)."""
    favorable, unfavorable = p.favorable, p.unfavorable
    if favorable or unfavorable:
        net = round(favorable - unfavorable, 3)
        favorable, unfavorable = round(favorable, 3), round(unfavorable, 3)
    else:
        net = favorable - unfavorable
    return (f'{{"favorable": {_value(favorable)}, "unfavorable": {_value(unfavorable)}, "net": {_value(net)}, '
            f'"mentions": {_value(p.mentions)}, "stance": {_value(p.stance)}}}')


class JsonRenderer:
    """Renders :class:`~framing.results.Score` objects of one lexicon as JSON text.

    Parameters
    ----------
    lexicon : Lexicon
        The lexicon the scores come from (its entries' fixed fields are rendered once, here).

    Examples
    --------
    >>> import json
    >>> from framing import Scorer
    >>> scorer = Scorer()
    >>> score = scorer.score("قصفت ميليشيات حفتر الأحياء السكنية.", {"id": 1})
    >>> JsonRenderer(scorer.lexicon).render(score) == json.dumps(score.to_dict(), ensure_ascii=False)
    True
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        entry_fields = {f.name for f in fields(Entry)}
        # A match field named like an entry field is copied from the entry (see Scorer.matches).
        self._own = tuple(f.name for f in fields(Match) if f.name not in entry_fields)
        self._get = attrgetter(*self._own)
        # Sources are relative (``terms.tsv:12``): a match of another lexicon may share one, so
        # the entry's fields are compared too.
        copied = tuple(f.name for f in fields(Match) if f.name in entry_fields)
        self._copied = attrgetter(*copied)
        self._match_keys = tuple(f.name for f in fields(Match))
        self._layout = {e.source: (self._copied(e), self._pieces(e)) for e in lexicon.entries}
        # Equal numbers may be written apart (0 or -0.0 for 0.0): the copied fields that hold
        # anything but text in the entries are compared more closely (see python_matches).
        self._numeric = tuple(sorted({k for e in lexicon.entries for k, x in enumerate(self._copied(e))
                                      if x is not None and x.__class__ is not str}))
        # The layout as Match.to_dict has it today gets a hand-written path (each value written
        # inline, no call per value); any other layout takes the generic one.
        self._inline = self._own == _INLINE_ORDER
        self._compiled = None if MatchJson is None else MatchJson(Match, self._own, copied, self._layout, _match_dumps)
        self._numbers: dict = {}  # see _number
        self._parties: dict = {}
        self._voice = self.python_voice if VoiceJson is None else VoiceJson(
            VoiceScores, PartyStance, _rounded, encode_basestring, self.python_voice)

    def __reduce__(self):  # a worker process makes the compiled renderer again
        return JsonRenderer, (self.lexicon,)

    def _pieces(self, entry: Entry) -> tuple[str, ...]:
        """The JSON of a match of ``entry`` split around its own values, in the order they appear."""
        values = {name: getattr(entry, name, None) for name in self._match_keys}
        values.update({name: f"\0{k}\0" for k, name in enumerate(self._own)})
        text = _dumps(Match(**values).to_dict())
        parts = _SENTINEL.split(text)
        order = [int(k) for k in parts[1::2]]
        if order != list(range(len(self._own))):  # to_dict reorders or drops a field: no fast path
            return ()
        return tuple(parts[::2])

    def _head(self, score: Score) -> str:
        """``json.dumps(score.summary_dict())`` when no corpus field is named like the score's own
        keys: each distinct voice's scores rendered once (an article with nothing quoted has the
        same scores as its reading, its narrator and all voices)."""
        rendered: dict[int, str] = {}  # by object: the score holds each one, so no id is reused here
        voices = []
        for v in (score._reading, score.narrator, score.all_voices):
            text = rendered.get(id(v))
            if text is None:
                text = rendered[id(v)] = self._voice(v)
            voices.append(text)
        meta = score.meta
        # A corpus's fields have text keys (JSON's); other keys json.dumps converts its own way.
        meta = "" if not meta else _flat(meta)[1:-1] if all(k.__class__ is str for k in meta) else _dumps(meta)[1:-1]
        warnings = ", ".join([_value(w) for w in score.warnings])
        tail = (f'"untargeted": {_value(score.untargeted)}, "lexicon": {_value(score.lexicon)}, '
                f'"warnings": [{warnings}]}}')
        return (f'{{{meta}{", " if meta else ""}{voices[0][1:-1]}, "basis": {_value(score.basis)}, '
                f'"words": {_value(score.words)}, "narrator": {voices[1]}, "all_voices": {voices[2]}, {tail}')

    def python_voice(self, v) -> str:
        """``json.dumps(v.to_dict())`` of a :class:`~framing.results.VoiceScores` (its layout is
        VoiceScores.to_dict's; tests/test_jsonl.py compares the two). :class:`framing._core.VoiceJson`
        is its compiled twin."""
        sides = ", ".join([f"{enc(k)}: {self._number(x)}" for k, x in v.sides.items()])
        parties = ", ".join([f"{enc(k)}: {self._party(p)}" for k, p in v.parties.items()])
        return f'{{"lean": {_value(v.lean)}, "sides": {{{sides}}}, "parties": {{{parties}}}}}'

    # Rounding a float and writing it out costs thousands of instructions (two correctly rounded
    # conversions); evidence takes few distinct values (sums of lexicon weights), so their text is
    # kept, by value, for plain floats and ints: -0.0 equals 0.0 and 1 equals 1.0, but each is
    # written its own way, so those take the long way. Bounded: cleared when full.
    def _number(self, x) -> str:
        """:func:`_rounded`."""
        if x.__class__ is not float or copysign(1.0, x) < 0:
            return _rounded(x)
        return _kept(self._numbers, x, _rounded, x)

    def _party(self, p) -> str:
        """:func:`_party`."""
        favorable, unfavorable, mentions = p.favorable, p.unfavorable, p.mentions
        if not (favorable.__class__ is float and unfavorable.__class__ is float and mentions.__class__ is int
                and copysign(1.0, favorable) > 0 and copysign(1.0, unfavorable) > 0):
            return _party(p)
        return _kept(self._parties, (favorable, unfavorable, mentions, p.stance), _party, p)

    def match(self, m: Match) -> str:
        """One match as JSON."""
        return self.matches((m,))

    def matches(self, matches) -> str:
        """The JSON of each match, joined by ``", "`` (the inside of the ``matches`` array): in C
        (:class:`framing._core.MatchJson`) when it was compiled at install, else
        :meth:`python_matches`, its twin."""
        if self._compiled is None:
            return self.python_matches(matches)
        return self._compiled(matches)

    def python_matches(self, matches) -> str:
        """:meth:`matches` in Python."""
        layout, copied, numeric, inline, out = self._layout, self._copied, self._numeric, self._inline, []
        for m in matches:
            known = layout.get(m.source)
            values = None if known is None or not known[1] else copied(m)
            odd = values is None or values != known[0]
            for k in numeric:  # the scorer copies the entry's own objects: they are seldom looked at
                if not odd and values[k] is not known[0][k]:
                    odd = not _alike(values[k], known[0][k])
            if odd:
                out.append(_match_dumps(m))
                continue
            p = known[1]
            if inline:  # one f-string, no call per value
                a, b, t, r, s, v = m.start, m.end, m.target, m.rule, m.speaker, m.voice
                if a.__class__ is not int or b.__class__ is not int:  # True or 1.0 is not written as 1
                    out.append(_match_dumps(m))
                    continue
                try:
                    out.append(f"{p[0]}{a}{p[1]}{b}{p[2]}{enc(m.text)}{p[3]}{'null' if t is None else enc(t)}"
                               f"{p[4]}{'null' if v is None else enc(v)}{p[5]}{'null' if r is None else enc(r)}"
                               f"{p[6]}{'null' if s is None else enc(s)}{p[7]}")
                except TypeError:  # a text that is neither a str nor None
                    out.append(_match_dumps(m))
            else:
                out.append("".join(chain.from_iterable(zip(p, map(_value, self._get(m))))) + p[-1])
        return ", ".join(out)

    def row_lines(self, head: dict, matches) -> list[bytes]:
        """The JSON line of ``{**head, **m.to_dict()}`` for each match, in UTF-8, as ``json.dumps``
        writes it, newline included: the long table of matches (``--matches FILE.jsonl``, whose
        rows :func:`framing.export.match_block` makes), with ``head`` written once for all and
        each match as :meth:`matches` writes it, not as a dict made and dumped per match."""
        match_keys = self._match_keys
        if not head or not all(k.__class__ is str and k not in match_keys for k in head):
            # A key a match also has, or one json.dumps converts: the dict decides.
            return [f"{_dumps({**head, **m.to_dict()})}\n".encode() for m in matches]
        prefix = f"{_dumps(head)[:-1]}, ".encode()
        one = self.encoded_match
        return [b"".join((prefix, one(m)[1:], b"\n")) for m in matches]

    def encoded_match(self, m: Match) -> bytes:
        """:meth:`match` in UTF-8."""
        return self.match(m).encode() if self._compiled is None else self._compiled.encoded((m,))

    def render(self, score: Score, extra: dict | None = None) -> str:
        """``json.dumps({**score.to_dict(), **extra}, ensure_ascii=False)``."""
        return "".join(self.pieces(score, extra))

    def pieces(self, score: Score, extra: dict | None = None) -> list[str]:
        """:meth:`render` as strings to write one after the other: the matches in batches, so that
        the JSON of an article with millions of matches (a 100 MB record) is never copied whole."""
        return self._pieces_of(score, extra, self.matches)

    def encoded(self, score: Score, extra: dict | None = None) -> list[bytes]:
        """:meth:`pieces`, each encoded in UTF-8 as :meth:`str.encode` encodes it (a lone
        surrogate raises :class:`UnicodeEncodeError`); the matches are written as bytes in the
        first place when :class:`framing._core.MatchJson` was compiled."""
        pieces = self._pieces_of(score, extra, self.matches if self._compiled is None else self._compiled.encoded)
        for k, piece in enumerate(pieces):
            if piece.__class__ is str:
                pieces[k] = piece.encode()
        return pieces

    def _pieces_of(self, score: Score, extra: dict | None, matches) -> list:
        """:meth:`pieces`, each batch of matches written by ``matches``."""
        meta = score.meta
        if meta.keys().isdisjoint(_OWN_KEYS) and not (extra and not extra.keys().isdisjoint(_OWN_KEYS | meta.keys())):
            text = self._head(score)
        else:  # corpus fields named like the score's own keys: to_dict decides where each goes
            head = score.summary_dict()
            if "matches" in head or (extra and ("matches" in extra or not head.keys().isdisjoint(extra))):
                out = score.to_dict()
                out.update(extra or {})
                return [json.dumps(out, ensure_ascii=False)]
            text = json.dumps(head, ensure_ascii=False)
        pieces = [f'{text[:-1]}, "matches": [']
        # Matches the compiled rules left unmade are written in C from their arrays, never made.
        pending = None if self._compiled is None else unmade_matches(score)
        if pending is not None and len(pending) <= _BATCH:
            pieces.append(matches(pending))
        else:
            every = score.matches
            for start in range(0, len(every), _BATCH):
                if start:
                    pieces.append(", ")
                pieces.append(matches(every[start:start + _BATCH]))
        tail = "".join(f", {encode_basestring(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in extra.items()) \
            if extra else ""
        pieces.append(f"]{tail}}}")
        return pieces
