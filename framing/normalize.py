"""Arabic orthographic normalisation that remembers where every character came from.

Matching happens on normalised text, but evidence is shown in the text as the user gave it, so
:func:`normalize` returns a :class:`Normalized` that maps any span of the normalised string back to
the original. The character tables below are data: edit them, not the code.

Normalisation steps
-------------------
1. Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) are replaced by their NFKC
   decomposition, e.g. the lam-alef ligature becomes two letters.
2. Diacritics (harakat, tanwin, shadda, sukun, dagger alef, Quranic marks), tatweel, zero-width and
   bidi control characters, the soft hyphen and the word joiner are deleted.
3. Runs of horizontal whitespace become one space, so multi-word terms match whatever the spacing.
   Line breaks are kept: they end sentences and quotations. Every kind of line break («\r»،
   U+2028, U+2029 ...) becomes «\n» («\r\n» two of them).
4. One-to-one letter maps: hamzated and wasla alefs to bare alef, teh marbuta to heh, alef maksura
   and Persian yeh to yeh, keheh to kaf, Arabic-Indic digits to ASCII digits; a hashtag's
   underscore to a space («#الجيش_الوطني_الليبي» is the name).

Before these, HTML character references a crawl left in the text («&quot;»، «&nbsp;»، «&laquo;»،
«&#1604;») are read as the characters they stand for (:func:`html.unescape`'s table; a name it
does not know stays as written): «قال إن &quot;الميليشيات&quot; ...» quotes, and
«ميليشيات&nbsp;حفتر» is two words. The offsets still index the text as given, a decoded character
covering its whole reference. Tags («<p>») are not read: they are markup, not characters, and the
scorer warns about them (:data:`framing.scorer.MARKUP`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from pyarabic import araby

#: Characters deleted by normalisation: pyarabic's table of Arabic diacritics (harakat, tanwin,
#: shadda, sukun, dagger alef, combining hamza, Quranic marks) and tatweel, plus the invisible
#: characters that copy-pasted news carries (zero-width, bidi controls, byte-order mark).
INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen: HTML's &shy;, which some sites put inside long words
    (0x061C, 0x061C),  # Arabic letter mark
    (0x200B, 0x200F),  # zero-width space/non-joiner/joiner, LRM, RLM
    (0x202A, 0x202E), (0x2066, 0x2069),  # bidi embeddings, overrides and isolates
    (0x2060, 0x2064),  # word joiner and the invisible operators
    (0xFEFF, 0xFEFF),  # byte-order mark / zero-width no-break space
)
INVISIBLE = "".join(chr(lo) if lo == hi else f"{chr(lo)}-{chr(hi)}" for lo, hi in INVISIBLE_RANGES)
DELETED = "".join(sorted(set(araby.DIACRITICS) | {araby.TATWEEL})) + INVISIBLE
#: The invisible characters one by one: a span of the original text never ends with them.
_INVISIBLE_CHARS = frozenset(chr(c) for lo, hi in INVISIBLE_RANGES for c in range(lo, hi + 1))

#: One-to-one character replacements (they never change the length of the text).
LETTER_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ک": "ك", "ڪ": "ك",
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended (Persian/Urdu) digits
    **{c: " " for c in "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"},
    # A hashtag's underscores are its spaces: «#طوفان_الكرامة» is the operation's name, as a reader
    # reads it (tweets are quoted in news, and headlines carry them).
    "_": " ",
    # Line breaks of other systems and of Unicode (a crawl of a JavaScript page, a Word export):
    # a line break, which ends sentences and quotations. «\r\n» becomes two.
    **{c: "\n" for c in "\r\v\f\x85\u2028\u2029"},
}
# str.translate is several times slower than str.replace on non-ASCII text, so every character is
# replaced on its own (a fast C scan each): the frequent letters always, the rare ones (digits,
# tabs, no-break spaces ...) only when the text has them.
_FREQUENT = ("أا", "إا", "آا", "ةه", "ىي")


class PythonCharPositions:
    """Where the characters of ``chars`` (each one itself: no ranges) are in a text.

    ``CharPositions`` is its compiled twin, :class:`framing._core.CharPositions`, when that was
    built: one pass over the text instead of a regular expression's test of each character.
    """

    __slots__ = ("_pattern",)

    def __init__(self, chars: str):
        self._pattern = re.compile("[" + "".join(map(re.escape, chars)) + "]" if chars else "(?!)")

    def positions(self, text: str) -> list[int]:
        """The sorted offsets of the characters in ``text``."""
        return [m.start() for m in self._pattern.finditer(text)]


try:
    from ._core import CharPositions
except ImportError:  # built without a C compiler
    CharPositions = PythonCharPositions

_RARE = CharPositions("".join(c for c in LETTER_MAP if c not in "أإآةى"))


def _map_letters(text: str) -> str:
    for src, dst in _FREQUENT:
        text = text.replace(src, dst)
    rare = _RARE.positions(text)
    if rare:
        for char in {text[i] for i in rare}:
            text = text.replace(char, LETTER_MAP[char])
    return text
_PRESENTATION = "\ufb50-\ufdff\ufe70-\ufeff"
# Letters are mapped first (one to one, so offsets hold), then two scans find every place where
# the length changes: characters deleted or expanded, and runs of spaces (two plain patterns scan
# a text in half the time of one that has both).
_CHANGED_CHARS = re.compile(f"[{DELETED}{_PRESENTATION}]")


def _class_chars(spec: str) -> str:
    """Every character of a regular expression's character class ``spec`` (its characters and
    ``a-z`` ranges, nothing else), for :class:`CharPositions`."""
    out = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(map(chr, range(ord(spec[i]), ord(spec[i + 2]) + 1)))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


# The characters of _CHANGED_CHARS: a regular expression tests each character of the text
# against its class several times slower than CharPositions finds them.
_CHANGED = CharPositions(_class_chars(DELETED + _PRESENTATION))
_SPACE_RUNS = re.compile("  +")
_DELETED_RE = re.compile(f"[{DELETED}]")


def _expand(char: str) -> str:
    """What a single length-changing character becomes (before the letter map)."""
    if "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff":
        decomposed = unicodedata.normalize("NFKC", char)
        return _DELETED_RE.sub("", decomposed).strip()
    return ""


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised word and its ``[start, end)`` offsets in the ORIGINAL text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PythonNormalized:
    """Normalised text plus the map back to the original.

    ``Normalized`` is its compiled twin, :class:`framing._core.Normalized`, when that was built:
    the same attributes and methods, the anchors kept as a C array.

    Parameters
    ----------
    original : str
        The text as given.
    text : str
        The normalised text.
    anchors : tuple of (tuple of int, tuple of int) or None
        Parallel sorted positions ``(norm_positions, orig_positions)``: normalised character ``p``
        comes from original character ``orig[k] + (p - norm[k])`` with ``k`` the last anchor at or
        before ``p``. ``None`` means the two texts align one to one.
    """

    original: str
    text: str
    anchors: tuple | None = None

    def orig_index(self, pos: int) -> int:
        """Original index of the normalised character at ``pos`` (``len(text)`` maps to the end)."""
        if pos >= len(self.text):
            return len(self.original)
        if self.anchors is None:
            return pos
        norm, orig = self.anchors
        k = bisect_right(norm, pos) - 1
        return orig[k] + (pos - norm[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to a span of the original text.

        Characters deleted inside or right after the span (diacritics on its last letter, tatweel)
        belong to it, so ``original[a:b]`` is exactly what a reader would highlight; invisible
        characters right after it (a bidi control closing an embedded word, a mark before the next
        word) do not: :func:`_visible_end`.
        """
        if self.anchors is None:
            return start, end
        a = self.orig_index(start)
        if end <= start:
            return a, a
        b = self.orig_index(end)
        # A span ending inside an expanded ligature still covers that ligature.
        return a, _visible_end(self.original, a, b if b > a else self.orig_index(end - 1) + 1)

    def spans(self, pairs) -> list[tuple[int, int]]:
        """:meth:`span` of every ``(start, end)`` in ``pairs`` (one call for all of an article's matches;
        the items may be longer tuples that start with ``start, end``)."""
        if self.anchors is None:
            return [(p[0], p[1]) for p in pairs]
        norm, orig = self.anchors
        return anchored_spans(norm, orig, len(self.text), self.original, pairs, self.orig_index)

    def quoted(self, quotes, speakers, make) -> tuple:
        """``make(a, b, original[a:b], speaker)`` for each of ``quotes`` (normalised spans: tuples
        that start with ``start, end``) and its speaker, where ``(a, b)`` is its :meth:`span`."""
        return tuple(make(a, b, self.original[a:b], speaker)
                     for (a, b), speaker in zip(self.spans(quotes), speakers))


