# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The per-match core of scoring in C, each piece with a Python twin that runs when this module
was not compiled (no C compiler at install); the tests check that both give the same results.

* :class:`CompiledScan`: :meth:`framing.matcher.Matcher.find`, every key in the text kept when it
  is a whole word up to the proclitics and enclitics its spelling may take (the twin:
  :class:`framing.matcher.PythonScan`, over pyahocorasick's automaton). The automaton here is a
  full DFA over the letters of the keys: one table lookup per character of the text, read from the
  text's own array. Hits are C structs, checked, sorted and resolved in C: a Python object is made
  only for the matches kept.
* :class:`SlotMaker`: builds an instance of a slotted class (a frozen ``Match``) by writing its
  slots directly (the twin: :func:`framing.results.make_match`).
* :class:`Assembler`: builds an article's working mentions and its resulting matches slot by slot
  (the twin: :class:`framing.scorer.PythonAssembler`).
* :class:`ActorLinker`: links each working mention to the nearest actors around it (the twin:
  ``framing.attach._link_actors``).
* :func:`word_count`: how many words ``str.split`` would give, without making them (the twin:
  ``framing.scorer._word_count``).
* :func:`more_words` and :func:`punctuated`: whether the gap between two mentions holds more
  than so many words, or punctuation (the twins: ``framing.attach.python_more_words`` and
  ``python_punctuated``), reading the text's own array rather than a slice or a regex.
* :func:`holds_any`: whether part of a text holds one of some strings, before a regular
  expression that needs one is searched there (the twin: ``framing.attach.python_holds_any``).
* :class:`EvidenceSums`: the evidence of an article's matches summed per party and side (the
  twin: :class:`framing.scorer.PythonEvidenceSums`).
* :func:`anchored_spans`: the original spans of an article's hits (the twin:
  :func:`framing.normalize.python_anchored_spans`).
* :class:`ReportedSpeech`: rule 2 of :mod:`framing.voice`, reported speech after a reporting verb
  (the twin: :class:`framing.voice.PythonReportedSpeech`).
* :class:`SentenceEnds`: where sentences end (the twin: :class:`framing.voice.PythonSentenceEnds`).
* :class:`CharPositions`: where a set of characters is in a text, in one pass over it (the twin:
  :class:`framing.normalize.CharPositions`, a regular expression, which tests each character
  against a class several times slower).
* :class:`MatchJson`: the JSON of an article's matches, written in one buffer (the twin:
  :meth:`framing.jsonl.JsonRenderer.python_matches`).
* :class:`VoiceJson`: the JSON of a voice's scores (the twin:
  :meth:`framing.jsonl.JsonRenderer.python_voice`).
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.long cimport PyLong_AsLongLongAndOverflow, PyLong_AsSsize_t
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF, Py_XDECREF
from cpython.unicode cimport (
    PyUnicode_GET_LENGTH,
    PyUnicode_New,
    PyUnicode_WRITE,
    PyUnicode_1BYTE_DATA,
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_DATA,
    PyUnicode_2BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
    Py_UCS1,
    Py_UCS2,
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISALPHA,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISDIGIT,
    Py_UNICODE_ISSPACE,
)
from libc.math cimport copysign
from libc.string cimport memcpy, memset


cdef extern from "structmember.h":
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
    int T_OBJECT_EX


cdef extern from "Python.h":
    ctypedef struct PyMemberDescrObject:
        PyMemberDef *d_member
    PyTypeObject PyMemberDescr_Type
    object PyType_GenericAlloc(PyTypeObject *, Py_ssize_t)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object)
    bint PyUnicode_IS_ASCII(object)
    double PyFloat_AS_DOUBLE(object)
    PyObject *PyDict_GetItemWithError(object, object) except? NULL


cdef Py_ssize_t _words(str text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t most) noexcept:
    """How many words ``text[start:end]`` has, as :meth:`str.split` separates them, counting no
    further than ``most + 1``."""
    cdef Py_ssize_t i, count = 0
    cdef bint gap = True
    cdef Py_UCS4 ch
    cdef unsigned int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    for i in range(max(start, 0), min(end, PyUnicode_GET_LENGTH(text))):
        ch = PyUnicode_READ(kind, data, i)
        # No letter of the Arabic block is white space: most characters of an article need no call.
        if 0x0600 <= ch <= 0x06FF or not Py_UNICODE_ISSPACE(ch):
            if gap:
                count += 1
                if count > most:
                    break
                gap = False
        else:
            gap = True
    return count


def word_count(str text):
    """``len(text.split())``, without making the words (the twin: ``framing.scorer._word_count``)."""
    cdef Py_ssize_t n = len(text)
    return _words(text, 0, n, n)


def more_words(str text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t limit):
    """Whether ``text[start:end]`` (offsets in the text) has more than ``limit`` words, as
    :meth:`str.split` separates them, reading at most ``limit + 1`` of them (the twin:
    ``framing.attach.python_more_words``)."""
    return limit < 0 or _words(text, start, end, limit) > limit


def punctuated(str text, Py_ssize_t start, Py_ssize_t end):
    """Whether ``text[start:end]`` (offsets in the text) holds a digit or a character that is
    neither a word character, white space nor a quotation mark, as ``re`` reads
    ``[^\\w\\s«»“”"„]|\\d`` (the twin: ``framing.attach.python_punctuated``)."""
    cdef Py_ssize_t i
    cdef Py_UCS4 ch
    cdef unsigned int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    end = min(end, PyUnicode_GET_LENGTH(text))
    for i in range(max(start, 0), end):
        ch = PyUnicode_READ(kind, data, i)
        # Most characters of a gap are a space or an Arabic letter (tatweel included): no lookup.
        if ch == 0x20 or 0x0621 <= ch <= 0x064A:
            continue
        # What sre tests for \d, \w and \s in a str pattern: a decimal digit, an alphanumeric
        # character or "_", and white space.
        if Py_UNICODE_ISDECIMAL(ch):
            return True
        if Py_UNICODE_ISALNUM(ch) or ch == u"_" or Py_UNICODE_ISSPACE(ch):
            continue
        if ch not in (0x00AB, 0x00BB, 0x201C, 0x201D, 0x0022, 0x201E):  # «»“”"„
            return True
    return False


def holds_any(str text, Py_ssize_t start, Py_ssize_t end, tuple stems):
    """Whether ``text[start:end]`` (offsets in the text) holds one of ``stems`` (the twin:
    ``framing.attach.python_holds_any``)."""
    cdef Py_ssize_t i, j, k, n, count = len(stems)
    cdef Py_UCS4 first[64]
    cdef unsigned long long firsts = 0
    cdef Py_UCS4 ch
    cdef unsigned int kind = PyUnicode_KIND(text), stem_kind
    cdef void *data = PyUnicode_DATA(text)
    cdef void *stem_data
    cdef str stem
    if count > 64:
        return holds_any(text, start, end, stems[:64]) or holds_any(text, start, end, stems[64:])
    for k in range(count):
        stem = stems[k]
        if PyUnicode_GET_LENGTH(stem) == 0:  # in every string, even an empty one
            return True
        first[k] = stem[0]
        firsts |= 1ULL << (<unsigned int> first[k] & 63)
    # A bit per first character, modulo 64: one test per character of the text, and the stems
    # compared only where one may begin (the letters of the Arabic block all have bits of their own).
    end = min(end, PyUnicode_GET_LENGTH(text))
    for i in range(max(start, 0), end):
        ch = PyUnicode_READ(kind, data, i)
        if not (firsts >> (<unsigned int> ch & 63)) & 1:
            continue
        for k in range(count):
            if first[k] != ch:
                continue
            stem = stems[k]
            n = PyUnicode_GET_LENGTH(stem)
            if i + n > end:
                continue
            stem_kind, stem_data = PyUnicode_KIND(stem), PyUnicode_DATA(stem)
            for j in range(1, n):
                if PyUnicode_READ(kind, data, i + j) != PyUnicode_READ(stem_kind, stem_data, j):
                    break
            else:
                return True
    return False


cdef extern from *:
    """
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif
    /* Whether one of the 16 characters at s is neither in [low, low + span] nor space: two
       vectors of eight with SSE2, a loop elsewhere. */
    static inline int framing_block_other(const Py_UCS2 *s, unsigned short low, unsigned short span,
                                          unsigned short space) {
    #if defined(__SSE2__)
        __m128i a = _mm_loadu_si128((const __m128i *) s), b = _mm_loadu_si128((const __m128i *) (s + 8));
        __m128i lows = _mm_set1_epi16((short) low), spans = _mm_set1_epi16((short) span);
        __m128i spaces = _mm_set1_epi16((short) space);
        /* c - low (modulo 2**16) beyond span, saturated: non-zero outside the range */
        __m128i oa = _mm_subs_epu16(_mm_sub_epi16(a, lows), spans), ob = _mm_subs_epu16(_mm_sub_epi16(b, lows), spans);
        oa = _mm_andnot_si128(_mm_cmpeq_epi16(a, spaces), oa);
        ob = _mm_andnot_si128(_mm_cmpeq_epi16(b, spaces), ob);
        return _mm_movemask_epi8(_mm_cmpeq_epi16(_mm_or_si128(oa, ob), _mm_setzero_si128())) != 0xFFFF;
    #else
        int other = 0, j;
        for (j = 0; j < 16; j++)
            other |= ((unsigned short) (s[j] - low) > span) & (s[j] != space);
        return other;
    #endif
    }
    """
    bint _block_other "framing_block_other" (const Py_UCS2 *s, unsigned short low, unsigned short span,
                                             unsigned short space) noexcept nogil


cdef class CharPositions:
    """Where the characters of ``chars`` are in a text.

    Parameters
    ----------
    chars : str
        The characters (each one itself: no ranges).
    """

    cdef unsigned char bits[8192]  # one bit per character of the Basic Multilingual Plane
    cdef frozenset wide  # the characters beyond it
    # Characters none of chars can be, tested a block at a time (see _positions_bmp): the widest
    # range around the Arabic letters that holds none of them, and the space unless it is one.
    cdef bint blocks  # whether there is such a range (no Arabic letter is sought)
    cdef unsigned short skip_low, skip_span, skip_space

    def __init__(self, str chars):
        cdef unsigned int code, low = 0x0621, high = 0x0621
        cdef Py_ssize_t i
        memset(self.bits, 0, sizeof(self.bits))
        self.wide = frozenset([c for c in chars if ord(c) > 0xFFFF])
        for i in range(len(chars)):
            code = <unsigned int> chars[i]
            if code <= 0xFFFF:
                self.bits[code >> 3] |= 1 << (code & 7)
        self.blocks = not self._has(low)
        while low > 0 and not self._has(low - 1):
            low -= 1
        while high < 0xFFFF and not self._has(high + 1):
            high += 1
        self.skip_low, self.skip_span = low, high - low
        # A sought space is skipped as a character of the range is, that is not at all.
        self.skip_space = low if self._has(0x20) else 0x20

    cdef inline bint _has(self, unsigned int code) noexcept:
        return (self.bits[code >> 3] >> (code & 7)) & 1

    def __reduce__(self):
        raise TypeError("a CharPositions is made again where it is used, not pickled")

    def positions(self, str text):
        """The sorted offsets of the characters in ``text``."""
        cdef Py_ssize_t i, n = len(text)
        cdef unsigned int code
        cdef const Py_UCS1 *narrow
        cdef const Py_UCS2 *bmp
        out = []
        # Scoring scans each article several times: the bit table inline, over the text's own
        # array when its characters are one or two bytes wide (Arabic text: two), rather than a
        # call and an error check per character.
        if PyUnicode_KIND(text) == PyUnicode_2BYTE_KIND:
            self._positions_bmp(PyUnicode_2BYTE_DATA(text), n, out)
        elif PyUnicode_KIND(text) == PyUnicode_1BYTE_KIND:
            narrow = PyUnicode_1BYTE_DATA(text)
            for i in range(n):
                code = narrow[i]
                if self.bits[code >> 3] & (1 << (code & 7)):
                    out.append(i)
        else:
            for i in range(n):
                code = <unsigned int> text[i]
                if code <= 0xFFFF:
                    if self.bits[code >> 3] & (1 << (code & 7)):
                        out.append(i)
                elif text[i] in self.wide:
                    out.append(i)
        return out

    cdef int _positions_bmp(self, const Py_UCS2 *bmp, Py_ssize_t n, list out) except -1:
        """:meth:`positions` of a text two bytes a character (Arabic text), into ``out``.

        Most characters of an Arabic article are letters or spaces, which none of the characters
        sought are (``skip_low``...): a block of 16 characters is tested for any other at once
        (``framing_block_other``: a few SSE2 instructions), and only a block that holds one (one
        in six of a dense article's) is read character by character: 4x faster than reading
        each."""
        cdef Py_ssize_t i = 0, j
        cdef unsigned int code
        while self.blocks and i + 16 <= n:
            if _block_other(bmp + i, self.skip_low, self.skip_span, self.skip_space):
                for j in range(i, i + 16):
                    code = bmp[j]
                    if self.bits[code >> 3] & (1 << (code & 7)):
                        out.append(j)
            i += 16
        for j in range(i, n):
            code = bmp[j]
            if self.bits[code >> 3] & (1 << (code & 7)):
                out.append(j)
        return 0


cdef class SlotMaker:
    """``maker(*values)`` is an instance of ``cls`` with ``values`` in the slots ``names``, in
    order, set without calling ``__init__`` (as ``object.__setattr__`` on each would, 13 times
    faster for a frozen ``Match``). Every slot of ``cls`` must be named, each an object slot."""

    cdef PyTypeObject *cls
    cdef object keep
    cdef Py_ssize_t n
    cdef Py_ssize_t offsets[64]

    def __init__(self, cls, names):
        cdef PyMemberDescrObject *descriptor
        if not isinstance(cls, type) or len(names) > 64:
            raise TypeError(f"cls must be a slotted class of at most 64 slots. Got {cls!r} instead")
        if set(names) != set(cls.__slots__) or len(names) != len(cls.__slots__):
            raise TypeError(f"names must be the slots of {cls.__name__}. Got {names!r} instead")
        self.keep = cls
        self.cls = <PyTypeObject *> cls
        self.n = len(names)
        for k, name in enumerate(names):
            member = cls.__dict__[name]
            if type(member) is not <object> &PyMemberDescr_Type:
                raise TypeError(f"{cls.__name__}.{name} must be a slot. Got {type(member).__name__} instead")
            descriptor = <PyMemberDescrObject *> member
            if descriptor.d_member.type != T_OBJECT_EX:
                raise TypeError(f"{cls.__name__}.{name} must be an object slot")
            self.offsets[k] = descriptor.d_member.offset

    def __reduce__(self):
        raise TypeError("a SlotMaker is made again where it is used, not pickled")

    cdef object new(self):
        """An instance with every slot empty, for :meth:`put` to fill."""
        return PyType_GenericAlloc(self.cls, 0)

    cdef void put(self, object instance, Py_ssize_t k, object value):
        """Slot ``k`` (in the order of ``names``) of a :meth:`new` instance, still empty, is ``value``."""
        cdef PyObject **slot = <PyObject **> ((<char *> <PyObject *> instance) + self.offsets[k])
        Py_INCREF(value)
        slot[0] = <PyObject *> value

    cdef void replace(self, object instance, Py_ssize_t k, object value):
        """Slot ``k`` of ``instance``, an instance of exactly ``cls``, is now ``value``."""
        cdef PyObject **slot = <PyObject **> ((<char *> <PyObject *> instance) + self.offsets[k])
        cdef PyObject *old = slot[0]
        Py_INCREF(value)
        slot[0] = <PyObject *> value
        Py_XDECREF(old)

    cdef object get(self, object instance, Py_ssize_t k):
        """Slot ``k`` of ``instance``, an instance of exactly ``cls``."""
        cdef PyObject *value = (<PyObject **> ((<char *> <PyObject *> instance) + self.offsets[k]))[0]
        if value is NULL:
            raise AttributeError(f"slot {k} of a {(<object> self.cls).__name__} is not set")
        return <object> value

    def __call__(self, *values):
        cdef Py_ssize_t k
        cdef PyObject **slot
        if len(values) != self.n:
            raise TypeError(f"{(<object> self.cls).__name__} takes {self.n} values. Got {len(values)} instead")
        instance = PyType_GenericAlloc(self.cls, 0)
        for k in range(self.n):
            value = values[k]
            Py_INCREF(value)  # the slot owns a reference; a new instance's slots are all NULL
            slot = <PyObject **> ((<char *> <PyObject *> instance) + self.offsets[k])
            slot[0] = <PyObject *> value
        return instance