def _visible_end(original: str, a: int, b: int) -> int:
    """The end ``b`` of the span ``original[a:b]`` before the invisible characters it ends with."""
    while a < b and 0 < b <= len(original) and original[b - 1] in _INVISIBLE_CHARS:
        b -= 1
    return b


def python_anchored_spans(norm, orig, size, text, pairs, orig_index) -> list[tuple[int, int]]:
    """:meth:`Normalized.spans` of a text with ``anchors == (norm, orig)``, ``size`` characters
    long normalised and ``text`` as given (``orig_index`` is its :meth:`Normalized.orig_index`).

    ``anchored_spans`` is its compiled twin, ``framing._core.anchored_spans``, when that was built.
    """
    last, length = len(norm) - 1, len(text)
    out = []
    # The anchor interval [lo, hi) of the last position looked up, where original = normalised
    # + shift: an article's matches come in order, and most fall in the interval of the one before.
    lo = hi = shift = 0

    def original(position):
        nonlocal lo, hi, shift
        if not lo <= position < hi:
            if position >= size:
                return length
            k = bisect_right(norm, position) - 1
            lo, hi, shift = norm[k], norm[k + 1] if k < last else size, orig[k] - norm[k]
        return position + shift

    for pair in pairs:
        start, end = pair[0], pair[1]
        a = original(start)
        if end <= start:
            out.append((a, a))
            continue
        b = original(end)
        out.append((a, _visible_end(text, a, b if b > a else orig_index(end - 1) + 1)))
    return out


try:
    from ._core import anchored_spans
except ImportError:  # built without a C compiler
    anchored_spans = python_anchored_spans


_WORD = re.compile(r"[^\W\d_]+|\d+")


def tokens(text: str) -> list[Token]:
    """Normalised word tokens (runs of letters, or of digits) with their original offsets.

    Examples
    --------
    >>> [(t.text, t.start, t.end) for t in tokens("الميلِيشيات، ١٢")]
    [('الميليشيات', 0, 11), ('12', 13, 15)]
    """
    norm = normalize(text)
    return [Token(m.group(), *norm.span(*m.span())) for m in _WORD.finditer(norm.text)]


def normalize(text: str) -> Normalized:
    """Normalise Arabic ``text``, keeping a map back to the original offsets.

    Examples
    --------
    >>> n = normalize("المـيليشيـاتُ")
    >>> n.text
    'الميليشيات'
    >>> n.span(0, len(n.text))
    (0, 13)
    >>> n = normalize("قال&nbsp;&quot;نعم&quot;")
    >>> n.text, n.span(4, 5)
    ('قال "نعم"', (9, 15))
    """
    if "&" in text:  # a character's test first: references are rare
        decoded = _decode_references(text)
        if decoded is not None:
            return _through_references(text, *decoded)
    return _normalize(text)


# A reference ends with «;»: without it («AT&T»، «R&D») an ampersand is text. Names and numbers are
# bounded, so that a long run of letters after «&» is never read as one.
_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _decode_references(text: str) -> tuple[str, list[int], list[int]] | None:
    """``text`` with its character references decoded, and the anchors back to it (:func:`_splice`:
    each decoded character of a reference at its start); None when it holds none."""
    from html import unescape  # here, not at the top: few texts hold a reference, and html loads a table

    changes = [(m.start(), m.end(), chars) for m in _REFERENCE.finditer(text)
               if (chars := unescape(m.group())) != m.group()]  # a name the table does not know: text
    return _splice(text, changes) if changes else None


def decode_references(text: str) -> str:
    """``text`` with its HTML character references read as the characters they stand for (see the
    module's docstring), with no offset map: what a reader reads, to count its words."""
    decoded = _decode_references(text) if "&" in text else None
    return text if decoded is None else decoded[0]


def original_char(norm, pos: int) -> str:
    """The character of ``norm.original`` that the normalised character at ``pos`` comes from, a
    character reference read as what it stands for: the teh marbuta of «غزوة» is read from the
    original (normalised, it is «ه»), also when a crawl wrote it «&#1577;»."""
    i = norm.orig_index(pos)
    char = norm.original[i:i + 1]
    if char == "&":
        reference = _REFERENCE.match(norm.original, i)
        if reference is not None:
            from html import unescape

            char = unescape(reference.group())
    return char