#: The slots an :class:`Assembler` fills, in its order (see ``framing.attach.Mention``).
MENTION_SLOTS = ("start", "end", "entry", "suffix", "definite", "scope", "quote", "target", "rule", "prev_actor",
                 "next_actor")
#: The same for ``framing.results.Match``.
MATCH_SLOTS = ("start", "end", "text", "term", "kind", "target", "polarity", "category", "weight", "voice", "rule",
               "speaker", "source")
# Indexes into MENTION_SLOTS.
cdef enum:
    _START = 0
    _ENTRY = 2
    _SCOPE = 5
    _QUOTE = 6
    _TARGET = 7
    _RULE = 8
    _PREV_ACTOR = 9
    _NEXT_ACTOR = 10
# Indexes into MATCH_SLOTS.
cdef enum:
    _MATCH_TARGET = 5
    _MATCH_POLARITY = 6
    _MATCH_WEIGHT = 8


cdef Py_ssize_t *_positions(list items, Py_ssize_t at) except NULL:
    """Item ``at`` of each tuple of ``items`` (or each item, when ``at`` is -1) as a C array."""
    cdef Py_ssize_t n = len(items), k
    cdef Py_ssize_t *out = <Py_ssize_t *> PyMem_Malloc(max(n, 1) * sizeof(Py_ssize_t))
    if not out:
        raise MemoryError()
    try:
        for k in range(n):
            out[k] = items[k] if at < 0 else items[k][at]
    except BaseException:
        PyMem_Free(out)
        raise
    return out