def _through_references(text: str, decoded: str, dec_pos: list[int], orig_pos: list[int]) -> Normalized:
    """The :class:`Normalized` of ``text`` from the normalisation of its ``decoded`` form: each
    normalised character's origin in ``decoded`` taken on to ``text`` through the anchors of the
    decoding. One step per character, for the rare text that has references."""
    inner = _normalize(decoded)
    size, last = len(inner.text), len(dec_pos) - 1
    norm_out, orig_out = [], []
    k = 0
    previous = None
    for p in range(size):
        d = inner.orig_index(p)
        while k < last and dec_pos[k + 1] <= d:
            k += 1
        o = orig_pos[k] + (d - dec_pos[k])
        if previous is None or o != previous + 1:
            norm_out.append(p)
            orig_out.append(o)
        previous = o
    if not norm_out:  # nothing left (a reference to a deleted character alone)
        norm_out, orig_out = [0], [0]
    return Normalized(text, inner.text, (tuple(norm_out), tuple(orig_out)))


def python_normalize(text: str) -> PythonNormalized:
    """:func:`normalize` in Python: the steps of this module's docstring, scan by scan.

    ``framing._core.Normalizer`` is its compiled twin, when that was built: one pass over the text,
    with tables built from this module's (:func:`_compiled_tables`).
    """
    mapped = _map_letters(text)
    changes = [(i, i + 1) for i in _CHANGED.positions(mapped)]  # each one character long
    if "  " in mapped:  # a plain substring test is ten times faster than the pattern's scan
        changes = sorted(changes + [m.span() for m in _SPACE_RUNS.finditer(mapped)])  # no two start together
    if not changes:
        return PythonNormalized(text, mapped)
    spliced, norm_pos, orig_pos = _splice(mapped, [(i, j, _replacement(mapped[i:j])) for i, j in changes])
    return PythonNormalized(text, spliced, (tuple(norm_pos), tuple(orig_pos)))


def _splice(text: str, changes) -> tuple[str, list[int], list[int]]:
    """``text`` with each ``(i, j, out)`` of ``changes`` (in order, none overlapping) in place of
    ``text[i:j]``, and the anchors ``(new positions, positions in text)`` back to it: every
    character of an ``out`` points at its ``i``, what follows it at ``j``."""
    pieces: list[str] = []
    norm_pos: list[int] = [0]
    orig_pos: list[int] = [0]
    last = n = 0
    for i, j, out in changes:
        pieces.append(text[last:i])
        n += i - last
        pieces.append(out)
        for k in range(len(out)):
            norm_pos.append(n + k)
            orig_pos.append(i)
        n += len(out)
        norm_pos.append(n)
        orig_pos.append(j)
        last = j
    pieces.append(text[last:])
    return "".join(pieces), norm_pos, orig_pos


def _replacement(chunk: str) -> str:
    """What a changed stretch of the letter-mapped text becomes: a run of spaces, or one character
    of ``_CHANGED`` (deleted, or a presentation form expanded)."""
    if chunk[0] == " ":
        return " "
    if chunk in DELETED:  # the common case: a diacritic, tatweel or invisible character
        return ""
    return _map_letters(_expand(chunk))


def _compiled_tables() -> tuple[dict[str, str], dict[str, str]]:
    """The steps above as the tables of the compiled ``Normalizer``, so that they are written once:
    ``letters``, the characters the letter map replaces and what by (no anchor), and ``changes``,
    the characters whose letter-mapped form ``_CHANGED`` finds and what they become (anchored)."""
    changed = set(_class_chars(DELETED + _PRESENTATION))
    letters, changes = {}, {}
    for char in sorted(set(LETTER_MAP) | changed):
        mapped = LETTER_MAP.get(char, char)
        if mapped in changed:
            changes[char] = _replacement(mapped)
        elif mapped != char:
            letters[char] = mapped
    return letters, changes


try:
    from ._core import Normalized, Normalizer
except ImportError:  # built without a C compiler
    Normalized, _normalize = PythonNormalized, python_normalize
else:
    try:
        _normalize = Normalizer(*_compiled_tables())
    except ValueError:  # tables the C pass cannot hold (see Normalizer): the Python steps
        Normalized, _normalize = PythonNormalized, python_normalize