cdef inline Py_ssize_t _after(Py_ssize_t *values, Py_ssize_t n, Py_ssize_t x) noexcept:
    """``bisect_right(values, x)``."""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if x < values[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


cdef class Assembler:
    """The working mentions of an article's hits, and its resulting matches, built slot by slot.

    The twin of :class:`framing.scorer.PythonAssembler` (see it for what each method gives).

    Parameters
    ----------
    entries : tuple of Entry
        The lexicon's entries (a hit's third item indexes them).
    mention : type
        ``framing.attach.Mention``; its slots are :data:`MENTION_SLOTS`.
    match : type
        ``framing.results.Match``; its slots are :data:`MATCH_SLOTS`.
    """

    cdef SlotMaker mention
    cdef SlotMaker match
    cdef tuple entries
    cdef tuple parties
    cdef tuple fields
    cdef char *actors
    cdef char *namings
    cdef Py_ssize_t n

    def __init__(self, entries, mention, match):
        cdef Py_ssize_t k
        self.mention = SlotMaker(mention, MENTION_SLOTS)
        self.match = SlotMaker(match, MATCH_SLOTS)
        self.entries = tuple(entries)
        self.n = len(self.entries)
        self.parties = tuple([e.party for e in self.entries])
        self.fields = tuple([(e.term, e.kind, e.polarity, e.category, e.weight, e.source) for e in self.entries])
        PyMem_Free(self.actors)
        PyMem_Free(self.namings)
        self.actors = <char *> PyMem_Malloc(max(self.n, 1))
        self.namings = <char *> PyMem_Malloc(max(self.n, 1))
        if not (self.actors and self.namings):
            raise MemoryError()
        for k, e in enumerate(self.entries):
            self.actors[k] = e.kind == "actor"
            self.namings[k] = e.kind == "naming"

    def __dealloc__(self):
        PyMem_Free(self.actors)
        PyMem_Free(self.namings)

    def __reduce__(self):
        raise TypeError("an Assembler is made again where it is used, not pickled")

    cdef Py_ssize_t _index(self, tuple hit) except -1:
        cdef Py_ssize_t index = hit[2]
        if not 0 <= index < self.n:
            raise IndexError(f"entry index out of range: {index!r}")
        return index

    def mentions(self, list hits, list quotes, list ends):
        """:meth:`framing.scorer.PythonAssembler.mentions`."""
        cdef Py_ssize_t n_quotes = len(quotes), n_ends = len(ends), start, end, index, k, quote
        cdef Py_ssize_t *starts = NULL
        cdef Py_ssize_t *stops = NULL
        cdef Py_ssize_t *stops_of = NULL
        cdef Py_ssize_t sentence, last_sentence = -1, last_quote = -1
        cdef tuple hit, scope = None
        cdef SlotMaker make = self.mention
        out = []
        try:
            starts = _positions(quotes, 0)
            stops = _positions(quotes, 1)
            stops_of = _positions(ends, -1)
            for hit in hits:
                start, end, index = hit[0], hit[1], self._index(hit)
                quote = -1
                if n_quotes:
                    k = _after(starts, n_quotes, start) - 1
                    # A name alone in quotation marks is typography, not speech (Scorer._read).
                    if k >= 0 and start < stops[k] and not (self.actors[index] and starts[k] == start
                                                            and stops[k] == end):
                        quote = k
                party = self.parties[index]
                m = make.new()
                make.put(m, 0, hit[0])
                make.put(m, 1, hit[1])
                make.put(m, 2, self.entries[index])
                make.put(m, 3, hit[3])
                make.put(m, 4, hit[4])
                sentence = _after(stops_of, n_ends, start - 1)
                # One tuple for the mentions of one sentence and voice: rules compare scopes often,
                # and equal tuples that are one object compare at once.
                if sentence != last_sentence or quote != last_quote:
                    scope = (sentence, quote)
                    last_sentence, last_quote = sentence, quote
                make.put(m, 5, scope)
                make.put(m, _QUOTE, quote)
                make.put(m, _TARGET, party)
                make.put(m, _RULE, "named" if party else None)
                make.put(m, 9, None)
                make.put(m, 10, None)
                out.append(m)
        finally:
            PyMem_Free(starts)
            PyMem_Free(stops)
            PyMem_Free(stops_of)
        return out

    def matches(self, list mentions, list hits, list spans, str text, list speakers, naming_quoted):
        """:meth:`framing.scorer.PythonAssembler.matches`."""
        cdef Py_ssize_t n = min(len(mentions), len(hits), len(spans)), i, index, quote, a, b
        cdef SlotMaker mention = self.mention, make = self.match
        cdef tuple fields, span
        out = []
        for i in range(n):
            m = mentions[i]
            if type(m) is not <object> mention.cls:
                raise TypeError(f"mentions must be {(<object> mention.cls).__name__}. Got {type(m).__name__}")
            index = self._index(hits[i])
            fields = self.fields[index]
            voice, speaker = "narrator", None
            quote = mention.get(m, _QUOTE)
            if quote >= 0:
                if quote >= len(speakers):
                    raise IndexError("a mention's quote has no speaker")
                # A naming choice in paraphrase is the outlet's, unless a camp is praising itself.
                if not self.namings[index] or naming_quoted(mention.get(m, _START), index, speakers[quote]):
                    voice, speaker = "quoted", speakers[quote]
            span = spans[i]
            a, b = span[0], span[1]
            match = make.new()
            make.put(match, 0, span[0])
            make.put(match, 1, span[1])
            make.put(match, 2, text[a:b])
            make.put(match, 3, fields[0])
            make.put(match, 4, fields[1])
            make.put(match, 5, mention.get(m, _TARGET))
            make.put(match, 6, fields[2])
            make.put(match, 7, fields[3])
            make.put(match, 8, fields[4])
            make.put(match, 9, voice)
            make.put(match, 10, mention.get(m, _RULE))
            make.put(match, 11, speaker)
            make.put(match, 12, fields[5])
            out.append(match)
        return out


cdef class ActorLinker:
    """``linker(mentions)`` sets each mention's nearest actor before and after it in its sentence
    and voice, as its twin ``framing.attach._link_actors`` does, reading and writing the slots.

    Parameters
    ----------
    mention : type
        ``framing.attach.Mention``; its slots are :data:`MENTION_SLOTS`.
    fallback : callable
        The twin, called instead for a list holding anything but ``mention`` instances.
    """

    cdef SlotMaker slots
    cdef readonly object fallback
    cdef object entry_type  # the class of the first entry read, when its party is an object slot
    cdef Py_ssize_t party_offset

    def __init__(self, mention, fallback):
        self.slots = SlotMaker(mention, MENTION_SLOTS)
        self.fallback = fallback
        self.entry_type = None

    def __reduce__(self):
        raise TypeError("an ActorLinker is made again where it is used, not pickled")

    cdef bint _names_party(self, entry) except -1:
        """``bool(entry.party)``, read from the slot when ``entry`` is of the class seen first (a
        mention of every kind is read: most are not actors)."""
        cdef PyObject *party
        cdef PyMemberDescrObject *descriptor
        if type(entry) is self.entry_type:
            party = (<PyObject **> ((<char *> <PyObject *> entry) + self.party_offset))[0]
            if party != NULL:
                return bool(<object> party)
        elif self.entry_type is None:
            member = type(entry).__dict__.get("party")
            if type(member) is <object> &PyMemberDescr_Type:
                descriptor = <PyMemberDescrObject *> member
                if descriptor.d_member.type == T_OBJECT_EX:
                    self.party_offset = descriptor.d_member.offset
                    self.entry_type = type(entry)
        return bool(entry.party)

    def __call__(self, list mentions):
        cdef Py_ssize_t n = len(mentions), k
        cdef SlotMaker slots = self.slots
        cdef char *actor
        cdef char *same
        for m in mentions:
            if type(m) is not <object> slots.cls:  # the slots of another class are elsewhere
                return self.fallback(mentions)
        if n < 2:
            return None
        actor = <char *> PyMem_Malloc(2 * n)
        if not actor:
            raise MemoryError()
        # Whether each mention shares the scope of the one before: both passes need it, and the
        # mentions of one sentence and voice mostly share one scope tuple (Assembler.mentions).
        same = actor + n
        try:
            for k in range(n):
                actor[k] = self._names_party(slots.get(mentions[k], _ENTRY))
                if k:
                    before, scope = slots.get(mentions[k - 1], _SCOPE), slots.get(mentions[k], _SCOPE)
                    same[k] = before is scope or before == scope
            prev = None
            for k in range(1, n):
                if same[k]:
                    if actor[k - 1]:
                        prev = mentions[k - 1]
                else:
                    prev = None
                slots.replace(mentions[k], _PREV_ACTOR, prev)
            nxt = None
            for k in range(n - 2, -1, -1):
                if same[k + 1]:
                    if actor[k + 1]:
                        nxt = mentions[k + 1]
                else:
                    nxt = None
                slots.replace(mentions[k], _NEXT_ACTOR, nxt)
        finally:
            PyMem_Free(actor)
        return None


cdef class EvidenceSums:
    """``sums(weighted)``: the evidence of ``(matches, factor)`` pairs summed per party and side,
    in C (the twin: :class:`framing.scorer.PythonEvidenceSums`, which says what each sum is).

    The sums are the twin's, addition for addition, so every float is the same. Anything the C
    loop does not read as the scorer makes it (a weight that is not a float, a party or polarity
    it does not know, matches that are not a list or tuple) goes to ``fallback`` instead, which
    gives the Python result or error.

    Parameters
    ----------
    parties, sides, counts, weak_weight
        As :class:`framing.scorer.PythonEvidenceSums`.
    fallback : PythonEvidenceSums
        The twin.
    match : type
        ``framing.results.Match``, whose slots (:data:`MATCH_SLOTS`) are read directly; the
        attributes of any other object are looked up.
    """

    cdef SlotMaker match
    cdef tuple parties
    cdef tuple sides
    cdef dict index
    cdef Py_ssize_t n_parties
    cdef Py_ssize_t n_sides
    cdef Py_ssize_t *route_start  # per party and polarity (favorable 0, unfavorable 1)
    cdef Py_ssize_t *route_len  # -1: not in counts, or a side not in sides (the twin raises)
    cdef Py_ssize_t *route_sides
    cdef double weak_weight
    cdef bint exact  # weak_weight compares in C as in Python
    cdef readonly object fallback

    def __init__(self, parties, sides, dict counts, weak_weight, fallback, match):
        cdef Py_ssize_t k, p, j, total = 0
        self.match = SlotMaker(match, MATCH_SLOTS)
        self.parties = tuple(parties)
        self.sides = tuple(sides)
        self.n_parties = len(self.parties)
        self.n_sides = len(self.sides)
        self.index = {party: k for k, party in enumerate(self.parties)}
        side_index = {side: k for k, side in enumerate(self.sides)}
        self.fallback = fallback
        self.exact = type(weak_weight) is float or (type(weak_weight) is int and abs(weak_weight) < 2 ** 53)
        self.weak_weight = weak_weight if self.exact else 0.0
        routes = []
        for k in range(self.n_parties):
            for polarity in ("favorable", "unfavorable"):
                route = counts.get((self.parties[k], polarity))
                if route is None or not all([side in side_index for side in route]):
                    routes.append(None)
                else:
                    routes.append([side_index[side] for side in route])
                    total += len(route)
        PyMem_Free(self.route_start)
        PyMem_Free(self.route_len)
        PyMem_Free(self.route_sides)
        self.route_start = <Py_ssize_t *> PyMem_Malloc(max(2 * self.n_parties, 1) * sizeof(Py_ssize_t))
        self.route_len = <Py_ssize_t *> PyMem_Malloc(max(2 * self.n_parties, 1) * sizeof(Py_ssize_t))
        self.route_sides = <Py_ssize_t *> PyMem_Malloc(max(total, 1) * sizeof(Py_ssize_t))
        if not (self.route_start and self.route_len and self.route_sides):
            raise MemoryError()
        total = 0
        for p in range(2 * self.n_parties):
            route = routes[p]
            self.route_start[p] = total
            self.route_len[p] = -1 if route is None else len(route)
            if route is not None:
                for j in range(len(route)):
                    self.route_sides[total] = route[j]
                    total += 1

    def __dealloc__(self):
        PyMem_Free(self.route_start)
        PyMem_Free(self.route_len)
        PyMem_Free(self.route_sides)

    def __reduce__(self):
        raise TypeError("an EvidenceSums is made again where it is used, not pickled")

    def __call__(self, tuple weighted):
        """:meth:`framing.scorer.PythonEvidenceSums.__call__`."""
        cdef Py_ssize_t np = self.n_parties, ns = self.n_sides, k, p, j, r, nonzero
        cdef double *sums  # favorable, unfavorable, weak favorable, weak unfavorable per party; signal, weak per side
        cdef Py_ssize_t *mentions
        cdef double f, w, weight, share
        cdef double *into
        cdef SlotMaker slots = self.match
        cdef object match = <object> slots.cls
        if not self.exact:
            return self.fallback(weighted)
        sums = <double *> PyMem_Malloc(max(4 * np + 2 * ns, 1) * sizeof(double))
        mentions = <Py_ssize_t *> PyMem_Malloc(max(np, 1) * sizeof(Py_ssize_t))
        if not (sums and mentions):
            PyMem_Free(sums)
            PyMem_Free(mentions)
            raise MemoryError()
        try:
            for k in range(4 * np + 2 * ns):
                sums[k] = 0.0
            for k in range(np):
                mentions[k] = 0
            for pair in weighted:
                if type(pair) is not tuple or len(<tuple> pair) != 2:
                    return self.fallback(weighted)
                matches, factor = pair
                if type(factor) is not float or (type(matches) is not list and type(matches) is not tuple):
                    return self.fallback(weighted)
                f = factor
                for m in matches:
                    direct = type(m) is match
                    target = slots.get(m, _MATCH_TARGET) if direct else m.target
                    if target is None:
                        continue
                    found = self.index.get(target) if type(target) is str else None
                    if found is None:
                        return self.fallback(weighted)
                    k = found
                    mentions[k] += 1
                    polarity = slots.get(m, _MATCH_POLARITY) if direct else m.polarity
                    if polarity is None:
                        continue
                    raw = slots.get(m, _MATCH_WEIGHT) if direct else m.weight
                    if type(raw) is not float or type(polarity) is not str:
                        return self.fallback(weighted)
                    if polarity == "favorable":
                        p = 0
                    elif polarity == "unfavorable":
                        p = 1
                    else:
                        return self.fallback(weighted)
                    r = self.route_len[2 * k + p]
                    if r < 0:
                        return self.fallback(weighted)
                    w = raw
                    weight = w * f
                    sums[p * np + k] += weight
                    into = sums + 4 * np  # the signal
                    if w <= self.weak_weight:
                        into = sums + 4 * np + ns  # the weak signal
                        sums[(2 + p) * np + k] += weight
                    if r:
                        share = weight / r
                        for j in range(r):
                            into[self.route_sides[self.route_start[2 * k + p] + j]] += share
            # Weak names count when they all point one way; both camps' weak names cancel out.
            nonzero = 0
            for k in range(ns):
                if sums[4 * np + ns + k] != 0.0:
                    nonzero += 1
            wire = nonzero > 1
            if not wire:
                for k in range(ns):
                    sums[4 * np + k] += sums[4 * np + ns + k]
            return (self._by_party(sums, 0), self._by_party(sums, np),
                    {self.parties[k]: mentions[k] for k in range(np)},
                    {self.sides[k]: sums[4 * np + k] for k in range(ns)}, wire,
                    self._by_party(sums, 2 * np), self._by_party(sums, 3 * np))
        finally:
            PyMem_Free(sums)
            PyMem_Free(mentions)

    cdef dict _by_party(self, double *sums, Py_ssize_t at):
        return {self.parties[k]: sums[at + k] for k in range(self.n_parties)}


def anchored_spans(tuple norm, tuple orig, Py_ssize_t size, Py_ssize_t length, pairs, orig_index):
    """:func:`framing.normalize.python_anchored_spans` (its twin, which says what it gives), in C:
    the original span of each normalised ``(start, end)`` of an article's hits."""
    cdef Py_ssize_t n = len(norm), last = n - 1, k, at, lo = 0, hi = 0, shift = 0, start, end, a, b
    cdef Py_ssize_t *anchors = NULL
    cdef Py_ssize_t *origins = NULL
    if len(orig) != n or not n:
        raise ValueError("norm and orig must be anchors of the same non-zero length")
    out = []
    try:
        anchors = _positions(list(norm), -1)
        origins = _positions(list(orig), -1)
        for pair in pairs:
            start, end = pair[0], pair[1]
            if lo <= start < hi:
                a = start + shift
            elif start >= size:
                a = length
            else:
                k = _after(anchors, n, start) - 1
                at = k + n if k < 0 else k  # as Python indexes a tuple
                lo, hi, shift = anchors[at], anchors[k + 1] if k < last else size, origins[at] - anchors[at]
                a = start + shift
            if end <= start:
                out.append((a, a))
                continue
            if lo <= end < hi:
                b = end + shift
            elif end >= size:
                b = length
            else:
                k = _after(anchors, n, end) - 1
                at = k + n if k < 0 else k
                lo, hi, shift = anchors[at], anchors[k + 1] if k < last else size, origins[at] - anchors[at]
                b = end + shift
            out.append((a, b) if b > a else (a, orig_index(end - 1) + 1))
    finally:
        PyMem_Free(anchors)
        PyMem_Free(origins)
    return out


ctypedef fused _char:  # as text_char (below): a text's own array, one, two or four bytes a character
    Py_UCS1
    Py_UCS2
    Py_UCS4

cdef enum:
    _CHANGE = 0x40000000  # a Normalizer's table entry: the character is replaced by an expansion
    _EXPANSION = 0x3FFFFFFF  # the index of that expansion


cdef inline unsigned int _mapped(const unsigned int *table, Py_UCS4 ch) noexcept:
    """A :class:`Normalizer`'s entry for ``ch`` (a character beyond its table stays itself)."""
    return table[ch] if ch <= 0xFFFF else ch


cdef str _string(const _char *chars, Py_ssize_t n, Py_UCS4 widest):
    """``chars[:n]`` as a str (``widest`` is the largest of them: a str is as narrow as it can be)."""
    cdef str out = PyUnicode_New(n, widest)
    cdef unsigned int kind = PyUnicode_KIND(out)
    cdef void *data = PyUnicode_DATA(out)
    cdef Py_ssize_t i
    if kind == sizeof(_char):
        memcpy(data, chars, n * sizeof(_char))
    else:
        for i in range(n):
            PyUnicode_WRITE(kind, data, i, chars[i])
    return out


cdef inline Py_ssize_t _anchored(const Py_ssize_t *points, Py_ssize_t count, Py_ssize_t size, Py_ssize_t length,
                                 Py_ssize_t pos) noexcept:
    """:meth:`Normalized.orig_index` of ``pos`` with ``count`` anchors (at least one) in ``points``,
    ``size`` characters normalised and ``length`` as given: a function, not a method, so that the
    C compiler inlines it."""
    cdef Py_ssize_t lo = 0, hi = count, mid
    if pos >= size:
        return length
    while lo < hi:  # bisect_right over the normalised positions
        mid = (lo + hi) >> 1
        if pos < points[2 * mid]:
            hi = mid
        else:
            lo = mid + 1
    if lo == 0:
        lo = count  # a negative position: Python's norm[-1], the last anchor
    return points[2 * lo - 1] + pos - points[2 * lo - 2]


cdef inline void _anchored_span(const Py_ssize_t *points, Py_ssize_t count, Py_ssize_t size, Py_ssize_t length,
                                Py_ssize_t start, Py_ssize_t end, Py_ssize_t *a, Py_ssize_t *b) noexcept:
    """:meth:`Normalized.span` of ``(start, end)`` into ``a`` and ``b`` (anchors as :func:`_anchored`)."""
    a[0] = _anchored(points, count, size, length, start)
    if end <= start:
        b[0] = a[0]
        return
    b[0] = _anchored(points, count, size, length, end)
    if b[0] <= a[0]:  # a span ending inside an expanded ligature covers it
        b[0] = _anchored(points, count, size, length, end - 1) + 1


cdef class Normalized:
    """:class:`framing.normalize.PythonNormalized` (its twin, which says what it is), with the
    anchors kept as a C array: :meth:`span`, :meth:`spans` and :meth:`quoted` read them without a
    Python integer per anchor. Made by a :class:`Normalizer`, or like its twin.

    Parameters
    ----------
    original : str
    text : str
    anchors : tuple of (tuple of int, tuple of int) or None
    """

    cdef readonly str original
    cdef readonly str text
    cdef Py_ssize_t size, length  # of text and original
    cdef Py_ssize_t *points  # the anchors: normalised, original, normalised, original ... (NULL: none)
    cdef Py_ssize_t count  # pairs in anchors
    cdef tuple _anchors  # made when asked for

    def __init__(self, str original, str text, anchors=None):
        cdef Py_ssize_t k
        self.original, self.text = original, text
        self.size, self.length = len(text), len(original)
        if anchors is None:
            return
        norm, orig = anchors
        if len(norm) != len(orig) or not len(norm):
            raise ValueError("anchors must be two sequences of the same non-zero length")
        self.points = <Py_ssize_t *> PyMem_Malloc(len(norm) * 2 * sizeof(Py_ssize_t))
        if not self.points:
            raise MemoryError()
        for k in range(len(norm)):
            self.points[2 * k], self.points[2 * k + 1] = norm[k], orig[k]
        self.count = len(norm)
        self._anchors = (tuple(norm), tuple(orig))

    def __dealloc__(self):
        PyMem_Free(self.points)

    @property
    def anchors(self):
        """``(norm_positions, orig_positions)`` as tuples, or ``None``: see the twin."""
        if self.count and self._anchors is None:
            self._anchors = (tuple([self.points[2 * k] for k in range(self.count)]),
                             tuple([self.points[2 * k + 1] for k in range(self.count)]))
        return self._anchors

    def __reduce__(self):
        return Normalized, (self.original, self.text, self.anchors)

    def __repr__(self):
        return f"Normalized(original={self.original!r}, text={self.text!r}, anchors={self.anchors!r})"

    def __eq__(self, other):
        if type(other) is not Normalized:
            return NotImplemented
        return (self.original, self.text, self.anchors) == (other.original, other.text, other.anchors)

    def __hash__(self):
        return hash((self.original, self.text, self.anchors))

    def orig_index(self, Py_ssize_t pos):
        """:meth:`framing.normalize.PythonNormalized.orig_index`."""
        if pos >= self.size:
            return self.length
        return _anchored(self.points, self.count, self.size, self.length, pos) if self.count else pos

    def span(self, Py_ssize_t start, Py_ssize_t end):
        """:meth:`framing.normalize.PythonNormalized.span`."""
        cdef Py_ssize_t a, b
        if not self.count:
            return start, end
        _anchored_span(self.points, self.count, self.size, self.length, start, end, &a, &b)
        return a, b

    def spans(self, pairs):
        """:meth:`framing.normalize.PythonNormalized.spans`."""
        cdef Py_ssize_t a, b, start, end
        if not self.count:
            return [(p[0], p[1]) for p in pairs]
        out = []
        for pair in pairs:
            start_at, end_at = pair[0], pair[1]
            start, end = start_at, end_at
            _anchored_span(self.points, self.count, self.size, self.length, start, end, &a, &b)
            # Before the first change, an offset is its own original: the pair's integer is
            # given back rather than a new one made (an article's hits: one in four), when it is
            # one (an int, not a bool: the twin computes a new int).
            out.append((start_at if a == start and type(start_at) is int else a,
                        end_at if b == end and type(end_at) is int else b))
        return out

    def quoted(self, quotes, speakers, make):
        """:meth:`framing.normalize.PythonNormalized.quoted`."""
        cdef Py_ssize_t a, b
        out = []
        for quote, speaker in zip(quotes, speakers):
            if self.count:
                _anchored_span(self.points, self.count, self.size, self.length, quote[0], quote[1], &a, &b)
            else:
                a, b = quote[0], quote[1]
            out.append(make(a, b, self.original[a:b], speaker))
        return tuple(out)


cdef class Normalizer:
    """:func:`framing.normalize.python_normalize` (its twin, which says what it does), in C: one
    pass over the text's own array maps the letters, deletes and expands what is changed, folds
    runs of spaces and records the anchors back to the original, into a :class:`Normalized`.

    The rules are not written here: ``letters`` and ``changes`` are built from the tables of
    :mod:`framing.normalize` (``normalize._compiled_tables``). Only the folding of runs of spaces
    (two or more U+0020 after the letter map, into one, anchored) is the C code's own, as it is
    the twin's.

    Parameters
    ----------
    letters : dict of str to str
        Characters replaced one to one, without an anchor (hamzated alefs, teh marbuta, digits, tabs
        ...).
    changes : dict of str to str
        Characters replaced by a string, maybe empty, with anchors (diacritics, tatweel, presentation
        forms ...).

    Raises
    ------
    ValueError
        If a character is beyond the Basic Multilingual Plane, a space is among ``changes``, or a
        replacement does not fit the width of the character it replaces (a text's array keeps its
        width): the twin is used then.
    """

    cdef unsigned int *table  # per BMP character: what it becomes, or _CHANGE | expansion index
    cdef Py_UCS4 *expanded  # the expansions, one after the other
    cdef Py_ssize_t *expansion  # where expansion k starts in expanded; k + 1 where it ends
    cdef char *buffer  # the normalised text as it is written, in the width of the text's array
    cdef Py_ssize_t *anchors  # the anchors as they are found: normalised, original, normalised ...
    cdef Py_ssize_t capacity, anchor_capacity  # characters of buffer, pairs of anchors

    def __cinit__(self):
        self.table = <unsigned int *> PyMem_Malloc(0x10000 * sizeof(unsigned int))
        if not self.table:
            raise MemoryError()

    def __init__(self, dict letters, dict changes):
        cdef Py_ssize_t c, k, at = 0, total = sum([len(v) for v in changes.values()])
        for c in range(0x10000):
            self.table[c] = <unsigned int> c
        for source, target in letters.items():
            if len(source) != 1 or len(target) != 1:
                raise ValueError("letters map one character to one character")
            self._check(source, target)
            self.table[ord(source)] = ord(target)
        if " " in changes:
            raise ValueError("a space is folded with the spaces next to it, not changed")
        self.expanded = <Py_UCS4 *> PyMem_Malloc(max(total, 1) * sizeof(Py_UCS4))
        self.expansion = <Py_ssize_t *> PyMem_Malloc((len(changes) + 1) * sizeof(Py_ssize_t))
        if not self.expanded or not self.expansion:
            raise MemoryError()
        self.expansion[0] = 0
        for k, (source, target) in enumerate(changes.items()):
            if len(source) != 1 or not isinstance(target, str):
                raise ValueError("changes map one character to a string")
            self._check(source, target)
            for c in range(len(target)):
                self.expanded[at] = ord(target[c])
                at += 1
            self.expansion[k + 1] = at
            self.table[ord(source)] = _CHANGE | <unsigned int> k

    cdef _check(self, str source, str target):
        cdef Py_UCS4 widest = 0xFF if ord(source) <= 0xFF else 0xFFFF
        if ord(source) > 0xFFFF or any([ord(c) > widest for c in target]):
            raise ValueError(f"{source!r} and its replacement {target!r} must fit the width of {source!r}")

    def __dealloc__(self):
        PyMem_Free(self.table)
        PyMem_Free(self.expanded)
        PyMem_Free(self.expansion)
        PyMem_Free(self.buffer)
        PyMem_Free(self.anchors)

    def __reduce__(self):
        raise TypeError("a Normalizer is made again where it is used, not pickled")

    cdef int _reserve(self, Py_ssize_t chars, Py_ssize_t anchors) except -1:
        """Room for ``chars`` characters (four bytes each at most) and ``anchors`` pairs."""
        cdef void *grown
        if chars > self.capacity:
            grown = PyMem_Realloc(self.buffer, chars * 4)
            if not grown:
                raise MemoryError()
            self.buffer, self.capacity = <char *> grown, chars
        if anchors > self.anchor_capacity:
            grown = PyMem_Realloc(self.anchors, anchors * 2 * sizeof(Py_ssize_t))
            if not grown:
                raise MemoryError()
            self.anchors, self.anchor_capacity = <Py_ssize_t *> grown, anchors
        return 0

    def __call__(self, str text):
        """The :class:`Normalized` of ``text``."""
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
        cdef unsigned int kind = PyUnicode_KIND(text)
        self._reserve(max(n, 1), n + 1)
        if kind == PyUnicode_1BYTE_KIND:
            return self._normalize(text, <const Py_UCS1 *> PyUnicode_DATA(text), <Py_UCS1 *> self.buffer, n)
        if kind == PyUnicode_2BYTE_KIND:
            return self._normalize(text, <const Py_UCS2 *> PyUnicode_DATA(text), <Py_UCS2 *> self.buffer, n)
        return self._normalize(text, <const Py_UCS4 *> PyUnicode_DATA(text), <Py_UCS4 *> self.buffer, n)

    cdef Normalized _normalize(self, str text, const _char *data, _char *out, Py_ssize_t n):
        cdef Py_ssize_t i = 0, j, o = 0, k, first, last, count = 1
        cdef unsigned int entry, following
        cdef Py_UCS4 widest = 0, ch
        cdef Py_ssize_t *anchors = self.anchors
        cdef Py_ssize_t *points
        cdef const unsigned int *table = self.table
        cdef Normalized result
        cdef str normalised
        anchors[0] = anchors[1] = 0
        # Each character consumed adds one character and one anchor at most, but an expansion,
        # after which there is room again for the rest of the text at that rate. A space is
        # never a change (see __init__), so the two kinds of anchors never meet.
        while i < n:
            entry = _mapped(table, data[i])
            if not entry & _CHANGE:
                # One in six characters is a space, seldom two together: the next character is
                # read every time, so that one test (xor and or: no branch for either half),
                # almost never true, finds a run. A branch on each space was mispredicted as
                # often as spaces come, and took half the time of the pass.
                following = _mapped(table, data[i + 1]) if i + 1 < n else 0
                if not ((entry ^ 0x20) | (following ^ 0x20)):
                    j = i + 2
                    while j < n and _mapped(table, data[j]) == 0x20:
                        j += 1
                    anchors[2 * count], anchors[2 * count + 1] = o, i
                    out[o] = 0x20
                    o += 1
                    anchors[2 * count + 2], anchors[2 * count + 3] = o, j
                    count += 2
                    widest = max(widest, 0x20)
                    i = j
                    continue
                out[o] = <_char> entry
                o += 1
                if entry > widest:
                    widest = entry
                i += 1
                continue
            first = self.expansion[entry & _EXPANSION]
            last = self.expansion[(entry & _EXPANSION) + 1]
            if last > first:  # rare: a presentation form; room for it and the rest of the text
                self._reserve(o + last - first + n - i, count + last - first + n - i + 1)
                out = <_char *> self.buffer
                anchors = self.anchors
                for k in range(first, last):
                    ch = self.expanded[k]
                    anchors[2 * count], anchors[2 * count + 1] = o, i
                    count += 1
                    out[o] = <_char> ch
                    o += 1
                    if ch > widest:
                        widest = ch
            anchors[2 * count], anchors[2 * count + 1] = o, i + 1
            count += 1
            i += 1
        # Everything is copied out of the buffers before the Normalized is made: making an object
        # the collector tracks may run it, and a finalizer (or, through it, another thread) may
        # normalise another text into the same buffers. A str and a C array are not tracked.
        normalised = _string(out, o, widest)
        points = NULL
        if count > 1:
            points = <Py_ssize_t *> PyMem_Malloc(count * 2 * sizeof(Py_ssize_t))
            if not points:
                raise MemoryError()
            memcpy(points, anchors, count * 2 * sizeof(Py_ssize_t))
        if self.capacity > 1 << 20:  # a very long text: its buffers are not kept for the next one
            PyMem_Free(self.buffer)
            PyMem_Free(self.anchors)
            self.buffer, self.anchors, self.capacity, self.anchor_capacity = NULL, NULL, 0, 0
        try:
            result = Normalized.__new__(Normalized)
        except BaseException:
            PyMem_Free(points)
            raise
        result.original, result.text, result.size, result.length = text, normalised, o, n
        result.points, result.count = points, (count if count > 1 else 0)
        return result


cdef extern from "Python.h":
    # str.find of one character (direction 1) or str.rfind (-1): a vectorised scan of the array.
    Py_ssize_t PyUnicode_FindChar(object, Py_UCS4, Py_ssize_t, Py_ssize_t, int) except -2
    # str.find of a string: CPython's fast search.
    Py_ssize_t PyUnicode_Find(object, object, Py_ssize_t, Py_ssize_t, int) except -2


cdef void _sort_pairs(Py_ssize_t *pairs, Py_ssize_t n, Py_ssize_t *spare) noexcept:
    """Sort the ``n`` pairs ``(pairs[2k], pairs[2k + 1])`` as tuples sort (``spare`` holds as many):
    a merge sort, as the spans of an article come in a few sorted runs, one per rule."""
    cdef Py_ssize_t width = 1, lo, mid, hi, i, j, k
    cdef Py_ssize_t *src = pairs
    cdef Py_ssize_t *dst = spare
    cdef Py_ssize_t *swap
    while width < n:
        lo = 0
        while lo < n:
            mid, hi = min(lo + width, n), min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if src[2 * j] < src[2 * i] or (src[2 * j] == src[2 * i] and src[2 * j + 1] < src[2 * i + 1]):
                    dst[2 * k], dst[2 * k + 1] = src[2 * j], src[2 * j + 1]
                    j += 1
                else:
                    dst[2 * k], dst[2 * k + 1] = src[2 * i], src[2 * i + 1]
                    i += 1
                k += 1
            while i < mid:
                dst[2 * k], dst[2 * k + 1] = src[2 * i], src[2 * i + 1]
                i += 1
                k += 1
            while j < hi:
                dst[2 * k], dst[2 * k + 1] = src[2 * j], src[2 * j + 1]
                j += 1
                k += 1
            lo = hi
        src, dst = dst, src
        width *= 2
    if src != pairs:
        memcpy(pairs, src, 2 * n * sizeof(Py_ssize_t))


cdef Py_ssize_t _union(list groups, Py_ssize_t **union) except -1:
    """The union of the spans of each list of ``groups`` (tuples that start with ``start, end``), as
    ``framing.voice.python_covered`` makes it: how many spans it has, in ``union[0]`` (start, end,
    start ...; the caller frees it)."""
    cdef Py_ssize_t n = 0, k = 0, m = 0, i
    cdef list spans
    cdef Py_ssize_t *pairs
    for spans in groups:
        n += len(spans)
    pairs = <Py_ssize_t *> PyMem_Malloc(max(4 * n, 1) * sizeof(Py_ssize_t))
    if not pairs:
        raise MemoryError()
    try:
        for spans in groups:
            for span in spans:
                pairs[2 * k], pairs[2 * k + 1] = span[0], span[1]
                k += 1
    except BaseException:
        PyMem_Free(pairs)
        raise
    _sort_pairs(pairs, n, pairs + 2 * n)
    # As the twin: a span that starts before the last one ends (or where it ends) extends it.
    # The union is made in place (m spans so far).
    for i in range(n):
        if m and pairs[2 * i] <= pairs[2 * m - 1]:
            if pairs[2 * i + 1] > pairs[2 * m - 1]:
                pairs[2 * m - 1] = pairs[2 * i + 1]
        else:
            pairs[2 * m], pairs[2 * m + 1] = pairs[2 * i], pairs[2 * i + 1]
            m += 1
    union[0] = pairs
    return m


cdef tuple _covered_lists(list groups):
    cdef Py_ssize_t *pairs = NULL
    cdef Py_ssize_t m = _union(groups, &pairs), k
    try:
        return [pairs[2 * k] for k in range(m)], [pairs[2 * k + 1] for k in range(m)]
    finally:
        PyMem_Free(pairs)


def covered(spans):
    """``framing.voice.python_covered`` (its twin, which says what it gives), in C: the starts and
    ends of the union of ``spans`` (tuples that start with ``start, end``), sorted in C."""
    return _covered_lists([spans if type(spans) is list else list(spans)])


def covered_of(dict found):
    """``framing.voice.python_covered_of`` (its twin): :func:`covered` of every span of ``found``
    (a :func:`framing.voice.speech_spans`), without a list of them all."""
    return _covered_lists([spans if type(spans) is list else list(spans) for spans in found.values()])


cdef class Paraphrase:
    """:class:`framing.voice.PythonParaphrase` (its twin, which says what it tells), in C: whether
    an offset lies in reported speech outside quotation marks, the union of each kind of spans
    made and kept in C.

    Parameters
    ----------
    found : dict of str to list
        A :func:`framing.voice.speech_spans`: its ``reported`` and ``marks`` are read.
    """

    cdef Py_ssize_t *reported  # the union of the reported spans: start, end, start ...
    cdef Py_ssize_t *marks
    cdef Py_ssize_t n_reported, n_marks

    def __init__(self, dict found):
        reported, marks = found.get("reported", []), found.get("marks", [])
        self.n_reported = _union([reported if type(reported) is list else list(reported)], &self.reported)
        self.n_marks = _union([marks if type(marks) is list else list(marks)], &self.marks)

    def __dealloc__(self):
        PyMem_Free(self.reported)
        PyMem_Free(self.marks)

    def __reduce__(self):
        raise TypeError("a Paraphrase is made again where it is used, not pickled")

    def __call__(self, Py_ssize_t pos):
        return _inside_pairs(self.reported, self.n_reported, pos) and not _inside_pairs(self.marks, self.n_marks, pos)


cdef inline bint _inside_pairs(const Py_ssize_t *pairs, Py_ssize_t n, Py_ssize_t pos) noexcept:
    """``framing.voice._inside`` of a union made by :func:`_union`."""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:  # bisect_right over the starts
        mid = (lo + hi) >> 1
        if pos < pairs[2 * mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo > 0 and pos < pairs[2 * lo - 1]


cdef inline bint _inside_spans(const Py_ssize_t *starts, const Py_ssize_t *ends, Py_ssize_t n, Py_ssize_t pos) noexcept:
    """``framing.voice._inside``: whether ``pos`` is in one of the covered spans."""
    cdef Py_ssize_t k = _after(<Py_ssize_t *> starts, n, pos) - 1
    return k >= 0 and pos < ends[k]


def merge_spans(found):
    """``framing.voice.python_merge_spans`` (its twin, which says what it gives), in C after one
    sort: the union of the spans of a :func:`framing.voice.speech_spans`."""
    cdef list items = [span for spans in found.values() for span in spans]
    cdef list merged = []
    cdef Py_ssize_t a = 0, b = 0, v = 0, start, end, verb
    cdef bint open_ = False, changed = False
    cdef object last = None
    items.sort()
    for span in items:
        start, end, verb = span[0], span[1], span[2]
        if open_ and start < b:
            if end > b:
                b, changed = end, True
            if v < 0:
                v, changed = verb, True  # as the twin: v if v >= 0 else the new span's
        else:
            if open_:
                merged.append((a, b, v) if changed else last)
            a, b, v, last, open_, changed = start, end, verb, span, True, False
    if open_:
        merged.append((a, b, v) if changed else last)
    return merged


cdef class Quotations:
    """:class:`framing.voice.PythonQuotations` (its twin, which says what it gives), in C: rule 1's
    quotation marks found in one pass over the text's array, with the verbs that introduce them.

    Parameters
    ----------
    openers : dict of str to str
        Each opening mark and the marks that close it (``framing.voice.OPENERS``).
    chars : str
        The characters the scan stops at (``framing.voice.QUOTE_CHARS``): the marks, and the line
        break that ends a quotation left open.
    """

    cdef CharPositions chars
    cdef dict openers

    def __init__(self, dict openers, str chars):
        if not all(isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in openers.items()):
            raise ValueError("openers map a character to the characters that close it")
        self.chars, self.openers = CharPositions(chars), dict(openers)

    def __reduce__(self):
        raise TypeError("a Quotations is made again where it is used, not pickled")

    def spans(self, str text, verbs, ends):
        """:meth:`framing.voice.PythonQuotations.spans`."""
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), nv = len(verbs), ne = len(ends), i, start = 0, k, e, verb
        cdef unsigned int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef Py_UCS4 ch
        cdef str closer = None
        cdef list found = []
        cdef Py_ssize_t *verb_at = NULL
        cdef Py_ssize_t *end_at = NULL
        # The marks are few: CharPositions finds them (a bit table over the text's own array),
        # and only they are read again here.
        for i in self.chars.positions(text):
            ch = PyUnicode_READ(kind, data, i)
            if closer is None:
                if ch in self.openers:
                    closer, start = self.openers[ch], i + 1
            elif ch in closer or ch == u"\n":
                found.append((start, i))
                closer = None
        if closer is not None:
            found.append((start, n))
        if not found:
            return found
        out = []
        try:
            verb_at = _positions(verbs if type(verbs) is list else list(verbs), -1)
            end_at = _positions(ends if type(ends) is list else list(ends), -1)
            for span in found:
                start = span[0]
                # The reporting verb in the same sentence before the quotation, as _introducing_verb.
                k = _after(verb_at, nv, start) - 1
                verb = -1
                if k >= 0:
                    verb = verb_at[k]
                    e = _after(end_at, ne, verb)
                    if e < ne and end_at[e] < start - 1:
                        verb = -1
                out.append((start, span[1], verb))
        finally:
            PyMem_Free(verb_at)
            PyMem_Free(end_at)
        return out


def headlines(str text, actors, verbs, covered):
    """``framing.voice.python_headlines`` (its twin, which says what it gives), in C: rule 6, a line
    that opens with at most four words naming an actor and a colon. The twin's pattern,
    ``[ \\t]*+((?:[^\\W\\d_]++[ \\t]++){0,3}[^\\W\\d_]++)[ \\t]*+:``, takes each run whole, so it
    matches as one pass reads: words of letters, spaces or tabs between them, a colon after at
    most the fourth."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), na = len(actors), nv = len(verbs), nc
    cdef Py_ssize_t colon, line_end, p, q, words, first, last, k, v
    cdef unsigned int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_ssize_t *actor_at = NULL
    cdef Py_ssize_t *verb_at = NULL
    cdef Py_ssize_t *cover_start = NULL
    cdef Py_ssize_t *cover_end = NULL
    cdef Py_UCS4 ch
    starts, stops = covered
    nc = len(starts)
    if len(stops) != nc:
        raise ValueError("covered must hold as many starts as ends")
    out = []
    colon = PyUnicode_FindChar(text, u":", 0, n, 1)
    if colon < 0:
        return out
    try:
        actor_at = _positions(actors if type(actors) is list else list(actors), -1)
        verb_at = _positions(verbs if type(verbs) is list else list(verbs), -1)
        cover_start = _positions(list(starts), -1)
        cover_end = _positions(list(stops), -1)
        while colon >= 0:
            line_end = PyUnicode_FindChar(text, u"\n", colon, n, 1)
            p = PyUnicode_FindChar(text, u"\n", 0, colon, -1) + 1  # the start of the line
            while p < n and PyUnicode_READ(kind, data, p) in (u" ", u"\t"):
                p += 1
            first, words, q = p, 0, -1  # q: where the colon's match ends, once found
            while True:
                last = p
                while last < n and _word_char(PyUnicode_READ(kind, data, last)):
                    last += 1
                if last == p:
                    break  # a word must come here
                words += 1
                p = last
                while p < n and PyUnicode_READ(kind, data, p) in (u" ", u"\t"):
                    p += 1
                if p < n and PyUnicode_READ(kind, data, p) == u":":
                    q = p + 1
                    break
                if p == last or words == 4:
                    break
            if q >= 0:
                k = _after(actor_at, na, first - 1)
                v = _after(verb_at, nv, first - 1)
                if (k < na and actor_at[k] < last and not (v < nv and verb_at[v] < last)
                        and not _inside_spans(cover_start, cover_end, nc, q)):
                    out.append((q, n if line_end < 0 else line_end, first))
            colon = -1 if line_end < 0 else PyUnicode_FindChar(text, u":", line_end, n, 1)
    finally:
        PyMem_Free(actor_at)
        PyMem_Free(verb_at)
        PyMem_Free(cover_start)
        PyMem_Free(cover_end)
    return out



cdef class NamingRule:
    """``framing.voice.python_described`` (its twin, which says what it gives), in C: rule 5, the
    name introduced by «بـ» after a verb of naming, up to the next punctuation mark. The twin's
    pattern, ``(?<![^\\W\\d_])ب(?!عد|ين|ينما|ل)[^\\W\\d_]{2,}``, is read as it matches: a «ب» that
    starts a word, not followed by one of ``not_names``, then two letters or more.

    Parameters
    ----------
    preposition : str
        The letter that introduces the name («ب»).
    not_names : iterable of str
        What may not follow it («عد، ين ...»: «بعد، بين» are no name).
    reach : int
        How far after the verb the preposition may come (``voice.DESCRIBE_REACH``).
    """

    cdef Py_UCS4 preposition
    cdef tuple not_names
    cdef Py_ssize_t reach

    def __init__(self, str preposition, not_names, Py_ssize_t reach):
        if len(preposition) != 1:
            raise ValueError("the preposition is one letter")
        self.preposition, self.not_names, self.reach = ord(preposition), tuple(not_names), reach
        if not all(isinstance(w, str) and w for w in self.not_names):
            raise ValueError("what may not follow the preposition must be non-empty strings")

    def __reduce__(self):
        raise TypeError("a NamingRule is made again where it is used, not pickled")

    def spans(self, str text, verbs, ends, tuple covered):
        """``framing.voice.python_described(text, verbs, ends, covered)``."""
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), nv, ne, nc, k, e, verb, limit, p, q, stop
        cdef unsigned int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef Py_ssize_t *verb_at = NULL
        cdef Py_ssize_t *end_at = NULL
        cdef Py_ssize_t *cover_start = NULL
        cdef Py_ssize_t *cover_end = NULL
        starts, stops = covered
        verbs = verbs if type(verbs) is list else list(verbs)
        nv, ne, nc = len(verbs), len(ends), len(starts)
        if len(stops) != nc:
            raise ValueError("covered must hold as many starts as ends")
        out = []
        try:
            verb_at = _positions(verbs, -1)
            end_at = _positions(ends if type(ends) is list else list(ends), -1)
            cover_start = _positions(list(starts), -1)
            cover_end = _positions(list(stops), -1)
            for k in range(nv):
                verb = verb_at[k]
                if _inside_spans(cover_start, cover_end, nc, verb):
                    continue
                e = _after(end_at, ne, verb)
                limit = min(end_at[e] if e < ne else n, verb + self.reach, n)
                for p in range(max(verb + 3, 0), limit):
                    q = self._name_end(text, kind, data, p, limit)
                    if q >= 0:
                        stop = q  # the clause ends at the first character neither a word's nor a space
                        while stop < n and (_sre_word(PyUnicode_READ(kind, data, stop))
                                            or Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, stop))):
                            stop += 1
                        out.append((p, stop, verb))
                        break
        finally:
            PyMem_Free(verb_at)
            PyMem_Free(end_at)
            PyMem_Free(cover_start)
            PyMem_Free(cover_end)
        return out

    cdef Py_ssize_t _name_end(self, str text, unsigned int kind, void *data, Py_ssize_t p,
                              Py_ssize_t limit) except -2:
        """Where the name the pattern matches at ``p`` (the text cut at ``limit``) ends, or -1."""
        cdef Py_ssize_t q, m, j
        cdef str word
        if PyUnicode_READ(kind, data, p) != self.preposition:
            return -1
        if p > 0 and _word_char(PyUnicode_READ(kind, data, p - 1)):
            return -1  # the look-behind sees before the search's start
        for word in self.not_names:
            m = PyUnicode_GET_LENGTH(word)
            if p + 1 + m <= limit:
                for j in range(m):
                    if PyUnicode_READ(kind, data, p + 1 + j) != PyUnicode_READ(PyUnicode_KIND(word), PyUnicode_DATA(word), j):
                        break
                else:
                    return -1
        q = p + 1
        while q < limit and _word_char(PyUnicode_READ(kind, data, q)):
            q += 1
        return q if q - p - 1 >= 2 else -1


cdef inline bint _sre_word(Py_UCS4 ch) noexcept:
    """``\\w`` as ``re`` reads it in a str pattern: alphanumeric, or «_»."""
    return Py_UNICODE_ISALNUM(ch) or ch == u"_"


cdef inline bint _word_char(Py_UCS4 ch) noexcept:
    """Whether ``ch`` is a letter as the voice rules' patterns see one (``[^\\W\\d_]``): alphanumeric,
    no decimal digit."""
    return _is_letter(ch) or (Py_UNICODE_ISALNUM(ch) and not Py_UNICODE_ISDECIMAL(ch))


cdef class ReportedSpeech:
    """:class:`framing.voice.PythonReportedSpeech` (its twin, which says what it gives), in C:
    rule 2's search for «أن» and for the relative clause read the text's characters in place.

    Parameters
    ----------
    conjunctions : iterable of str
    relatives : iterable of str
    correspondent : re.Pattern
    stems : iterable of str
    """

    cdef frozenset conjunctions
    cdef Py_ssize_t longest  # of the conjunctions: a longer word before «أن» is none of them
    cdef tuple relatives
    cdef object correspondent
    cdef tuple stems

    def __init__(self, conjunctions, relatives, correspondent, stems):
        self.conjunctions = frozenset(conjunctions)
        self.longest = max([len(w) for w in self.conjunctions], default=0)
        self.relatives = tuple(relatives)
        self.correspondent = correspondent
        self.stems = tuple(stems)
        if not all(isinstance(w, str) and w for w in self.relatives + self.stems):
            raise ValueError("relative pronouns and stems must be non-empty strings")

    def __reduce__(self):
        raise TypeError("a ReportedSpeech is made again where it is used, not pickled")

    def spans(self, str text, list verbs, list ends, tuple covered, Py_ssize_t reach, bint subject_before):
        """:meth:`framing.voice.PythonReportedSpeech.spans`."""
        cdef Py_ssize_t n = len(text), nv = len(verbs), ne = len(ends), nc, i, k, e, verb, end, limit, that, stop
        cdef Py_ssize_t *verb_at = NULL
        cdef Py_ssize_t *end_at = NULL
        cdef Py_ssize_t *cover_start = NULL
        cdef Py_ssize_t *cover_end = NULL
        cdef unsigned int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        starts, stops = covered
        nc = len(starts)
        if len(stops) != nc:
            raise ValueError("covered must hold as many starts as ends")
        out = []
        try:
            verb_at = _positions(verbs, -1)
            end_at = _positions(ends, -1)
            cover_start = _positions(starts, -1)
            cover_end = _positions(stops, -1)
            for i in range(nv):
                verb = verb_at[i]
                k = _after(cover_start, nc, verb) - 1
                if k >= 0 and verb < cover_end[k]:
                    continue
                e = _after(end_at, ne, verb)
                end = end_at[e] if e < ne else n
                limit = min(end, verb + reach, n)
                that = self._find_that(text, kind, data, verb, limit)
                if that < 0 or (i + 1 < nv and verb_at[i + 1] < that):
                    continue
                # The pattern of the correspondent only where a match of it would fit, not over the
                # whole text: a test of «مراسل» in an article costs as much as the rest of the rule.
                # (str.find's own search for each stem: no Python call per verb.)
                if self._holds_stem(text, verb, that) and self.correspondent.search(text, verb, that):
                    continue
                stop = self._relative(text, kind, data, _that_end(kind, data, that, limit), end)
                out.append((that, end if stop < 0 else stop,
                            ((end_at[e - 1] + 1 if e else 0) if subject_before else verb)))
        finally:
            PyMem_Free(verb_at)
            PyMem_Free(end_at)
            PyMem_Free(cover_start)
            PyMem_Free(cover_end)
        return out

    cdef bint _holds_stem(self, str text, Py_ssize_t start, Py_ssize_t end) except -1:
        """``holds_any(text, start, end, self.stems)``."""
        for stem in self.stems:
            if PyUnicode_Find(text, stem, start, end, 1) >= 0:
                return True
        return False

    cdef Py_ssize_t _find_that(self, str text, unsigned int kind, void *data, Py_ssize_t pos,
                               Py_ssize_t limit) except -2:
        """``framing.voice._find_that``: where the first «أن» (or colon) it accepts starts, or -1."""
        cdef Py_ssize_t p, start, space, a, b
        for p in range(pos, limit):
            if _that_end(kind, data, p, limit) < 0:
                continue
            start = p
            if (start and PyUnicode_READ(kind, data, start - 1) == u"ب"
                    and not (start > 1 and _is_letter(PyUnicode_READ(kind, data, start - 2)))):
                start -= 1  # «بأن»
            if start and _is_letter(PyUnicode_READ(kind, data, start - 1)):
                continue
            # The word before, as _word_before has it: from the last space before its last
            # character, stripped.
            if start <= 0:
                return p
            a = 0
            for space in range(start - 2, -1, -1):
                if PyUnicode_READ(kind, data, space) == u" ":
                    a = space + 1
                    break
            b = start
            while a < b and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)):
                a += 1
            while b > a and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1)):
                b -= 1
            if b - a <= self.longest and text[a:b] in self.conjunctions:
                continue
            return p
        return -1

    cdef Py_ssize_t _relative(self, str text, unsigned int kind, void *data, Py_ssize_t pos, Py_ssize_t end) except -2:
        """Where a comma and a relative pronoun (``voice.PythonReportedSpeech.relative``) start in
        ``[pos, end)``, or -1."""
        cdef Py_ssize_t c, q, j, m, arabic, latin
        cdef str word
        cdef Py_UCS4 letter
        # The commas, found by str.find's own scan of the array (most sentences have none).
        arabic = PyUnicode_FindChar(text, u"،", pos, end, 1) if pos < end else -1
        latin = PyUnicode_FindChar(text, u",", pos, end, 1) if pos < end else -1
        while arabic >= 0 or latin >= 0:
            if latin < 0 or 0 <= arabic < latin:
                c = arabic
                arabic = PyUnicode_FindChar(text, u"،", c + 1, end, 1) if c + 1 < end else -1
            else:
                c = latin
                latin = PyUnicode_FindChar(text, u",", c + 1, end, 1) if c + 1 < end else -1
            q = c + 1
            while q < end and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, q)):
                q += 1
            for word in self.relatives:
                m = len(word)
                if q + m > end:
                    continue
                for j in range(m):
                    letter = word[j]
                    if PyUnicode_READ(kind, data, q + j) != letter:
                        break
                else:
                    if not (q + m < end and _word_char(PyUnicode_READ(kind, data, q + m))):
                        return c
        return -1


cdef inline Py_ssize_t _that_end(unsigned int kind, void *data, Py_ssize_t p, Py_ssize_t limit) noexcept:
    """Where ``framing.voice._THAT`` (``[وف]?ان(?:ه|ها|هم)?(?![^\\W\\d_])|:``) matched at ``p``, with
    the text cut at ``limit``, ends; -1 when it does not match there."""
    cdef Py_UCS4 ch = PyUnicode_READ(kind, data, p)
    cdef Py_ssize_t q = p
    if ch == u":":
        return p + 1
    if ch == u"و" or ch == u"ف":
        q += 1
    if q + 1 >= limit or PyUnicode_READ(kind, data, q) != u"ا" or PyUnicode_READ(kind, data, q + 1) != u"ن":
        return -1
    q += 2
    # Of «ه»، «ها»، «هم» and nothing, at most one is followed by no letter: the order does not matter.
    if q < limit and PyUnicode_READ(kind, data, q) == u"ه":
        if not (q + 1 < limit and _word_char(PyUnicode_READ(kind, data, q + 1))):
            return q + 1
        if q + 1 < limit and PyUnicode_READ(kind, data, q + 1) in (u"ا", u"م"):
            if not (q + 2 < limit and _word_char(PyUnicode_READ(kind, data, q + 2))):
                return q + 2
        return -1
    if not (q < limit and _word_char(PyUnicode_READ(kind, data, q))):
        return q
    return -1


cdef class SentenceEnds:
    """:class:`framing.voice.PythonSentenceEnds` (its twin, which says what it gives), in C: the
    full stops between digits left out without a string per end.

    Parameters
    ----------
    chars : str
    """

    cdef CharPositions chars

    def __init__(self, str chars):
        self.chars = CharPositions(chars)

    def __reduce__(self):
        raise TypeError("a SentenceEnds is made again where it is used, not pickled")

    def positions(self, str text):
        """:meth:`framing.voice.PythonSentenceEnds.positions`."""
        cdef Py_ssize_t k, i, last = len(text) - 1
        cdef unsigned int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef list kept = None  # made only when a full stop between digits is left out: seldom
        found = self.chars.positions(text)
        for k in range(len(found)):
            i = found[k]
            if (PyUnicode_READ(kind, data, i) == u"." and 0 < i < last
                    and Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i + 1))
                    and Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i - 1))):
                if kept is None:
                    kept = found[:k]
            elif kept is not None:
                kept.append(i)
        return found if kept is None else kept


ctypedef fused text_char:  # a text's own array: one, two or four bytes a character
    Py_UCS1
    Py_UCS2
    Py_UCS4


cdef struct ScanHit:
    Py_ssize_t start
    Py_ssize_t end  # past the enclitic
    Py_ssize_t length  # of the enclitic
    Py_ssize_t index
    int enclitic  # its place among the enclitics sorted as strings; -1: none
    bint definite


cdef struct Reading:  # the spelling that wins a word so far, among keys that may give the same word
    Py_ssize_t start
    long long order
    Py_ssize_t index
    bint suffixed
    bint definite


cdef struct ScanHits:
    ScanHit *items
    Py_ssize_t size
    Py_ssize_t capacity
    Reading *readings  # of the words ending at the character being read


cdef inline bint _sorts_before(const ScanHit *a, const ScanHit *b) noexcept nogil:
    """Whether ``a`` sorts before ``b`` as their tuples ``(start, -end, length, index, enclitic,
    definite)`` do in :meth:`framing.matcher.PythonScan.find`."""
    if a.start != b.start:
        return a.start < b.start
    if a.end != b.end:
        return a.end > b.end
    if a.length != b.length:
        return a.length < b.length
    if a.index != b.index:
        return a.index < b.index
    if a.enclitic != b.enclitic:
        return a.enclitic < b.enclitic
    return a.definite < b.definite


cdef void _sort_hits(ScanHit *hits, Py_ssize_t n) noexcept nogil:
    """Sort ``hits`` stably (as ``list.sort``), by insertion.

    Hits are found in the order of their last letter, so each is at most the hits inside its own
    span away from its place: the sort is close to linear, with no call per comparison (qsort's).
    """
    cdef Py_ssize_t i, j
    cdef ScanHit hit
    for i in range(1, n):
        hit = hits[i]
        j = i
        while j and _sorts_before(&hit, &hits[j - 1]):
            hits[j] = hits[j - 1]
            j -= 1
        hits[j] = hit


cdef int _add_hit(ScanHits *hits, Py_ssize_t start, Py_ssize_t end, Py_ssize_t length, Py_ssize_t index,
                  int enclitic, bint definite) except -1:
    """Append a hit to ``hits``, growing its array when full."""
    cdef ScanHit *grown
    cdef ScanHit *hit
    cdef Py_ssize_t capacity
    if hits.size == hits.capacity:
        capacity = 2 * hits.capacity if hits.capacity else 128
        grown = <ScanHit *> PyMem_Realloc(hits.items, capacity * sizeof(ScanHit))
        if not grown:
            raise MemoryError()
        hits.items = grown
        hits.capacity = capacity
    hit = &hits.items[hits.size]
    hit.start = start
    hit.end = end
    hit.length = length
    hit.index = index
    hit.enclitic = enclitic
    hit.definite = definite
    hits.size += 1
    return 0


cdef int _store_strings(list strings, Py_UCS4 **chars, Py_ssize_t **starts) except -1:
    """Copy ``strings`` into one array of code points, with where each starts (and, last, where
    the last ends), so that a text can be compared with them without making a substring."""
    cdef Py_ssize_t i, j, at = 0
    cdef str string
    chars[0] = <Py_UCS4 *> PyMem_Malloc(max(sum([len(s) for s in strings]), 1) * sizeof(Py_UCS4))
    starts[0] = <Py_ssize_t *> PyMem_Malloc((len(strings) + 1) * sizeof(Py_ssize_t))
    if not (chars[0] and starts[0]):
        raise MemoryError()
    for i in range(len(strings)):
        string = strings[i]
        starts[0][i] = at
        for j in range(len(string)):
            chars[0][at] = string[j]
            at += 1
    starts[0][len(strings)] = at
    return 0


cdef inline int _string_at(const text_char *text, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t n,
                           const Py_UCS4 *chars, const Py_ssize_t *starts) noexcept nogil:
    """Which of the ``n`` strings stored by :func:`_store_strings` is ``text[start:stop]``, or -1."""
    cdef Py_ssize_t s, i, at, length = stop - start
    for s in range(n):
        at = starts[s]
        if starts[s + 1] - at == length:
            for i in range(length):
                if text[start + i] != chars[at + i]:
                    break
            else:
                return <int> s
    return -1


cdef unsigned char _LOW_LETTERS[256]  # a bit per code point below U+0800: whether it is a letter


cdef void _read_low_letters() noexcept:
    cdef unsigned int code
    memset(_LOW_LETTERS, 0, sizeof(_LOW_LETTERS))
    for code in range(0x800):
        if Py_UNICODE_ISALPHA(<Py_UCS4> code):
            _LOW_LETTERS[code >> 3] |= 1 << (code & 7)


_read_low_letters()


cdef inline bint _is_letter(Py_UCS4 ch) noexcept:
    """``str.isalpha`` of one character. The scan asks it at every hit, of Arabic letters mostly:
    a table answers below U+0800, Python's database (a call, two lookups) above."""
    cdef unsigned int code = ch
    if code < 0x800:
        return (_LOW_LETTERS[code >> 3] >> (code & 7)) & 1
    return Py_UNICODE_ISALPHA(ch)


# What a proclitic table says of one proclitic (CompiledScan.takes): 0 when the spelling does not take it.
cdef enum:
    _TAKES = 1
    _TAKES_BARE = 2  # the entry's own form, not a cliticised spelling of it
    _TAKES_DEFINITE = 4


cdef class CompiledScan:
    """Keys and their values as ``framing.matcher`` compiles them.

    Parameters
    ----------
    keys : list of str
        The stems, each once.
    values : list of tuple
        Per key, ``(length, clash, rank, index, needs_suffix, definite, records)``. Ranks are read
        as 64-bit integers, ``needs_suffix`` and ``definite`` (here and in ``records``) as booleans.
    longest : int
        The longest proclitic a spelling may take.
    cliticised : int
        Added to the rank of a cliticised spelling (``framing.matcher._CLITICISED``).
    kinds : list of str
        The kinds of voice markers, in the order of their (negative) indexes.
    ignore : frozenset of int
        The indexes of ``ignore`` entries.
    enclitics : frozenset of str
        The enclitics a word may end with (``framing.matcher.ENCLITICS``).
    """

    cdef int n_classes
    cdef readonly Py_ssize_t states  # of the automaton (a table of two bytes a transition below 65,536)
    cdef Py_ssize_t n_codes
    cdef unsigned short *classes  # class of each code point below n_codes; 0: in no key
    cdef int *delta  # the next state, per state and class
    cdef unsigned short *narrow  # the same in half the memory, when the states fit (delta is then NULL)
    cdef int *out_key  # the key ending at a state, or -1
    cdef int *out_next  # the next state on the failure chain where a key ends, or -1
    # A bit per state: whether a key ends there or on its failure chain. Most characters end no
    # key, and this table stays in the fastest cache where out_key would not.
    cdef unsigned char *emits
    cdef int *lengths
    # Keys ending at the same character differ in length: at most this many words need a Reading there.
    cdef Py_ssize_t longest_key
    cdef char *clash
    cdef Py_ssize_t longest
    cdef long long cliticised
    cdef list kinds
    # Key k's spellings are records record_start[k] to record_start[k + 1] - 1: each one's rank, entry
    # index, needs_suffix and proclitic table (the spellings share a few tables, read from ``values``).
    cdef Py_ssize_t *record_start
    cdef long long *record_rank
    cdef Py_ssize_t *record_index
    cdef char *record_suffixed
    cdef Py_ssize_t *record_table
    # The proclitics of all the tables, and per table and proclitic what the table says (_TAKES...):
    # a proclitic before a key is read from the text, never made a substring and looked up.
    cdef Py_ssize_t n_proclitics
    cdef Py_UCS4 *proclitic_chars
    cdef Py_ssize_t *proclitic_starts
    cdef unsigned char *takes
    # The spelling that wins a key standing alone, when one may (Matcher._compile works it out).
    cdef char *alone
    cdef long long *alone_rank
    cdef Py_ssize_t *alone_index
    cdef char *alone_suffixed
    cdef char *alone_definite
    cdef Py_ssize_t n_enclitics
    cdef Py_UCS4 *enclitic_chars
    cdef Py_ssize_t *enclitic_starts
    cdef tuple enclitic_strings  # sorted as strings, so a hit sorts by its enclitic's place here
    cdef int heh  # the place of «ه» there (never read from a word-final teh marbuta), or -1
    cdef Py_ssize_t longest_enclitic
    cdef char *ignored  # per entry index below n_ignored: an ``ignore`` entry
    cdef Py_ssize_t n_ignored

    def __cinit__(self, list keys, list values, Py_ssize_t longest, cliticised, list kinds, frozenset ignore,
                  frozenset enclitics):
        cdef Py_ssize_t n_states = 1, size, i, k, head, tail
        cdef int s, t, c, C, state
        cdef int *grown
        cdef str key
        cdef Py_UCS4 ch
        self.longest = longest
        self.cliticised = cliticised
        self.kinds = kinds
        self._read_records(values)
        self._read_enclitics(enclitics)
        self._read_ignore(ignore)
        letters = sorted({ch for key in keys for ch in key})
        if len(letters) >= 65535:
            raise ValueError(f"keys must use fewer than 65,535 characters. Got {len(letters)} instead")
        self.n_codes = (ord(max(letters)) + 1) if letters else 1
        self.n_classes = C = len(letters) + 1
        for key in keys:
            n_states += len(key)
        self.classes = <unsigned short *> PyMem_Malloc(self.n_codes * sizeof(unsigned short))
        self.delta = <int *> PyMem_Malloc(n_states * C * sizeof(int))
        self.out_key = <int *> PyMem_Malloc(n_states * sizeof(int))
        self.out_next = <int *> PyMem_Malloc(n_states * sizeof(int))
        self.lengths = <int *> PyMem_Malloc(max(len(keys), 1) * sizeof(int))
        self.clash = <char *> PyMem_Malloc(max(len(keys), 1))
        fail = <int *> PyMem_Malloc(n_states * sizeof(int))
        queue = <int *> PyMem_Malloc(n_states * sizeof(int))
        if not (self.classes and self.delta and self.out_key and self.out_next and self.lengths and self.clash
                and fail and queue):
            PyMem_Free(fail)
            PyMem_Free(queue)
            raise MemoryError()
        try:
            memset(self.classes, 0, self.n_codes * sizeof(unsigned short))
            for c, ch in enumerate(letters, 1):
                self.classes[ch] = c
            memset(self.delta, 0, n_states * C * sizeof(int))  # 0: no child yet (the root is no one's child)
            for i in range(n_states):
                self.out_key[i] = -1
                self.out_next[i] = -1
            # The trie of the keys.
            size = 1
            for k in range(len(keys)):
                key = keys[k]
                self.lengths[k] = len(key)
                self.longest_key = max(self.longest_key, len(key))
                self.clash[k] = bool(values[k][1])
                s = 0
                for ch in key:
                    c = self.classes[ch]
                    t = self.delta[s * C + c]
                    if t == 0:
                        t = size
                        size += 1
                        self.delta[s * C + c] = t
                    s = t
                self.out_key[s] = k
            # The trie has fewer states than letters in the keys: keep only the rows it uses.
            n_states = size
            grown = <int *> PyMem_Realloc(self.delta, n_states * C * sizeof(int))
            if grown:
                self.delta = grown
            # Breadth first: a state's failure is complete before its children need it, so each
            # missing transition is the failure state's (Aho-Corasick as a full DFA).
            head = tail = 0
            fail[0] = 0
            queue[tail] = 0
            tail += 1
            while head < tail:
                state = queue[head]
                head += 1
                for c in range(1, C):
                    t = self.delta[state * C + c]
                    if t:
                        fail[t] = self.delta[fail[state] * C + c] if state else 0
                        self.out_next[t] = fail[t] if self.out_key[fail[t]] >= 0 else self.out_next[fail[t]]
                        queue[tail] = t
                        tail += 1
                    elif state:
                        self.delta[state * C + c] = self.delta[fail[state] * C + c]
            # Number the states breadth first: a scan spends most of its time near the root, and
            # those rows then sit together in the cache. ``fail`` is reused for the new numbers.
            for i in range(n_states):
                fail[queue[i]] = i
            renumbered = <int *> PyMem_Malloc(n_states * C * sizeof(int))
            if not renumbered:
                raise MemoryError()
            for i in range(n_states):
                state = queue[i]
                for c in range(C):
                    renumbered[i * C + c] = fail[self.delta[state * C + c]]
                queue[i] = self.out_key[state]
            PyMem_Free(self.delta)
            self.delta = renumbered
            # A lexicon of hundreds of entries has fewer than 65,536 states: two bytes a transition
            # halve the table, and most of the scan's time is waiting for its rows.
            self.states = n_states
            if n_states <= 0xFFFF:
                self.narrow = <unsigned short *> PyMem_Malloc(n_states * C * sizeof(unsigned short))
                if self.narrow:
                    for i in range(n_states * C):
                        self.narrow[i] = <unsigned short> self.delta[i]
                    PyMem_Free(self.delta)
                    self.delta = NULL
            for i in range(n_states):
                self.out_key[i] = queue[i]
                queue[i] = self.out_next[i]
            for i in range(n_states):
                self.out_next[fail[i]] = fail[queue[i]] if queue[i] >= 0 else -1
            self.emits = <unsigned char *> PyMem_Malloc((n_states + 7) >> 3)
            if not self.emits:
                raise MemoryError()
            memset(self.emits, 0, (n_states + 7) >> 3)
            for i in range(n_states):
                if self.out_key[i] >= 0 or self.out_next[i] >= 0:
                    self.emits[i >> 3] |= 1 << (i & 7)
        finally:
            PyMem_Free(fail)
            PyMem_Free(queue)

    def __dealloc__(self):
        PyMem_Free(self.classes)
        PyMem_Free(self.delta)
        PyMem_Free(self.narrow)
        PyMem_Free(self.out_key)
        PyMem_Free(self.out_next)
        PyMem_Free(self.emits)
        PyMem_Free(self.lengths)
        PyMem_Free(self.clash)
        PyMem_Free(self.record_start)
        PyMem_Free(self.record_rank)
        PyMem_Free(self.record_index)
        PyMem_Free(self.record_suffixed)
        PyMem_Free(self.record_table)
        PyMem_Free(self.proclitic_chars)
        PyMem_Free(self.proclitic_starts)
        PyMem_Free(self.takes)
        PyMem_Free(self.alone)
        PyMem_Free(self.alone_rank)
        PyMem_Free(self.alone_index)
        PyMem_Free(self.alone_suffixed)
        PyMem_Free(self.alone_definite)
        PyMem_Free(self.enclitic_chars)
        PyMem_Free(self.enclitic_starts)
        PyMem_Free(self.ignored)

    def __reduce__(self):
        raise TypeError("a CompiledScan is rebuilt from its lexicon, not pickled")

    cdef int _read_records(self, list values) except -1:
        """Each key's spellings, the proclitics they may take and the spelling that wins the key
        standing alone, as C arrays."""
        cdef Py_ssize_t n_keys = len(values), n_records = 0, k, r = 0, n_proclitics
        cdef dict tables = {}  # id -> number of each table (alive in ``values`` meanwhile)
        cdef list shared = []
        cdef dict proclitics = {}  # each proclitic -> its number
        for value in values:
            n_records += len(value[6])
        self.record_start = <Py_ssize_t *> PyMem_Malloc((n_keys + 1) * sizeof(Py_ssize_t))
        self.record_rank = <long long *> PyMem_Malloc(max(n_records, 1) * sizeof(long long))
        self.record_index = <Py_ssize_t *> PyMem_Malloc(max(n_records, 1) * sizeof(Py_ssize_t))
        self.record_suffixed = <char *> PyMem_Malloc(max(n_records, 1))
        self.record_table = <Py_ssize_t *> PyMem_Malloc(max(n_records, 1) * sizeof(Py_ssize_t))
        self.alone = <char *> PyMem_Malloc(max(n_keys, 1))
        self.alone_rank = <long long *> PyMem_Malloc(max(n_keys, 1) * sizeof(long long))
        self.alone_index = <Py_ssize_t *> PyMem_Malloc(max(n_keys, 1) * sizeof(Py_ssize_t))
        self.alone_suffixed = <char *> PyMem_Malloc(max(n_keys, 1))
        self.alone_definite = <char *> PyMem_Malloc(max(n_keys, 1))
        if not (self.record_start and self.record_rank and self.record_index and self.record_suffixed
                and self.record_table and self.alone and self.alone_rank and self.alone_index
                and self.alone_suffixed and self.alone_definite):
            raise MemoryError()
        for k in range(n_keys):
            value = values[k]
            self.record_start[k] = r
            for rank, index, suffixed, table in value[6]:
                number = tables.get(id(table))
                if number is None:
                    number = tables[id(table)] = len(shared)
                    shared.append(table)
                    for proclitic in table:
                        proclitics.setdefault(proclitic, len(proclitics))
                self.record_rank[r] = rank
                self.record_index[r] = index
                self.record_suffixed[r] = bool(suffixed)
                self.record_table[r] = number
                r += 1
            self.alone[k] = value[2] is not None
            if self.alone[k]:
                self.alone_rank[k] = value[2]
                self.alone_index[k] = value[3]
                self.alone_suffixed[k] = bool(value[4])
                self.alone_definite[k] = bool(value[5])
        self.record_start[n_keys] = r
        self.n_proclitics = n_proclitics = len(proclitics)
        _store_strings(list(proclitics), &self.proclitic_chars, &self.proclitic_starts)
        self.takes = <unsigned char *> PyMem_Malloc(max(len(shared) * n_proclitics, 1))
        if not self.takes:
            raise MemoryError()
        memset(self.takes, 0, max(len(shared) * n_proclitics, 1))
        for k in range(len(shared)):
            for proclitic, (bare, definite) in shared[k].items():
                self.takes[k * n_proclitics + proclitics[proclitic]] = (
                    _TAKES | (_TAKES_BARE if bare else 0) | (_TAKES_DEFINITE if definite else 0))
        return 0

    cdef int _read_enclitics(self, frozenset enclitics) except -1:
        """The enclitics, sorted as strings (a word without one has none: "" is not kept)."""
        strings = sorted([e for e in enclitics if e])
        self.enclitic_strings = tuple(strings)
        self.n_enclitics = len(strings)
        self.heh = strings.index("ه") if "ه" in strings else -1
        self.longest_enclitic = max([len(e) for e in enclitics], default=0)
        return _store_strings(strings, &self.enclitic_chars, &self.enclitic_starts)

    cdef int _read_ignore(self, frozenset ignore) except -1:
        """Which entry indexes are ``ignore`` entries, as a table (hits have indexes from 0)."""
        cdef Py_ssize_t index
        indexes = [index for index in ignore if index >= 0]
        self.n_ignored = max(indexes, default=-1) + 1
        self.ignored = <char *> PyMem_Malloc(max(self.n_ignored, 1))
        if not self.ignored:
            raise MemoryError()
        memset(self.ignored, 0, max(self.n_ignored, 1))
        for index in indexes:
            self.ignored[index] = 1
        return 0

    def find(self, norm):
        """:meth:`framing.matcher.Matcher.find`, as :meth:`framing.matcher.PythonScan.find` gives it."""
        cdef str text = norm.text
        cdef Py_ssize_t n = len(text), i, reach = -1
        cdef unsigned int width = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef ScanHits hits
        cdef ScanHit *hit
        cdef int clashed
        markers = {name: [] for name in self.kinds}
        starts = [markers[name] for name in self.kinds]
        hits.items = NULL
        hits.size = hits.capacity = 0
        hits.readings = <Reading *> PyMem_Malloc(max(self.longest_key, 1) * sizeof(Reading))
        if not hits.readings:
            raise MemoryError()
        try:
            # The text's own array, read without a call or a check per character.
            if width == PyUnicode_1BYTE_KIND:
                clashed = self._scan(<const Py_UCS1 *> data, n, norm, starts, &hits)
            elif width == PyUnicode_2BYTE_KIND:
                clashed = self._scan(<const Py_UCS2 *> data, n, norm, starts, &hits)
            else:
                clashed = self._scan(<const Py_UCS4 *> data, n, norm, starts, &hits)
            if clashed:
                for found in markers.values():
                    found.sort()
            if not hits.size:
                return [], markers
            # Leftmost, then longest, then (same span) the reading without an enclitic.
            _sort_hits(hits.items, hits.size)
            kept = []
            for i in range(hits.size):
                hit = &hits.items[i]
                if hit.start >= reach:
                    reach = hit.end
                    if not (hit.index < self.n_ignored and self.ignored[hit.index]):
                        kept.append((hit.start, reach, hit.index,
                                     self.enclitic_strings[hit.enclitic] if hit.enclitic >= 0 else "",
                                     True if hit.definite else False))
            return kept, markers
        finally:
            PyMem_Free(hits.items)
            PyMem_Free(hits.readings)

    cdef int _scan(self, const text_char *text, Py_ssize_t size, norm, list starts, ScanHits *hits) except -1:
        """Each key of ``text`` that is a whole word up to its clitics, into ``hits`` or (a voice
        marker) ``starts``; 1 when keys that may give the same word were found, else 0."""
        cdef Py_ssize_t last, start, word, stop, longest = self.longest, r, i, held, index = 0
        cdef int state = 0, k, t, c, C = self.n_classes, clashed = 0, proclitic
        cdef unsigned char taken
        cdef long long order = 0, rank  # order, index, suffixed, definite: set wherever they are read
        cdef bint suffixed = False, definite = False, found
        cdef Py_UCS4 ch
        cdef Reading *reading
        for last in range(size):
            ch = text[last]
            c = self.classes[ch] if ch < self.n_codes else 0
            state = self.narrow[state * C + c] if self.narrow else self.delta[state * C + c]
            if not self.emits[state >> 3] & (1 << (state & 7)):
                continue
            t = state if self.out_key[state] >= 0 else self.out_next[state]
            held = 0
            while t >= 0:
                k = self.out_key[t]
                t = self.out_next[t]
                start = last + 1 - self.lengths[k]
                word = start
                if start and _is_letter(text[start - 1]):
                    word = start - 1
                    stop = start - longest
                    while word > stop and word and _is_letter(text[word - 1]):
                        word -= 1
                    if word and _is_letter(text[word - 1]):
                        continue  # a key found inside a word
                if word < start:  # a proclitic before the key: the spelling that takes it wins
                    proclitic = _string_at(text, word, start, self.n_proclitics, self.proclitic_chars,
                                           self.proclitic_starts)
                    if proclitic < 0:
                        continue
                    start = word
                    found = False
                    for r in range(self.record_start[k], self.record_start[k + 1]):
                        taken = self.takes[self.record_table[r] * self.n_proclitics + proclitic]
                        if taken:
                            rank = self.record_rank[r] if taken & _TAKES_BARE else self.record_rank[r] + self.cliticised
                            if not found or rank < order:
                                found = True
                                order = rank
                                index = self.record_index[r]
                                suffixed = self.record_suffixed[r]
                                definite = (taken & _TAKES_DEFINITE) != 0
                    if not found:
                        continue
                elif self.alone[k]:
                    order = self.alone_rank[k]
                    index = self.alone_index[k]
                    suffixed = self.alone_suffixed[k]
                    definite = self.alone_definite[k]
                else:
                    continue
                if self.clash[k]:  # the first spelling in the order of Matcher._compile wins
                    # Its rivals end at the same character: only this character's readings are compared.
                    clashed = 1
                    i = 0
                    while i < held and hits.readings[i].start != start:
                        i += 1
                    reading = &hits.readings[i]
                    if i == held:
                        held += 1
                        reading.start = start
                    elif order >= reading.order:
                        continue
                    reading.order = order
                    reading.index = index
                    reading.suffixed = suffixed
                    reading.definite = definite
                else:
                    self._emit(text, size, norm, start, last, index, suffixed, definite, starts, hits)
            for i in range(held):
                reading = &hits.readings[i]
                self._emit(text, size, norm, reading.start, last, reading.index, reading.suffixed, reading.definite,
                           starts, hits)
        return clashed

    cdef int _emit(self, const text_char *text, Py_ssize_t size, norm, Py_ssize_t start, Py_ssize_t last,
                   Py_ssize_t index, bint suffixed, bint definite, list starts, ScanHits *hits) except -1:
        """A word found: a voice marker, or a hit when it ends the word or an enclitic follows."""
        cdef Py_ssize_t end = last + 1, n
        cdef int enclitic
        cdef Py_UCS4 ch
        if end == size or not _is_letter(text[end]):  # the common case: a whole word, no enclitic
            if index < 0:
                (<list> starts[-1 - index]).append(start)
            elif not suffixed:
                _add_hit(hits, start, end, 0, index, -1, definite)
            return 0
        if index < 0:
            return 0
        # The letters up to the end of the word (``[^\W\d_]`` of ``re``); a run longer than every
        # enclitic is none of them, so the reading stops there.
        n = end
        while n < size and n - end <= self.longest_enclitic:
            ch = text[n]
            if not (Py_UNICODE_ISALNUM(ch) and not Py_UNICODE_ISDECIMAL(ch) and ch != u"_"):
                break
            n += 1
        enclitic = _string_at(text, end, n, self.n_enclitics, self.enclitic_chars, self.enclitic_starts)
        if enclitic < 0:
            return 0
        if enclitic == self.heh and norm.original[norm.orig_index(end)] == "ة":
            return 0
        return _add_hit(hits, start, n, n - end, index, enclitic, definite)


cdef char _ESCAPE[256]  # see _escapes
cdef unsigned char _EXTRA[256]


cdef void _escapes() noexcept:
    """``_ESCAPE``: how ``json.dumps`` writes each character below 256: 0, as it is; ``u``, as
    ``\\u00XX``; any other letter, as that letter after a backslash. ``_EXTRA``: how many
    characters that adds."""
    cdef int code
    memset(_ESCAPE, 0, sizeof(_ESCAPE))
    for code in range(0x20):
        _ESCAPE[code] = c'u'
    _ESCAPE[0x22] = c'"'
    _ESCAPE[0x5C] = c'\\'
    _ESCAPE[0x0A] = c'n'
    _ESCAPE[0x0D] = c'r'
    _ESCAPE[0x09] = c't'
    _ESCAPE[0x08] = c'b'
    _ESCAPE[0x0C] = c'f'
    for code in range(256):
        _EXTRA[code] = 0 if not _ESCAPE[code] else 5 if _ESCAPE[code] == c'u' else 1


_escapes()

cdef const char *_HEX = b"0123456789abcdef"


cdef inline Py_ssize_t _extra(str s) noexcept:
    """How much longer ``encode_basestring(s)`` is than ``s`` and its quotes (most texts: 0)."""
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(s), extra = 0
    cdef int kind = PyUnicode_KIND(s)
    cdef const Py_UCS1 *narrow
    cdef const Py_UCS2 *bmp
    cdef const Py_UCS4 *wide
    # A loop per width: this runs over every text of every match, twice the time with a
    # PyUnicode_READ per character.
    if kind == PyUnicode_1BYTE_KIND:
        narrow = <const Py_UCS1 *> PyUnicode_DATA(s)
        for i in range(n):
            extra += _EXTRA[narrow[i]]
    elif kind == PyUnicode_2BYTE_KIND:
        bmp = <const Py_UCS2 *> PyUnicode_DATA(s)
        for i in range(n):
            if bmp[i] < 256:
                extra += _EXTRA[bmp[i]]
    else:
        wide = <const Py_UCS4 *> PyUnicode_DATA(s)
        for i in range(n):
            if wide[i] < 256:
                extra += _EXTRA[wide[i]]
    return extra


cdef inline void _copy(char *out, int to, Py_ssize_t at, int kind, const void *data, Py_ssize_t n) noexcept:
    """Characters ``data[:n]`` of width ``kind`` written at ``out[at:]``, of width ``to >= kind``."""
    cdef Py_ssize_t i
    if kind == to:
        memcpy(out + at * to, data, n * to)
    elif to == 2:
        for i in range(n):
            (<Py_UCS2 *> out)[at + i] = (<const Py_UCS1 *> data)[i]
    elif kind == 1:
        for i in range(n):
            (<Py_UCS4 *> out)[at + i] = (<const Py_UCS1 *> data)[i]
    else:
        for i in range(n):
            (<Py_UCS4 *> out)[at + i] = (<const Py_UCS2 *> data)[i]


cdef inline Py_ssize_t _put(char *out, int to, Py_ssize_t at, str s) noexcept:
    """``s`` written at ``out[at:]``; the offset after it."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s)
    _copy(out, to, at, PyUnicode_KIND(s), PyUnicode_DATA(s), n)
    return at + n


cdef inline Py_ssize_t _put_escaped(char *out, int to, Py_ssize_t at, str s, Py_ssize_t extra) noexcept:
    """``encode_basestring(s)`` written at ``out[at:]``, ``extra`` being :func:`_extra` of ``s``:
    runs of characters as they are copied whole."""
    cdef Py_ssize_t i, run = 0, n = PyUnicode_GET_LENGTH(s)
    cdef int kind = PyUnicode_KIND(s)
    cdef const char *data = <const char *> PyUnicode_DATA(s)
    cdef unsigned int c
    cdef char letter
    PyUnicode_WRITE(to, out, at, c'"')
    at += 1
    if not extra:
        _copy(out, to, at, kind, data, n)
        PyUnicode_WRITE(to, out, at + n, c'"')
        return at + n + 1
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c >= 256 or not _ESCAPE[c]:
            continue
        _copy(out, to, at, kind, data + run * kind, i - run)
        at += i - run
        run = i + 1
        letter = _ESCAPE[c]
        PyUnicode_WRITE(to, out, at, c'\\')
        if letter == c'u':
            PyUnicode_WRITE(to, out, at + 1, c'u')
            PyUnicode_WRITE(to, out, at + 2, c'0')
            PyUnicode_WRITE(to, out, at + 3, c'0')
            PyUnicode_WRITE(to, out, at + 4, _HEX[c >> 4])
            PyUnicode_WRITE(to, out, at + 5, _HEX[c & 15])
            at += 6
        else:
            PyUnicode_WRITE(to, out, at + 1, letter)
            at += 2
    _copy(out, to, at, kind, data + run * kind, n - run)
    at += n - run
    PyUnicode_WRITE(to, out, at, c'"')
    return at + 1


cdef inline Py_ssize_t _digits(long long v) noexcept:
    """The length of ``int.__repr__(v)``."""
    cdef Py_ssize_t n = 1
    cdef unsigned long long u
    if v < 0:
        n = 2
        u = 0ULL - <unsigned long long> v
    else:
        u = <unsigned long long> v
    while u >= 10:
        u //= 10
        n += 1
    return n


cdef inline Py_ssize_t _put_int(char *out, int to, Py_ssize_t at, long long v) noexcept:
    """``int.__repr__(v)`` written at ``out[at:]``."""
    cdef Py_ssize_t end = at + _digits(v)
    cdef Py_ssize_t i = end
    cdef unsigned long long u
    if v < 0:
        PyUnicode_WRITE(to, out, at, c'-')
        u = 0ULL - <unsigned long long> v
    else:
        u = <unsigned long long> v
    while True:
        i -= 1
        PyUnicode_WRITE(to, out, i, <Py_UCS4> (48 + u % 10))
        u //= 10
        if not u:
            break
    return end


cdef inline bint _same(PyObject *a, PyObject *b) noexcept:
    """Whether ``json.dumps`` writes ``a`` as it writes ``b``: ``framing.jsonl._alike``."""
    if a == b:
        return True
    if type(<object> a) is str and type(<object> b) is str:
        return (<str> a) == (<str> b)
    if type(<object> a) is float and type(<object> b) is float:  # -0.0 == 0.0, but each is written its way
        return PyFloat_AS_DOUBLE(<object> a) == PyFloat_AS_DOUBLE(<object> b) and \
            copysign(1.0, PyFloat_AS_DOUBLE(<object> a)) == copysign(1.0, PyFloat_AS_DOUBLE(<object> b))
    return False


cdef struct _Held:
    Py_ssize_t n  # values held
    Py_ssize_t *which  # per match, its entry, or -1 - its place in the fallback's texts
    PyObject **values  # per match, its own values (a reference each, or NULL)
    long long *facts  # per value: an int's value; for a str, what escaping adds or its UTF-8 length


cdef void _release(_Held *held) noexcept:
    cdef Py_ssize_t i
    if held.values:
        for i in range(held.n):
            Py_XDECREF(held.values[i])
    PyMem_Free(held.which)
    PyMem_Free(held.values)
    PyMem_Free(held.facts)


cdef Py_ssize_t _utf8_length(str s) noexcept:
    """The length of ``encode_basestring(s).encode()``, or -1 when ``s`` holds a surrogate (which
    UTF-8 cannot encode)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s)
    cdef int kind = PyUnicode_KIND(s)
    if PyUnicode_IS_ASCII(s):
        return n + 2 + _extra(s)
    # A loop per width, as in _extra.
    if kind == PyUnicode_1BYTE_KIND:
        return _utf8_size(<const Py_UCS1 *> PyUnicode_DATA(s), n)
    if kind == PyUnicode_2BYTE_KIND:
        return _utf8_size(<const Py_UCS2 *> PyUnicode_DATA(s), n)
    return _utf8_size(<const Py_UCS4 *> PyUnicode_DATA(s), n)


cdef inline Py_ssize_t _utf8_size(const text_char *data, Py_ssize_t n) noexcept:
    """:func:`_utf8_length` of the characters ``data[:n]``."""
    cdef Py_ssize_t i, size = 2
    cdef unsigned int c
    for i in range(n):
        c = data[i]
        if c < 0x80:
            size += 1 + _EXTRA[c]
        elif c < 0x800:
            size += 2
        elif 0xD800 <= c <= 0xDFFF:
            return -1
        else:
            size += 3 if c < 0x10000 else 4
    return size


cdef Py_ssize_t _put_utf8(char *out, Py_ssize_t at, str s, Py_ssize_t size) noexcept:
    """``encode_basestring(s).encode()`` written at ``out[at:]``, ``size`` being its length
    (:func:`_utf8_length`, not -1)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s)
    cdef int kind = PyUnicode_KIND(s)
    if PyUnicode_IS_ASCII(s) and size == n + 2:  # nothing to escape: the characters are the bytes
        out[at] = c'"'
        memcpy(out + at + 1, PyUnicode_DATA(s), n)
        out[at + n + 1] = c'"'
        return at + size
    if kind == PyUnicode_1BYTE_KIND:
        return _put_utf8_of(out, at, <const Py_UCS1 *> PyUnicode_DATA(s), n)
    if kind == PyUnicode_2BYTE_KIND:
        return _put_utf8_of(out, at, <const Py_UCS2 *> PyUnicode_DATA(s), n)
    return _put_utf8_of(out, at, <const Py_UCS4 *> PyUnicode_DATA(s), n)


cdef inline Py_ssize_t _put_utf8_of(char *out, Py_ssize_t at, const text_char *data, Py_ssize_t n) noexcept:
    """:func:`_put_utf8` of the characters ``data[:n]``."""
    cdef Py_ssize_t i
    cdef unsigned int c
    out[at] = c'"'
    at += 1
    for i in range(n):
        c = data[i]
        if c < 0x80:
            if not _ESCAPE[c]:
                out[at] = <char> c
                at += 1
            elif _ESCAPE[c] == c'u':
                memcpy(out + at, b"\\u00", 4)
                out[at + 4] = _HEX[c >> 4]
                out[at + 5] = _HEX[c & 15]
                at += 6
            else:
                out[at] = c'\\'
                out[at + 1] = _ESCAPE[c]
                at += 2
        elif c < 0x800:
            out[at] = <char> (0xC0 | (c >> 6))
            out[at + 1] = <char> (0x80 | (c & 0x3F))
            at += 2
        elif c < 0x10000:
            out[at] = <char> (0xE0 | (c >> 12))
            out[at + 1] = <char> (0x80 | ((c >> 6) & 0x3F))
            out[at + 2] = <char> (0x80 | (c & 0x3F))
            at += 3
        else:
            out[at] = <char> (0xF0 | (c >> 18))
            out[at + 1] = <char> (0x80 | ((c >> 12) & 0x3F))
            out[at + 2] = <char> (0x80 | ((c >> 6) & 0x3F))
            out[at + 3] = <char> (0x80 | (c & 0x3F))
            at += 4
    out[at] = c'"'
    return at + 1


cdef inline PyObject *_slot(object instance, Py_ssize_t offset) noexcept:
    """The slot at ``offset`` of ``instance`` (NULL when not set)."""
    return (<PyObject **> ((<char *> <PyObject *> instance) + offset))[0]


cdef class MatchJson:
    """``render(matches)``: the JSON of each match, joined by ``", "``, as
    :meth:`framing.jsonl.JsonRenderer.python_matches` (the twin) writes it, in one C buffer.

    Each match is written from its entry's pieces (the text of its fields copied from the entry)
    and its own values: a whole int, None or a str each. Anything else (a match of another class
    or another lexicon, a copied field that is not the entry's, an own value of another type or
    beyond 64 bits) goes to ``fallback``, which gives ``json.dumps(m.to_dict())``.

    Parameters
    ----------
    match : type
        ``framing.results.Match``; its slots are :data:`MATCH_SLOTS`.
    own : tuple of str
        The match's own fields, in the order they are written between the pieces.
    copied : tuple of str
        The fields copied from the entry.
    layout : dict
        Per entry source, ``(values of copied, pieces)``, the pieces one more than ``own``, or
        none when the fast path cannot write that entry's matches.
    fallback : callable
        The JSON text of one match.
    """

    cdef SlotMaker slots
    cdef Py_ssize_t n_own
    cdef Py_ssize_t n_copied
    cdef Py_ssize_t source
    cdef Py_ssize_t own[64]
    cdef Py_ssize_t copied[64]
    cdef dict index  # source: entry number
    cdef list keep  # the objects the arrays below point to
    cdef PyObject **values  # per entry, its copied values
    # Every entry's n_own + 1 pieces one after the other, in each width a string may take (the
    # index: 1, 2 or 4 bytes), so that each is copied whole into the string being written.
    # A piece wider than a width is not in it (a string with that piece is not that narrow).
    cdef char *pieces[5]
    cdef Py_ssize_t *starts  # where each piece is in them, and the end of the last
    cdef Py_ssize_t *lengths  # per entry, the length of its pieces
    cdef Py_UCS4 *widest  # per entry, the widest character of its pieces (PyUnicode_MAX_CHAR_VALUE)
    cdef bytes utf8  # the pieces in UTF-8
    cdef Py_ssize_t *ustarts  # where each piece is in it, and the end of the last
    cdef Py_ssize_t *ulengths  # per entry, the length of its pieces in UTF-8
    cdef char *encodable  # per entry: its pieces hold no surrogate
    cdef readonly object fallback

    def __cinit__(self, match, tuple own, tuple copied, dict layout, fallback):
        cdef Py_ssize_t e, k, n, j, at, size
        cdef int kind
        cdef str piece
        self.slots = SlotMaker(match, MATCH_SLOTS)
        if len(own) + len(copied) != len(MATCH_SLOTS) or "source" not in copied:
            raise ValueError(f"own and copied must share out the slots of {match.__name__} and copy the source")
        self.n_own, self.n_copied = len(own), len(copied)
        for k, name in enumerate(own):
            self.own[k] = MATCH_SLOTS.index(name)
        for k, name in enumerate(copied):
            self.copied[k] = MATCH_SLOTS.index(name)
        self.source = MATCH_SLOTS.index("source")
        self.fallback = fallback
        self.index = {}
        self.keep = []
        for source, (values, pieces) in layout.items():
            if not pieces:
                continue
            if type(source) is not str or len(values) != self.n_copied or len(pieces) != self.n_own + 1 or \
                    not all([type(p) is str for p in pieces]):
                raise ValueError(f"the layout of {source!r} does not fit the fields")
            self.index[source] = len(self.keep)
            self.keep.append((tuple(values), tuple(pieces)))
        n = max(len(self.keep), 1)
        size = sum([len(p) for _, pieces in self.keep for p in pieces])
        self.values = <PyObject **> PyMem_Malloc(n * self.n_copied * sizeof(PyObject *))
        self.starts = <Py_ssize_t *> PyMem_Malloc((n * (self.n_own + 1) + 1) * sizeof(Py_ssize_t))
        self.lengths = <Py_ssize_t *> PyMem_Malloc(n * sizeof(Py_ssize_t))
        self.widest = <Py_UCS4 *> PyMem_Malloc(n * sizeof(Py_UCS4))
        for kind in (1, 2, 4):
            self.pieces[kind] = <char *> PyMem_Malloc(max(size, 1) * kind)
        if not (self.values and self.starts and self.lengths and self.widest and self.pieces[1] and self.pieces[2]
                and self.pieces[4]):
            raise MemoryError()
        j = at = 0
        for e, (values, pieces) in enumerate(self.keep):
            self.lengths[e] = 0
            self.widest[e] = 0
            for k in range(self.n_copied):
                self.values[e * self.n_copied + k] = <PyObject *> values[k]
            for piece in pieces:
                self.starts[j] = at
                for kind in (1, 2, 4):
                    if PyUnicode_KIND(piece) <= kind:
                        _copy(self.pieces[kind], kind, at, PyUnicode_KIND(piece), PyUnicode_DATA(piece), len(piece))
                j += 1
                at += len(piece)
                self.lengths[e] += len(piece)
                self.widest[e] = max(self.widest[e], PyUnicode_MAX_CHAR_VALUE(piece))
        self.starts[j] = at
        utf8 = [[p.encode("utf-8", "surrogatepass") for p in pieces] for _, pieces in self.keep]
        self.utf8 = b"".join([b"".join(encoded) for encoded in utf8])
        self.ustarts = <Py_ssize_t *> PyMem_Malloc((n * (self.n_own + 1) + 1) * sizeof(Py_ssize_t))
        self.ulengths = <Py_ssize_t *> PyMem_Malloc(n * sizeof(Py_ssize_t))
        self.encodable = <char *> PyMem_Malloc(n)
        if not (self.ustarts and self.ulengths and self.encodable):
            raise MemoryError()
        j = at = 0
        for e, encoded in enumerate(utf8):
            self.ulengths[e] = sum([len(chunk) for chunk in encoded])
            self.encodable[e] = all([_utf8_length(p) >= 0 for p in self.keep[e][1]])  # -1: a surrogate
            for chunk in encoded:
                self.ustarts[j] = at
                at += len(chunk)
                j += 1
        self.ustarts[j] = at

    def __dealloc__(self):
        PyMem_Free(self.values)
        PyMem_Free(self.starts)
        PyMem_Free(self.lengths)
        PyMem_Free(self.widest)
        PyMem_Free(self.pieces[1])
        PyMem_Free(self.pieces[2])
        PyMem_Free(self.pieces[4])
        PyMem_Free(self.ustarts)
        PyMem_Free(self.ulengths)
        PyMem_Free(self.encodable)

    def __reduce__(self):
        raise TypeError("a MatchJson is made again where it is used, not pickled")

    cdef Py_ssize_t _entry(self, object m) except -2:
        """The entry ``m`` is written from, or -1 when the fast path does not know it."""
        cdef PyObject *source
        cdef PyObject *found
        cdef PyObject *value
        cdef PyObject **values
        cdef Py_ssize_t e, k
        if type(m) is not <object> self.slots.cls:
            return -1
        source = _slot(m, self.slots.offsets[self.source])
        if source is NULL or type(<object> source) is not str:
            return -1
        found = PyDict_GetItemWithError(self.index, <object> source)
        if found is NULL:
            return -1
        e = <Py_ssize_t> PyLong_AsSsize_t(<object> found)
        values = self.values + e * self.n_copied
        for k in range(self.n_copied):
            value = _slot(m, self.slots.offsets[self.copied[k]])
            if value is NULL or not _same(value, values[k]):
                return -1
        return e

    cdef inline Py_ssize_t _piece(self, char *out, int to, Py_ssize_t at, Py_ssize_t j) noexcept:
        """Piece ``j`` written at ``out[at:]``, of width ``to``."""
        cdef Py_ssize_t n = self.starts[j + 1] - self.starts[j]
        memcpy(out + at * to, self.pieces[to] + self.starts[j] * to, n * to)
        return at + n

    cdef int _hold(self, tuple items, _Held *held, list texts) except -1:
        """The first pass over ``items``: per match its entry, its own values held (so that
        nothing can change between measuring and writing) and an int's value in ``facts``; or
        ``-1 - k``, ``texts[k]`` being the fallback's JSON of it."""
        cdef Py_ssize_t n = len(items), n_own = self.n_own, i, k, e
        cdef PyObject *value
        cdef int overflow
        cdef long long number
        held.n = n * n_own
        held.which = <Py_ssize_t *> PyMem_Malloc(max(n, 1) * sizeof(Py_ssize_t))
        held.values = <PyObject **> PyMem_Malloc(max(n * n_own, 1) * sizeof(PyObject *))
        held.facts = <long long *> PyMem_Malloc(max(n * n_own, 1) * sizeof(long long))
        if not (held.which and held.values and held.facts):
            raise MemoryError()
        for i in range(n * n_own):
            held.values[i] = NULL
        for i in range(n):
            m = items[i]
            e = self._entry(m)
            if e >= 0:
                for k in range(n_own):
                    value = _slot(m, self.slots.offsets[self.own[k]])
                    if value is NULL or not (<object> value is None or type(<object> value) is str
                                             or type(<object> value) is int):
                        e = -1
                        break
                    number = 0
                    if type(<object> value) is int:
                        number = PyLong_AsLongLongAndOverflow(<object> value, &overflow)
                        if overflow:
                            e = -1
                            break
                    Py_INCREF(<object> value)
                    held.values[i * n_own + k] = value
                    held.facts[i * n_own + k] = number
            if e >= 0:
                held.which[i] = e
            else:
                text = self.fallback(m)
                if type(text) is not str:
                    raise TypeError(f"fallback must give a str. Got {type(text).__name__} instead")
                held.which[i] = -1 - len(texts)
                texts.append(text)
        return 0

    def __call__(self, matches):
        """The JSON of each of ``matches``, joined by ``", "`` (the inside of the ``matches`` array)."""
        cdef tuple items = matches if type(matches) is tuple else tuple(matches)
        cdef Py_ssize_t n = len(items), n_own = self.n_own, i, j, k, e, size, length, at
        cdef _Held held = _Held(0, NULL, NULL, NULL)
        cdef PyObject *value
        cdef Py_UCS4 widest = 0x7F
        cdef int to
        cdef char *out
        cdef list texts = []
        if not n:
            return ""
        try:
            self._hold(items, &held, texts)
            # The exact length and widest character first, so that the string is made once, in
            # its final width.
            size = 2 * (n - 1)
            for i in range(n):
                e = held.which[i]
                if e < 0:
                    size += PyUnicode_GET_LENGTH(texts[-1 - e])
                    widest = max(widest, PyUnicode_MAX_CHAR_VALUE(texts[-1 - e]))
                    continue
                size += self.lengths[e]
                widest = max(widest, self.widest[e])
                for k in range(i * n_own, (i + 1) * n_own):
                    value = held.values[k]
                    if <object> value is None:
                        size += 4
                    elif type(<object> value) is str:
                        held.facts[k] = _extra(<str> value)
                        size += PyUnicode_GET_LENGTH(<str> value) + 2 + held.facts[k]
                        widest = max(widest, PyUnicode_MAX_CHAR_VALUE(<object> value))
                    else:
                        size += _digits(held.facts[k])
            result = PyUnicode_New(size, widest)
            to = PyUnicode_KIND(result)
            out = <char *> PyUnicode_DATA(result)
            at = 0
            for i in range(n):
                if i:
                    PyUnicode_WRITE(to, out, at, c',')
                    PyUnicode_WRITE(to, out, at + 1, c' ')
                    at += 2
                e = held.which[i]
                if e < 0:
                    at = _put(out, to, at, <str> texts[-1 - e])
                    continue
                j = e * (n_own + 1)
                for k in range(n_own):
                    at = self._piece(out, to, at, j + k)
                    value = held.values[i * n_own + k]
                    if <object> value is None:
                        at = _put(out, to, at, "null")
                    elif type(<object> value) is str:
                        at = _put_escaped(out, to, at, <str> value, held.facts[i * n_own + k])
                    else:
                        at = _put_int(out, to, at, held.facts[i * n_own + k])
                at = self._piece(out, to, at, j + n_own)
            if at != size:
                raise SystemError(f"MatchJson wrote {at} characters of {size}")
            return result
        finally:
            _release(&held)

    def encoded(self, matches):
        """``self(matches).encode()``, written as UTF-8 bytes in the first place."""
        cdef tuple items = matches if type(matches) is tuple else tuple(matches)
        cdef Py_ssize_t n = len(items), n_own = self.n_own, i, j, k, e, size, at, length
        cdef _Held held = _Held(0, NULL, NULL, NULL)
        cdef PyObject *value
        cdef char *out
        cdef const char *utf8 = self.utf8
        cdef list texts = []
        if not n:
            return b""
        try:
            self._hold(items, &held, texts)
            size = 2 * (n - 1)
            for i in range(n):
                e = held.which[i]
                if e < 0:
                    try:
                        texts[-1 - e] = (<str> texts[-1 - e]).encode()
                    except UnicodeEncodeError:  # raised as str.encode raises it, for the whole text
                        return self(items).encode()
                    size += len(texts[-1 - e])
                    continue
                if not self.encodable[e]:
                    return self(items).encode()
                size += self.ulengths[e]
                for k in range(i * n_own, (i + 1) * n_own):
                    value = held.values[k]
                    if <object> value is None:
                        size += 4
                    elif type(<object> value) is str:
                        held.facts[k] = _utf8_length(<str> value)
                        if held.facts[k] < 0:
                            return self(items).encode()
                        size += held.facts[k]
                    else:
                        size += _digits(held.facts[k])
            result = PyBytes_FromStringAndSize(NULL, size)
            out = PyBytes_AS_STRING(result)
            at = 0
            for i in range(n):
                if i:
                    out[at] = c','
                    out[at + 1] = c' '
                    at += 2
                e = held.which[i]
                if e < 0:
                    length = len(texts[-1 - e])
                    memcpy(out + at, <const char *> (<bytes> texts[-1 - e]), length)
                    at += length
                    continue
                j = e * (n_own + 1)
                for k in range(n_own + 1):
                    length = self.ustarts[j + k + 1] - self.ustarts[j + k]
                    memcpy(out + at, utf8 + self.ustarts[j + k], length)
                    at += length
                    if k == n_own:
                        break
                    value = held.values[i * n_own + k]
                    if <object> value is None:
                        memcpy(out + at, b"null", 4)
                        at += 4
                    elif type(<object> value) is str:
                        at = _put_utf8(out, at, <str> value, held.facts[i * n_own + k])
                    else:
                        at = _put_int(out, PyUnicode_1BYTE_KIND, at, held.facts[i * n_own + k])
            if at != size:
                raise SystemError(f"MatchJson wrote {at} bytes of {size}")
            return result
        finally:
            _release(&held)


cdef Py_ssize_t _KEPT = 4096  # texts a VoiceJson keeps of each kind (cleared when full)
cdef enum:
    _NUMBER_SLOTS = 8192  # of a VoiceJson's table of numbers: twice _KEPT, so that a probe ends soon


cdef class VoiceJson:
    """``render(v)``: the JSON of a ``framing.results.VoiceScores``, as
    :meth:`framing.jsonl.JsonRenderer.python_voice` (the twin) writes it.

    Each number is written as ``rounded`` writes it, and kept (an article's evidence takes few
    distinct values); each name as ``quoted`` writes it, and kept. Scores it does not
    read as the scorer makes them (a number that is not a float, a name that is not a str, an
    object of another class) go to ``fallback`` instead.

    Parameters
    ----------
    voice : type
        ``framing.results.VoiceScores``.
    party : type
        ``framing.results.PartyStance``.
    rounded : callable
        The text of a float rounded to 3 digits.
    quoted : callable
        The JSON text of a str.
    fallback : callable
        The twin.
    """

    cdef SlotMaker voice
    cdef SlotMaker party
    # The texts of numbers by their bits (0.0 and -0.0, equal, are written apart): an open
    # addressing table, a float hashed and compared in a few instructions, without an object.
    cdef unsigned long long bits[_NUMBER_SLOTS]
    cdef PyObject *texts[_NUMBER_SLOTS]  # a reference each, or NULL: an empty slot
    cdef Py_ssize_t kept
    cdef dict names  # str: its text
    cdef readonly object rounded
    cdef readonly object quoted
    cdef readonly object fallback

    def __cinit__(self, voice, party, rounded, quoted, fallback):
        self.voice = SlotMaker(voice, ("sides", "parties", "lean"))
        self.party = SlotMaker(party, ("favorable", "unfavorable", "mentions", "stance"))
        self.names = {}
        self.rounded = rounded
        self.quoted = quoted
        self.fallback = fallback

    def __dealloc__(self):
        self._forget()

    def __reduce__(self):
        raise TypeError("a VoiceJson is made again where it is used, not pickled")

    cdef void _forget(self) noexcept:
        cdef Py_ssize_t i
        for i in range(_NUMBER_SLOTS):
            Py_XDECREF(self.texts[i])
            self.texts[i] = NULL
        self.kept = 0

    cdef Py_ssize_t _slot_of(self, unsigned long long bits) noexcept:
        """The slot of ``bits`` in the table, or the empty one where it goes."""
        cdef Py_ssize_t i = <Py_ssize_t> ((bits * 0x9E3779B97F4A7C15ULL) >> 51)  # 13 bits: _NUMBER_SLOTS
        while self.texts[i] is not NULL and self.bits[i] != bits:
            i = (i + 1) & (_NUMBER_SLOTS - 1)
        return i

    cdef str _number(self, double x):
        """``rounded(x)``."""
        cdef unsigned long long bits
        cdef Py_ssize_t i
        memcpy(&bits, &x, sizeof(bits))
        i = self._slot_of(bits)
        if self.texts[i] is not NULL:
            return <str> <object> self.texts[i]
        text = self.rounded(x)
        if type(text) is not str:
            raise TypeError(f"rounded must give a str. Got {type(text).__name__} instead")
        if self.kept >= _KEPT:
            self._forget()
        i = self._slot_of(bits)  # again: rounded ran Python code
        Py_INCREF(text)
        self.texts[i] = <PyObject *> text
        self.bits[i] = bits
        self.kept += 1
        return text

    cdef str _name(self, object name):
        """``quoted(name)``, or ``"null"`` for None; None for anything else."""
        cdef PyObject *found
        if name is None:
            return "null"
        if type(name) is not str:
            return None
        found = PyDict_GetItemWithError(self.names, name)
        if found is not NULL:
            return <str> <object> found
        if len(self.names) >= _KEPT:
            self.names.clear()
        text = self.quoted(name)
        self.names[name] = text
        return text

    def __call__(self, v):
        cdef SlotMaker voice = self.voice, party = self.party
        cdef PyObject *sides
        cdef PyObject *parties
        cdef PyObject *lean
        cdef PyObject *favorable
        cdef PyObject *unfavorable
        cdef PyObject *mentions
        cdef PyObject *stance
        cdef double f, u
        cdef bint first
        if type(v) is not <object> voice.cls:
            return self.fallback(v)
        sides = _slot(v, voice.offsets[0])
        parties = _slot(v, voice.offsets[1])
        lean = _slot(v, voice.offsets[2])
        if sides is NULL or parties is NULL or lean is NULL or type(<object> sides) is not dict or \
                type(<object> parties) is not dict:
            return self.fallback(v)
        text = self._name(<object> lean)
        if text is None:
            return self.fallback(v)
        out = ['{"lean": ', text, ', "sides": {']
        first = True
        for name, x in (<dict> <object> sides).items():
            if type(name) is not str or type(x) is not float:
                return self.fallback(v)
            if not first:
                out.append(", ")
            first = False
            out.append(self._name(name))
            out.append(": ")
            out.append(self._number(PyFloat_AS_DOUBLE(x)))
        out.append('}, "parties": {')
        first = True
        for name, p in (<dict> <object> parties).items():
            if type(name) is not str or type(p) is not <object> party.cls:
                return self.fallback(v)
            favorable = _slot(p, party.offsets[0])
            unfavorable = _slot(p, party.offsets[1])
            mentions = _slot(p, party.offsets[2])
            stance = _slot(p, party.offsets[3])
            if favorable is NULL or unfavorable is NULL or mentions is NULL or stance is NULL or \
                    type(<object> favorable) is not float or type(<object> unfavorable) is not float or \
                    type(<object> mentions) is not int:
                return self.fallback(v)
            text = self._name(<object> stance)
            if text is None:
                return self.fallback(v)
            f, u = PyFloat_AS_DOUBLE(<object> favorable), PyFloat_AS_DOUBLE(<object> unfavorable)
            if not first:
                out.append(", ")
            first = False
            # PartyStance.to_dict writes zeros unrounded: round leaves a zero as it is.
            out += [self._name(name), ': {"favorable": ', self._number(f), ', "unfavorable": ', self._number(u),
                    ', "net": ', self._number(f - u), ', "mentions": ', repr(<object> mentions),
                    ', "stance": ', text, "}"]
        out.append("}}")
        return "".join(out)
