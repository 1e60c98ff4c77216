# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The per-match core of scoring in C, each piece with a Python twin that runs when this module
was not compiled (no C compiler at install); the tests check that both give the same results.

* :class:`CompiledScan`: :meth:`framing.matcher.Matcher.find`, every key in the text kept when it
  is a whole word up to the proclitics and enclitics its spelling may take (the twin:
  :class:`framing.matcher.PythonScan`, over pyahocorasick's automaton). The automaton here is a
  full DFA over the letters of the keys: one table lookup per character of the text, read from the
  text's own array. Hits are C structs, checked, sorted and resolved in C, and the ones kept stay a
  C array, a :class:`Hits`, which the compiled rules below read: no Python object is made per hit.
* :func:`distinct_chars`: the characters of the keys, each once, that size the automaton's table
  (``sorted(set(...))`` of their characters made a str object per character: a third of the time
  building a Scorer took).
* :class:`SlotMaker`: builds an instance of a slotted class (a frozen ``Match``) by writing its
  slots directly (the twin: :func:`framing.results.make_match`).
* :class:`TargetRules`: every attachment rule of :mod:`framing.attach` for one article, from the
  scan's hits to its matches, on C arrays with no working mention object (the twin:
  :class:`framing.scorer.PythonTargetRules`, the chain of ``framing.attach``'s functions).
* :func:`word_count`: how many words ``str.split`` would give, without making them (the twin:
  ``framing.scorer._word_count``).
* :func:`flat_record`: a corpus line of one flat JSON object parsed from its UTF-8 bytes, in one
  pass, or None for anything else (the twin: ``framing.corpus.parse_line``'s decoding and
  ``json.loads``, which then read the line as before).
* :func:`named_starts`: where an article's hits naming a party or camp start, the names the
  headline rule reads (the twin: ``framing.scorer.python_named_starts``).
* :func:`with_spoken`: an article's hits with the reporting verbs that are terms («زعم») among
  them (the twin: ``framing.matcher.python_with_spoken``).
* :func:`more_words` and :func:`punctuated`: whether the gap between two mentions holds more
  than so many words, or punctuation (the twins: ``framing.attach.python_more_words`` and
  ``python_punctuated``), reading the text's own array rather than a slice or a regex.
* :func:`holds_any`: whether part of a text holds one of some strings, before a regular
  expression that needs one is searched there (the twin: ``framing.attach.python_holds_any``).
* :class:`EvidenceSums`: the evidence of an article's matches summed per party and side (the
  twin: :class:`framing.scorer.PythonEvidenceSums`).
* :class:`Reader`: the reading of an article's matches, the narrator's scores, the article's
  reading and its basis, and all voices' scores, summed in C arrays float for float as its twin
  sums them (the twin: :class:`framing.scorer.PythonReading`).
* :func:`anchored_spans`: the original spans of an article's hits (the twin:
  :func:`framing.normalize.python_anchored_spans`).
* :class:`Normalizer` and :class:`Normalized`: :func:`framing.normalize.normalize` in one pass
  over the text's own array, its tables built from ``normalize.py``'s own, and the normalised
  text with its offset map as a C array (the twins: :func:`framing.normalize.python_normalize`
  and :class:`framing.normalize.PythonNormalized`).
* :class:`Quotations` (rule 1 of :mod:`framing.voice`, quotation marks and their verbs),
  :class:`NamingRule` (rule 5), :func:`headlines` (rule 6), :func:`covered`, :func:`covered_of`,
  :func:`merge_spans` and :class:`Paraphrase` (the twins, in ``framing.voice``:
  ``PythonQuotations``, ``python_described``, ``python_headlines``, ``python_covered``,
  ``python_covered_of``, ``python_merge_spans`` and ``PythonParaphrase``).
* :class:`ReportedSpeech`: rule 2 of :mod:`framing.voice`, reported speech after a reporting verb
  (the twin: :class:`framing.voice.PythonReportedSpeech`).
* :class:`SentenceEnds`: where sentences end (the twin: :class:`framing.voice.PythonSentenceEnds`).
* :class:`StatementCuts`: each statement's span ended where the next statement is announced, or
  before a distancing tail (the twin: ``framing.voice.python_cut_at_statements``, three regular
  expressions searched span by span).
* :class:`CharPositions`: where a set of characters is in a text, in one pass over it, skipping
  blocks of 16 letters and spaces (the twin: :class:`framing.normalize.PythonCharPositions`, a
  regular expression, which tests each character against a class several times slower).
* :class:`MatchJson`: the JSON of an article's matches, written in one buffer (the twin:
  :meth:`framing.jsonl.JsonRenderer.python_matches`).
* :class:`VoiceJson`: the JSON of a voice's scores (the twin:
  :meth:`framing.jsonl.JsonRenderer.python_voice`).
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.list cimport PyList_GET_ITEM
from cpython.long cimport PyLong_AsLongLongAndOverflow, PyLong_AsSsize_t, PyLong_FromLongLong
from cpython.mem cimport PyMem_Calloc, PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF, Py_XDECREF, Py_XINCREF
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_New, PyTuple_SET_ITEM
from cpython.unicode cimport (
    PyUnicode_GET_LENGTH,
    PyUnicode_New,
    PyUnicode_WRITE,
    PyUnicode_1BYTE_DATA,
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_DATA,
    PyUnicode_2BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_FromKindAndData,
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
from libc.math cimport copysign, fabs, fma, llrint
from libc.stdlib cimport qsort
from libc.string cimport memcmp, memcpy, memset


cdef extern from "structmember.h":
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
    int T_OBJECT_EX


cdef extern from "Python.h":
    Py_ssize_t PyUnicode_Tailmatch(object, object, Py_ssize_t, Py_ssize_t, int) except -1
    ctypedef struct PyMemberDescrObject:
        PyMemberDef *d_member
    PyTypeObject PyMemberDescr_Type
    object PyType_GenericAlloc(PyTypeObject *, Py_ssize_t)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object)
    bint PyUnicode_IS_ASCII(object)
    double PyFloat_AS_DOUBLE(object)
    PyObject *PyDict_GetItemWithError(object, object) except? NULL
    str PyUnicode_DecodeASCII(const char *, Py_ssize_t, const char *)
    PyObject *_new_bytes "PyBytes_FromStringAndSize"(const char *, Py_ssize_t) except NULL
    int _PyBytes_Resize(PyObject **, Py_ssize_t) except -1
    int PyDict_SetItem(object, object, object) except -1  # also on a subclass, past its __setitem__


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


ctypedef fused _split_char:  # a text's own array, as _split_words reads it
    Py_UCS1
    Py_UCS2


cdef inline unsigned char _split_space(unsigned short ch) noexcept:
    """Whether ``str.split`` separates words at ``ch`` (Unicode's white space, which Python reads
    from its table: ``test_word_count_agrees_with_split_on_every_character`` checks this list
    against every code point). In 16 bits, a character below a range wraps around above it."""
    return ((<unsigned short> (ch - 0x09) <= 0x0D - 0x09) | (<unsigned short> (ch - 0x1C) <= 0x20 - 0x1C)
            | (ch == 0x85) | (ch == 0xA0) | (ch == 0x1680) | (<unsigned short> (ch - 0x2000) <= 0x200A - 0x2000)
            | (<unsigned short> (ch - 0x2028) <= 1) | (ch == 0x202F) | (ch == 0x205F) | (ch == 0x3000))


cdef Py_ssize_t _split_words(const _split_char *data, Py_ssize_t n) noexcept:
    """How many words ``str.split`` finds in ``data[:n]``: how many characters that are not white
    space follow white space (or start the text). A block of characters at a time, each loop
    without a branch, so that the compiler reads eight characters at a time: a branch on each
    character would be mispredicted at every word's ends."""
    cdef unsigned char spaces[257]  # spaces[1 + k]: whether character k of the block is white space
    cdef Py_ssize_t start, size, k, total = 0
    cdef unsigned short count  # at most 256 a block
    spaces[0] = 1  # the text starts after white space
    for start in range(0, n, 256):
        size = min(n - start, 256)
        for k in range(size):
            spaces[1 + k] = _split_space(data[start + k])
        count = 0
        for k in range(size):
            count += spaces[k] & (spaces[1 + k] ^ 1)
        total += count
        spaces[0] = spaces[size]  # the block's last character, before the next block
    return total


def word_count(str text not None):
    """``len(text.split())``, without making the words (the twin: ``framing.scorer._word_count``)."""
    cdef Py_ssize_t n = len(text)
    cdef unsigned int kind = PyUnicode_KIND(text)
    if kind == PyUnicode_2BYTE_KIND:  # Arabic text
        return _split_words(<const Py_UCS2 *> PyUnicode_DATA(text), n)
    if kind == PyUnicode_1BYTE_KIND:
        return _split_words(<const Py_UCS1 *> PyUnicode_DATA(text), n)
    return _words(text, 0, n, n)


# --- a corpus line of one flat JSON object -------------------------------------------------------

cdef object _UNREAD = object()  # a value the fast path leaves to json.loads (None is JSON's null)


cdef inline Py_ssize_t _json_space(const unsigned char *s, Py_ssize_t n, Py_ssize_t i) noexcept:
    """The first position from ``i`` that is not JSON whitespace (json's own four characters)."""
    while i < n and (s[i] == 0x20 or s[i] == 0x0A or s[i] == 0x0D or s[i] == 0x09):
        i += 1
    return i


cdef inline int _hex_digit(unsigned char c) noexcept:
    if 0x30 <= c <= 0x39:
        return c - 0x30
    if 0x61 <= c <= 0x66:
        return c - 0x57
    if 0x41 <= c <= 0x46:
        return c - 0x37
    return -1


cdef object _json_text(const unsigned char *s, Py_ssize_t n, Py_ssize_t *at, Py_UCS2 *buf):
    """The str of the JSON string whose opening quote is at ``s[at[0]]``, ``at[0]`` then past its
    closing quote; :data:`_UNREAD` for one the fast path leaves to json.loads: a character beyond
    the Basic Multilingual Plane, an escape of half of one (json pairs them, or refuses a lone one),
    or what json refuses (a control character, an unknown escape, bytes that are not UTF-8)."""
    cdef Py_ssize_t i = at[0] + 1, o = 0, k
    cdef unsigned char c, c2, c3
    cdef unsigned int code  # not a Py_UCS4, which Cython would add to as a str
    cdef int digit
    while i < n:
        # Most of a text: letters of two bytes (Arabic) and printable ASCII (spaces); anything else
        # is read below, one character at a time.
        while i + 1 < n:
            c = s[i]
            if <unsigned int> (c - 0xC2) <= 0xDF - 0xC2:
                c2 = s[i + 1]
                if (c2 & 0xC0) != 0x80:
                    break
                buf[o] = ((c & 0x1F) << 6) | (c2 & 0x3F)
                i += 2
            elif <unsigned int> (c - 0x20) < 0x80 - 0x20 and c != 0x22 and c != 0x5C:
                buf[o] = c
                i += 1
            else:
                break
            o += 1
        if i >= n:
            break
        c = s[i]
        if c >= 0x80:
            c2 = s[i + 1] if i + 1 < n else 0
            if 0xC2 <= c <= 0xDF and (c2 & 0xC0) == 0x80:
                buf[o] = ((c & 0x1F) << 6) | (c2 & 0x3F)
                i += 2
            elif (0xE0 <= c <= 0xEF and i + 2 < n and (c2 & 0xC0) == 0x80 and (s[i + 2] & 0xC0) == 0x80
                  and not (c == 0xE0 and c2 < 0xA0)  # a longer form than the character needs
                  and not (c == 0xED and c2 >= 0xA0)):  # a surrogate: not UTF-8
                c3 = s[i + 2]
                buf[o] = ((c & 0x0F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F)
                i += 3
            else:
                return _UNREAD
            o += 1
        elif c == 0x22:  # "
            at[0] = i + 1
            # From UCS-2: the str made in its narrowest kind, as the decoder makes it.
            return PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, buf, o)
        elif c == 0x5C:  # \
            c2 = s[i + 1] if i + 1 < n else 0
            if c2 == 0x75:  # \uXXXX
                if i + 5 >= n:
                    return _UNREAD
                code = 0
                for k in range(i + 2, i + 6):
                    digit = _hex_digit(s[k])
                    if digit < 0:
                        return _UNREAD
                    code = code * 16 + digit
                if 0xD800 <= code <= 0xDFFF:
                    return _UNREAD
                buf[o] = code
                i += 6
            else:
                if c2 == 0x22 or c2 == 0x5C or c2 == 0x2F:
                    buf[o] = c2
                elif c2 == 0x6E:
                    buf[o] = 0x0A
                elif c2 == 0x74:
                    buf[o] = 0x09
                elif c2 == 0x72:
                    buf[o] = 0x0D
                elif c2 == 0x62:
                    buf[o] = 0x08
                elif c2 == 0x66:
                    buf[o] = 0x0C
                else:
                    return _UNREAD
                i += 2
            o += 1
        elif c < 0x20:  # a control character: json refuses it in a string
            return _UNREAD
        else:
            buf[o] = c
            o += 1
            i += 1
    return _UNREAD  # no closing quote


cdef object _json_scalar(const unsigned char *s, Py_ssize_t n, Py_ssize_t *at, Py_UCS2 *buf):
    """The value at ``s[at[0]]`` when it is a string, an integer of at most 18 digits, true, false
    or null (``at[0]`` then past it); :data:`_UNREAD` for anything else (a float, a longer integer,
    an object or a list, NaN, invalid JSON)."""
    cdef Py_ssize_t i = at[0], start
    cdef long long value = 0
    cdef bint negative
    if i >= n:
        return _UNREAD
    if s[i] == 0x22:
        return _json_text(s, n, at, buf)
    if n - i >= 4 and memcmp(s + i, b"true", 4) == 0:
        at[0] = i + 4
        return True
    if n - i >= 5 and memcmp(s + i, b"false", 5) == 0:
        at[0] = i + 5
        return False
    if n - i >= 4 and memcmp(s + i, b"null", 4) == 0:
        at[0] = i + 4
        return None
    negative = s[i] == 0x2D
    if negative:
        i += 1
    start = i
    while i < n and 0x30 <= s[i] <= 0x39 and i - start < 18:
        value = value * 10 + (s[i] - 0x30)
        i += 1
    if i == start or (s[start] == 0x30 and i - start > 1):  # no digit; a leading zero, which JSON refuses
        return _UNREAD
    if i < n and (0x30 <= s[i] <= 0x39 or s[i] == 0x2E or s[i] == 0x65 or s[i] == 0x45):  # longer; a float
        return _UNREAD
    at[0] = i
    return PyLong_FromLongLong(-value if negative else value)


def flat_record(bytes data not None):
    """The dict ``json.loads(data.decode())`` gives for a line of one JSON object whose values are
    strings, integers of at most 18 digits, true, false or null, and whose characters are all in
    the Basic Multilingual Plane: decoded and parsed in one pass over the bytes, each string made
    once. None for any other line (blank, a byte-order mark, a float, a nested value, an astral
    character, invalid UTF-8 or JSON ...): :func:`framing.corpus.parse_line` reads it as before,
    and reports what is wrong with it. Decoded, then parsed, each line was read twice, and its
    text made twice."""
    cdef const unsigned char *s = <const unsigned char *> PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    # A string of the line has fewer characters than the line has bytes.
    cdef Py_UCS2 *buf = <Py_UCS2 *> PyMem_Malloc(max(n, 1) * sizeof(Py_UCS2))
    if not buf:
        raise MemoryError()
    try:
        return _flat_record(s, n, buf)
    finally:
        PyMem_Free(buf)


cdef object _flat_record(const unsigned char *s, Py_ssize_t n, Py_UCS2 *buf):
    cdef dict record = {}
    cdef object key, value
    cdef Py_ssize_t i = _json_space(s, n, 0)
    if i >= n or s[i] != 0x7B:  # {
        return None
    i = _json_space(s, n, i + 1)
    if i < n and s[i] == 0x7D:  # }
        return record if _json_space(s, n, i + 1) == n else None
    while True:
        if i >= n or s[i] != 0x22:
            return None
        key = _json_text(s, n, &i, buf)
        if key is _UNREAD:
            return None
        i = _json_space(s, n, i)
        if i >= n or s[i] != 0x3A:  # :
            return None
        i = _json_space(s, n, i + 1)
        value = _json_scalar(s, n, &i, buf)
        if value is _UNREAD:
            return None
        record[key] = value  # a key given twice keeps its first place and its last value, as in json
        i = _json_space(s, n, i)
        if i < n and s[i] == 0x2C:  # ,
            i = _json_space(s, n, i + 1)
        elif i < n and s[i] == 0x7D:
            return record if _json_space(s, n, i + 1) == n else None
        else:
            return None


cdef inline bint _plural_verb(unsigned int kind, void *data, Py_ssize_t length, Py_ssize_t start,
                              Py_ssize_t end) noexcept:
    """``attach._plural_verb``: whether the first word of ``[start, end)`` ends in «وا»."""
    cdef Py_ssize_t j, stop = min(end, length)
    for j in range(max(start, 0), stop):
        if PyUnicode_READ(kind, data, j) == u" ":
            stop = j
            break
    return (stop - start >= 2 and PyUnicode_READ(kind, data, stop - 1) == u"ا"
            and PyUnicode_READ(kind, data, stop - 2) == u"و")


cdef inline bint _more(str text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t limit) noexcept:
    """:func:`more_words`, without a Python call (the attachment rules test many gaps)."""
    return limit < 0 or _words(text, start, end, limit) > limit


cdef struct ScanHit:
    Py_ssize_t start
    Py_ssize_t end  # past the enclitic
    Py_ssize_t length  # of the enclitic
    Py_ssize_t index
    int enclitic  # its place among the enclitics sorted as strings; -1: none
    bint definite


cdef class Hits:
    """An article's hits, as :meth:`framing.matcher.Matcher.find` gives them: a sequence of
    ``(start, end, entry_index, enclitic, definite)``, held in a C array.

    :class:`CompiledScan` writes its hits here, and the compiled rules that read them
    (:func:`with_spoken`, :func:`named_starts`, :class:`TargetRules`) read the array: no Python
    tuple or integer is made per hit between the scan and the matches (making and reading them
    was a tenth of ``Scorer.score``). Python code reads a ``Hits`` as it reads the list of tuples
    the twin (:class:`framing.matcher.PythonScan`) gives, each tuple made as it is read; ``list``
    of one is that list, and :meth:`of` makes one of such a list.
    """

    cdef ScanHit *items  # start, end, index, enclitic (-1: none) and definite of each; length unused
    cdef Py_ssize_t n, capacity
    cdef tuple enclitics  # each enclitic's string, at its number in items

    def __dealloc__(self):
        PyMem_Free(self.items)

    def __reduce__(self):
        return Hits.of, (list(self),)

    @staticmethod
    def of(hits):
        """The ``Hits`` of a sequence of ``(start, end, entry_index, enclitic, definite)``."""
        cdef Hits out = Hits.__new__(Hits)
        cdef ScanHit *hit
        cdef dict numbers = {}
        cdef Py_ssize_t k
        hits = _list(hits)
        out._reserve(len(hits))
        for k in range(len(hits)):
            start, end, index, enclitic, definite = hits[k]
            hit = &out.items[k]
            hit.start, hit.end, hit.index, hit.length = start, end, index, 0
            if not <str?> enclitic:
                hit.enclitic = -1
            else:
                hit.enclitic = numbers.setdefault(enclitic, len(numbers))
            hit.definite = bool(definite)
            out.n = k + 1
        out.enclitics = tuple(numbers)
        return out

    cdef int _reserve(self, Py_ssize_t n) except -1:
        """Room for ``n`` hits."""
        cdef void *grown
        cdef Py_ssize_t capacity = max(n, 2 * self.capacity, 1)
        if n > self.capacity:
            grown = PyMem_Realloc(self.items, capacity * sizeof(ScanHit))
            if not grown:
                raise MemoryError()
            self.items, self.capacity = <ScanHit *> grown, capacity
        return 0

    cdef inline str _enclitic(self, const ScanHit *hit):
        return self.enclitics[hit.enclitic] if hit.enclitic >= 0 else ""

    cdef tuple _tuple(self, Py_ssize_t k):
        cdef const ScanHit *hit = &self.items[k]
        return (hit.start, hit.end, hit.index, self._enclitic(hit), True if hit.definite else False)

    def __len__(self):
        return self.n

    def __getitem__(self, Py_ssize_t k):
        if k < 0:
            k += self.n
        if not 0 <= k < self.n:
            raise IndexError("Hits index out of range")
        return self._tuple(k)

    def __iter__(self):
        cdef Py_ssize_t k = 0
        while k < self.n:  # (the length is read again: a hit may be added while it is read)
            yield self._tuple(k)
            k += 1

    def __repr__(self):
        return f"Hits.of({list(self)!r})"


cdef inline Hits _hits(hits):
    """``hits`` as a :class:`Hits` (itself when it is one: the compiled scan's)."""
    return hits if type(hits) is Hits else Hits.of(hits)


def named_starts(hits, bytes named not None):
    """``framing.scorer.python_named_starts`` (its twin, which says what it gives), in C: the
    hits' array is read (:class:`Hits`; another sequence is made one), a Python integer made only
    for the starts given back."""
    cdef Py_ssize_t n = len(named), index, k
    cdef const unsigned char *flags = <const unsigned char *> PyBytes_AS_STRING(named)
    cdef Hits found = _hits(hits)
    out = []
    for k in range(found.n):
        index = found.items[k].index
        if index < 0:
            index += n  # as the twin indexes the bytes
        if not 0 <= index < n:
            raise IndexError("index out of range")
        if flags[index]:
            out.append(found.items[k].start)
    return out


cdef inline bint _same_at(unsigned int kind, const void *data, Py_ssize_t at, str word, Py_ssize_t size) noexcept:
    """Whether ``word`` (``size`` characters) is in a text at ``at`` (room for it checked): what
    ``str.startswith`` tests, without its call and its checks (a tenth of the cost for the few
    words a verb is tested against)."""
    cdef unsigned int wkind = PyUnicode_KIND(word)
    cdef const void *wdata = PyUnicode_DATA(word)
    cdef Py_ssize_t j
    for j in range(size):
        if PyUnicode_READ(kind, data, at + j) != PyUnicode_READ(wkind, wdata, j):
            return False
    return True


cdef int _compare_hit_starts(const void *a, const void *b) noexcept nogil:
    cdef Py_ssize_t x = (<const ScanHit *> a).start, y = (<const ScanHit *> b).start
    return (x > y) - (x < y)


def with_spoken(str text not None, Hits hits not None, verbs, dict spoken not None, tuple starts not None):
    """``framing.matcher.python_with_spoken`` (its twin, which says what it gives), in C, on the
    compiled scan's :class:`Hits` (in place, as the twin's list): a verb's word is read only after
    one of ``starts`` is found at it, without a pattern, and its place among the hits is found by
    their starts alone. The verbs' hits are gathered, then merged with the others in one pass from
    the end: put in one at a time, each moved every hit after it, and a long record took time
    growing with the square of its length (``benchmarks/bench_record.py``)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), start, end, lo, hi, mid, k, size, m = 0, capacity = 0, i, j
    cdef unsigned int kind = PyUnicode_KIND(text)
    cdef const void *data = PyUnicode_DATA(text)
    cdef ScanHit *added = NULL
    cdef void *grown
    cdef bint ordered = True
    try:
        for verb in verbs:
            start = verb
            if not 0 <= start < n:
                raise ValueError(f"verbs must be offsets in the text. Got {verb!r} instead")
            for word in starts:
                size = PyUnicode_GET_LENGTH(<str?> word)  # (a word that is no str: a TypeError)
                if start + size <= n and _same_at(kind, data, start, <str> word, size):
                    break
            else:
                continue  # most reporting verbs are no term: no word read
            end = start
            while end < n and _word_char(PyUnicode_READ(kind, data, end)):
                end += 1
            index = spoken.get(text[start:end])
            if index is None:
                continue
            lo, hi = 0, hits.n
            while lo < hi:  # bisect_left(hits, (start,)): the first hit that starts at or after it
                mid = (lo + hi) >> 1
                if hits.items[mid].start < start:
                    lo = mid + 1
                else:
                    hi = mid
            k = lo
            if (k and hits.items[k - 1].end > start) or (k < hits.n and hits.items[k].start < end):
                continue  # a term's match over the same word wins
            if m == capacity:
                capacity = max(2 * capacity, 8)
                grown = PyMem_Realloc(added, capacity * sizeof(ScanHit))
                if not grown:
                    raise MemoryError()
                added = <ScanHit *> grown
            ordered = ordered and (not m or added[m - 1].start <= start)
            added[m].start, added[m].end, added[m].index = start, end, index
            added[m].length, added[m].enclitic, added[m].definite = 0, -1, False
            m += 1
        if not m:
            return hits
        if not ordered:  # the scan gives its markers in order; a caller's own list may not
            qsort(added, m, sizeof(ScanHit), _compare_hit_starts)
        # One hit a word, the first, as when each was put in after the ones before it.
        j = 0
        for i in range(m):
            if not j or added[i].start >= added[j - 1].end:
                added[j] = added[i]
                j += 1
        m = j
        hits._reserve(hits.n + m)
        i, j, k = hits.n - 1, m - 1, hits.n + m - 1
        while j >= 0:  # from the end, so that no hit is overwritten before it is moved
            if i >= 0 and hits.items[i].start > added[j].start:
                hits.items[k] = hits.items[i]
                i -= 1
            else:
                hits.items[k] = added[j]
                j -= 1
            k -= 1
        hits.n += m
        return hits
    finally:
        PyMem_Free(added)


def more_words(str text not None, Py_ssize_t start, Py_ssize_t end, Py_ssize_t limit):
    """Whether ``text[start:end]`` (offsets in the text) has more than ``limit`` words, as
    :meth:`str.split` separates them, reading at most ``limit + 1`` of them (the twin:
    ``framing.attach.python_more_words``)."""
    return _more(text, start, end, limit)


cdef bint _punctuated_at(unsigned int kind, void *data, Py_ssize_t length, Py_ssize_t start,
                         Py_ssize_t end) noexcept:
    """:func:`punctuated` on a text's array: the attachment rules (TargetRules) test many gaps of
    one article, and read its array once."""
    cdef Py_ssize_t i
    cdef Py_UCS4 ch
    for i in range(max(start, 0), min(end, length)):
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


def punctuated(str text not None, Py_ssize_t start, Py_ssize_t end):
    """Whether ``text[start:end]`` (offsets in the text) holds a digit or a character that is
    neither a word character, white space nor a quotation mark, as ``re`` reads
    ``[^\\w\\s«»“”"„]|\\d`` (the twin: ``framing.attach.python_punctuated``)."""
    return _punctuated_at(PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), start, end)


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

    def __init__(self, str chars not None):
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

    def positions(self, str text not None):
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


#: The slots of ``framing.results.Match``, in the order the classes here read and write them.
MATCH_SLOTS = ("start", "end", "text", "term", "kind", "target", "polarity", "category", "weight", "voice", "rule",
               "speaker", "source")
# Indexes into MATCH_SLOTS.
cdef enum:
    _MATCH_START = 0
    _MATCH_END = 1
    _MATCH_TEXT = 2
    _MATCH_KIND = 4
    _MATCH_TARGET = 5
    _MATCH_POLARITY = 6
    _MATCH_WEIGHT = 8
    _MATCH_VOICE = 9
    _MATCH_RULE = 10
    _MATCH_SPEAKER = 11
    _MATCH_SOURCE = 12
    _N_MATCH_SLOTS = 13

# The slots of a match that are its entry's, in the order of TargetRules.fields; and per slot of
# MATCH_SLOTS its place there (-1: the match's own).
_ENTRY_FIELDS = ("term", "kind", "polarity", "category", "weight", "source")
cdef Py_ssize_t _FIELD_OF_SLOT[_N_MATCH_SLOTS]
_FIELD_OF_SLOT[:] = [_ENTRY_FIELDS.index(name) if name in _ENTRY_FIELDS else -1 for name in MATCH_SLOTS]
assert len(MATCH_SLOTS) == _N_MATCH_SLOTS and MATCH_SLOTS[_MATCH_TEXT] == "text" and MATCH_SLOTS[_MATCH_SOURCE] == "source"


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


# The attachment rules of one article (framing.attach) on C arrays: TargetRules, and what it reads.

cdef enum:  # Entry.kind
    _K_OTHER = 0
    _K_ACTOR = 1
    _K_EVALUATIVE = 2
    _K_NAMING = 3
cdef enum:  # Entry.attach
    _A_OTHER = 0
    _A_NOUN = 1
    _A_ADJ = 2
cdef enum:  # Entry.polarity (-1: None)
    _P_FAVORABLE = 0
    _P_UNFAVORABLE = 1
cdef enum:  # a hit's enclitic
    _SUFFIX_NONE = 0
    _SUFFIX_3RD = 1  # attach.POSSESSIVE_3RD
    _SUFFIX_1ST = 2  # attach.POSSESSIVE_1ST
    _SUFFIX_OTHER = 3
cdef enum:  # a match's rule: an index into _RULE_NAMES
    _R_NONE = 0
    _R_NAMED = 1
    _R_POSSESSIVE = 2
    _R_SPEAKER = 3
    _R_CONSTRUCT = 4
    _R_ADJECTIVE = 5
    _R_AGENT = 6
    _R_AFFILIATION = 7
    _R_ANAPHORA = 8
    _R_NEAREST = 9
    _R_ARTICLE = 10
    _R_SUBJECT = 11
    _R_BARE = 12

_RULE_NAMES = (None, "named", "possessive", "speaker", "construct", "adjective", "agent", "affiliation",
               "anaphora", "nearest", "article", "subject", "bare")


cdef struct _RuleEntry:  # what the rules read of a lexicon entry
    Py_ssize_t party  # index into TargetRules.parties, -1 for None
    Py_ssize_t bare  # Entry.bare: the same
    Py_ssize_t term  # one number per distinct Entry.term (the anaphora rule's key)
    int kind
    int attach
    int polarity
    double weight
    bint waw  # one of its forms starts with «و» (the nearest rule's test of coordination)
    bint self_name  # attach.self_name: a name a camp gives itself («الجيش الليبي»)


cdef struct _Mention:  # a working mention (attach.Mention)
    Py_ssize_t start, end, index, sentence, quote
    Py_ssize_t prev, next  # the nearest mention naming a party before and after, same scope; -1: none
    Py_ssize_t target  # index into TargetRules.parties, -1 for None
    int suffix
    int rule
    bint definite


cdef inline void _fill(PyObject *instance, Py_ssize_t offset, PyObject *value) noexcept:
    """Slot ``offset`` of a new ``instance`` (empty, as :meth:`SlotMaker.new` makes it) is ``value``
    (a reference of its own added: ``value`` may be borrowed)."""
    Py_INCREF(<object> value)
    (<PyObject **> ((<char *> instance) + offset))[0] = value


cdef inline list _list(items):
    """``items`` as a list (itself when it is one)."""
    return items if type(items) is list else list(items)


cdef inline bint _same_scope(const _Mention *a, const _Mention *b) noexcept:
    """``a.scope == b.scope``: one sentence and one voice."""
    return a.sentence == b.sentence and a.quote == b.quote


cdef class _StemSet:
    """:func:`holds_any` for one fixed tuple of stems, read once (the rules test the same three
    tuples many times an article): each text character is looked up in a table of the stems'
    first characters, and only the stems that start with it are compared."""

    cdef Py_UCS4 *chars  # the stems one after another
    cdef Py_ssize_t *bounds  # stem k is chars[bounds[k]:bounds[k + 1]]
    cdef Py_ssize_t *after  # the next stem with the same first character modulo 64, or -1
    cdef Py_ssize_t heads[64]  # per first character modulo 64, the first stem starting so, or -1
    cdef Py_ssize_t n
    cdef bint empty  # an empty stem is in every string

    def __cinit__(self, tuple stems):
        cdef Py_ssize_t k, j, at = 0, bit
        cdef str stem
        self.n = len(stems)
        self.chars = <Py_UCS4 *> PyMem_Malloc(max(sum([len(s) for s in stems]), 1) * sizeof(Py_UCS4))
        self.bounds = <Py_ssize_t *> PyMem_Malloc((2 * self.n + 1) * sizeof(Py_ssize_t))
        if not (self.chars and self.bounds):
            raise MemoryError()
        self.after = self.bounds + self.n + 1
        for bit in range(64):
            self.heads[bit] = -1
        for k in range(self.n - 1, -1, -1):  # backwards: each list in the stems' order
            stem = stems[k]
            self.after[k] = -1
            if not stem:
                self.empty = True
                continue
            bit = <unsigned int> stem[0] & 63
            self.after[k] = self.heads[bit]
            self.heads[bit] = k
        for k in range(self.n):
            stem = stems[k]
            self.bounds[k] = at
            for j in range(len(stem)):
                self.chars[at] = stem[j]
                at += 1
        self.bounds[self.n] = at

    def __dealloc__(self):
        PyMem_Free(self.chars)
        PyMem_Free(self.bounds)

    cdef bint within(self, unsigned int kind, void *data, Py_ssize_t length, Py_ssize_t start,
                     Py_ssize_t end) noexcept:
        """Whether the text's ``[start:end]`` holds one of the stems."""
        if self.empty:
            return True
        cdef Py_ssize_t i, j, k, a, size
        cdef unsigned int ch  # a number, not a Py_UCS4, which Cython would read as a str in ch & 63
        cdef const Py_UCS2 *wide = <const Py_UCS2 *> data
        end = min(end, length)
        for i in range(max(start, 0), end):
            # Arabic text is an array of two-byte characters: read as such, not kind by kind.
            ch = wide[i] if kind == PyUnicode_2BYTE_KIND else <unsigned int> PyUnicode_READ(kind, data, i)
            k = self.heads[ch & 63]
            while k >= 0:
                a = self.bounds[k]
                size = self.bounds[k + 1] - a
                if self.chars[a] == ch and i + size <= end:
                    for j in range(1, size):
                        if <unsigned int> PyUnicode_READ(kind, data, i + j) != self.chars[a + j]:
                            break
                    else:
                        return True
                k = self.after[k]
        return False


def holds_any(str text not None, Py_ssize_t start, Py_ssize_t end, tuple stems):
    """Whether ``text[start:end]`` (offsets in the text) holds one of ``stems`` (the twin:
    ``framing.attach.python_holds_any``): :class:`_StemSet`'s test, for stems given once."""
    cdef _StemSet found = _StemSet(stems)
    return found.within(PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), start, end)


cdef struct _Article:  # one call's working state
    _Mention *said
    Py_ssize_t n
    Py_ssize_t *speakers  # per quotation, its speaker (a party index) or -1
    Py_ssize_t n_quotes
    unsigned int kind  # the normalised text's array
    void *data
    Py_ssize_t length


cdef inline bint _preposed(const _Article *a, Py_ssize_t start) noexcept:
    """:func:`framing.attach.preposed` of the article's text at ``start``."""
    cdef Py_ssize_t at = start
    cdef Py_UCS4 ch
    if at < a.length:
        ch = PyUnicode_READ(a.kind, a.data, at)
        if ch == 0x0648 or ch == 0x0641:  # و ف, matcher.CONJUNCTIONS
            at += 1
    return not (at + 2 <= a.length and PyUnicode_READ(a.kind, a.data, at) == 0x0627
                and PyUnicode_READ(a.kind, a.data, at + 1) == 0x0644)  # ال


cdef class TargetRules:
    """``rules(norm, hits, quotes, ends, spans)``: an article's matches, each with
    its target, rule, voice and speaker, and the speaker of each quotation -- every rule of
    :mod:`framing.attach` (its module docstring describes them; the comments here name each one),
    run on C arrays: no working ``Mention`` is made, only the ``Match`` objects returned.

    The twin is :class:`framing.scorer.PythonTargetRules` (the functions of :mod:`framing.attach`
    chained), which says what each argument is. Every decision is the twin's, in the same order;
    sums of weights are added in the twin's order, so every float is the same. A lexicon or
    threshold this code does not read as the twin does (a party that is no known party, a
    polarity that is neither favorable nor unfavorable, a threshold that is no float or int...)
    makes every call go to the twin.

    Parameters
    ----------
    twin : PythonTargetRules
        The twin, whose lexicon and thresholds these are.
    match : type
        ``framing.results.Match``; its slots are :data:`MATCH_SLOTS`.
    """

    cdef readonly object twin
    cdef readonly bint compiled  # False: every call goes to the twin
    cdef _RuleEntry *entries
    cdef Py_ssize_t n_entries, n_parties, n_sides
    cdef readonly tuple parties  # the party ids: a target is an index into them
    cdef Py_ssize_t *side_at  # per party, the position of its side in lexicon.sides
    cdef Py_ssize_t *side_party  # per side position, the side's party index
    cdef Py_ssize_t *only_favorable  # per party, the one side counts_for(party, polarity) gives, or -1
    cdef Py_ssize_t *only_unfavorable
    cdef tuple fields  # per entry, its _ENTRY_FIELDS for the match
    cdef SlotMaker match
    cdef Py_ssize_t window, construct_gap, agent_gap
    cdef double direction_min, weak_weight
    cdef object agent, affiliation, perpetrator, prev_word  # attach's regular expressions
    cdef object after_quantifier  # attach.after_quantifier
    cdef object after_reporting_verb  # attach._after_reporting_verb
    cdef object source_subject  # attach.source_subject (its «نقل» case: _source_subject reads the rest)
    cdef frozenset source_nouns, reporting_forms, conveying_forms  # what attach.source_subject reads
    cdef object verb_object  # attach.verb_object
    cdef frozenset object_forms  # attach.OBJECT_FORMS: the verbs verb_object reads at all
    cdef _StemSet agent_stems, affiliation_stems, perpetrator_stems
    cdef frozenset third, first  # attach.POSSESSIVE_3RD and POSSESSIVE_1ST
    cdef object in_paraphrase  # framing.voice.in_paraphrase
    # What a match's target, rule, voice and speaker are: PendingMatches.names, the same tuple for all.
    cdef tuple names
    cdef Py_ssize_t rules_at, voices_at

    def __init__(self, twin, match):
        from framing.attach import (_AFFILIATION, _AFFILIATION_STEMS, _AGENT, _AGENT_STEMS, _PERPETRATOR,
                                    _PERPETRATOR_STEMS, _PREV_WORD, POSSESSIVE_1ST, POSSESSIVE_3RD, _after_reporting_verb,
                                    after_quantifier, source_subject, verb_object,
                                    CONVEYING_FORMS, OBJECT_FORMS, REPORTING_FORMS, SOURCE_NOUNS)
        from framing.voice import in_paraphrase
        self.compiled = False  # until the tables are read
        self.twin = twin
        self.match = SlotMaker(match, MATCH_SLOTS)
        lexicon = twin.lexicon
        entries = tuple(lexicon.entries)
        self.parties = tuple(lexicon.parties)
        sides = tuple(lexicon.sides)
        number = {p: k for k, p in enumerate(self.parties)}
        self.n_entries, self.n_parties, self.n_sides = len(entries), len(self.parties), len(sides)
        self.fields = tuple([tuple([getattr(x, name) for name in _ENTRY_FIELDS]) for x in entries])
        self.agent, self.affiliation, self.perpetrator, self.prev_word = _AGENT, _AFFILIATION, _PERPETRATOR, _PREV_WORD
        self.after_quantifier = after_quantifier  # the bare rule's rare test: its twin, as it is
        self.after_reporting_verb = _after_reporting_verb  # the same, of a speaker's self-name
        self.source_subject = source_subject  # the same, once per statement after «نقل»
        self.source_nouns, self.reporting_forms = SOURCE_NOUNS, REPORTING_FORMS
        self.conveying_forms = CONVEYING_FORMS
        self.verb_object = verb_object  # the same, after the few verbs it reads (object_forms)
        self.object_forms = OBJECT_FORMS
        self.agent_stems = _StemSet(tuple(_AGENT_STEMS))
        self.affiliation_stems = _StemSet(tuple(_AFFILIATION_STEMS))
        self.perpetrator_stems = _StemSet(tuple(_PERPETRATOR_STEMS))
        self.third, self.first = frozenset(POSSESSIVE_3RD), frozenset(POSSESSIVE_1ST)
        self.in_paraphrase = in_paraphrase
        self.names = self.parties + _RULE_NAMES + ("narrator", "quoted")
        self.rules_at, self.voices_at = len(self.parties), len(self.parties) + len(_RULE_NAMES)
        PyMem_Free(self.entries)  # __init__ called again: the tables are made anew
        PyMem_Free(self.side_at)
        PyMem_Free(self.side_party)
        self.entries = <_RuleEntry *> PyMem_Malloc(max(self.n_entries, 1) * sizeof(_RuleEntry))
        self.side_at = <Py_ssize_t *> PyMem_Malloc(max(self.n_parties, 1) * 3 * sizeof(Py_ssize_t))
        self.side_party = <Py_ssize_t *> PyMem_Malloc(max(self.n_sides, 1) * sizeof(Py_ssize_t))
        if not (self.entries and self.side_at and self.side_party):
            raise MemoryError()
        self.only_favorable = self.side_at + max(self.n_parties, 1)
        self.only_unfavorable = self.only_favorable + max(self.n_parties, 1)
        self.compiled = bool(sides) and self._read_tables(twin, lexicon, entries, sides, number)

    cdef bint _read_tables(self, twin, lexicon, tuple entries, tuple sides, dict number) except -1:
        """Fill the C tables; False when the lexicon or the thresholds hold what they cannot."""
        from framing.attach import self_name
        cdef Py_ssize_t k
        cdef _RuleEntry *e
        for name in ("window", "construct_gap", "agent_gap", "direction_min", "weak_weight"):
            value = getattr(twin, name)
            if type(value) not in (int, float) or not -2 ** 53 < value < 2 ** 53 or value != value:
                return False
            if name not in ("direction_min", "weak_weight") and type(value) is not int:
                return False
        self.window, self.construct_gap, self.agent_gap = twin.window, twin.construct_gap, twin.agent_gap
        self.direction_min, self.weak_weight = twin.direction_min, twin.weak_weight
        for k, party in enumerate(self.parties):
            side = lexicon.side_of(party)
            if side not in sides or not isinstance(party, str) or not party:
                return False
            self.side_at[k] = sides.index(side)
            self.only_favorable[k] = self._only(lexicon.counts_for(party, "favorable"), number)
            self.only_unfavorable[k] = self._only(lexicon.counts_for(party, "unfavorable"), number)
        for k, side in enumerate(sides):
            self.side_party[k] = number[side]
        terms = {}
        for k, entry in enumerate(entries):
            e = &self.entries[k]
            if entry.party is not None and entry.party not in number:
                return False
            if entry.bare is not None and entry.bare not in number:
                return False
            if entry.polarity not in (None, "favorable", "unfavorable") or type(entry.weight) not in (int, float):
                return False
            if entry.kind == "naming" and entry.party is None:  # the self-praise test reads its side
                return False
            e.party = -1 if entry.party is None else number[entry.party]
            e.bare = -1 if entry.bare is None else number[entry.bare]
            e.term = terms.setdefault(entry.term, len(terms))
            e.kind = {"actor": _K_ACTOR, "evaluative": _K_EVALUATIVE, "naming": _K_NAMING}.get(entry.kind, _K_OTHER)
            e.attach = {"noun": _A_NOUN, "adj": _A_ADJ}.get(entry.attach, _A_OTHER)
            e.polarity = {"favorable": _P_FAVORABLE, "unfavorable": _P_UNFAVORABLE}.get(entry.polarity, -1)
            e.weight = entry.weight
            if not -2 ** 53 < e.weight < 2 ** 53:
                return False
            e.waw = any([f.startswith("و") for f in entry.forms])
            e.self_name = self_name(entry, self.weak_weight)
        return True

    cdef Py_ssize_t _only(self, tuple sides, dict number) except -2:
        """``attach._only``: the one side of ``sides`` (as a party index), or -1."""
        return number[sides[0]] if len(sides) == 1 else -1

    def __dealloc__(self):
        PyMem_Free(self.entries)
        PyMem_Free(self.side_at)
        PyMem_Free(self.side_party)

    def __reduce__(self):
        raise TypeError("a TargetRules is made again where it is used, not pickled")

    def __call__(self, norm, hits, quotes, ends, spans):
        """:meth:`framing.scorer.PythonTargetRules.__call__`."""
        found, speakers = self.read(norm, hits, quotes, ends, spans)
        return (list((<PendingMatches> found).made()) if type(found) is PendingMatches else found), speakers

    def read(self, norm, hits, quotes, ends, spans):
        """:meth:`__call__`, its matches a :class:`PendingMatches` (the twin's list, when the tables
        were not read)."""
        cdef _Article a
        cdef Py_ssize_t n, n_quotes, k
        cdef str ntext = norm.text
        places = None  # the original spans of a compiled Normalized are read from its anchors
        if not self.compiled:
            return self.twin(norm, hits, quotes, ends, spans)
        # As the pipeline gives them: the compiled scan's Hits, lists (any other sequence is read as one).
        cdef Hits found = _hits(hits)
        quotes, ends = _list(quotes), _list(ends)
        if type(norm) is not Normalized:  # the twin's (PythonNormalized): its spans, as it gives them
            places = _list(norm.spans(found))
        n, n_quotes = found.n, len(quotes)
        a.n, a.n_quotes = n, n_quotes
        a.kind, a.data, a.length = PyUnicode_KIND(ntext), PyUnicode_DATA(ntext), PyUnicode_GET_LENGTH(ntext)
        a.said = <_Mention *> PyMem_Malloc(max(n, 1) * sizeof(_Mention))
        a.speakers = <Py_ssize_t *> PyMem_Malloc(max(n_quotes, 1) * sizeof(Py_ssize_t))
        try:
            if not (a.said and a.speakers):
                raise MemoryError()
            self._mentions(&a, found, quotes, ends)
            self._link(&a)
            self._speakers(&a, quotes, ntext)
            self._attach(&a, ntext)
            self._resolve(&a, ntext)
            speakers = [self.parties[a.speakers[k]] if a.speakers[k] >= 0 else None for k in range(n_quotes)]
            return self._pending(&a, norm, places, spans), speakers
        finally:
            PyMem_Free(a.said)
            PyMem_Free(a.speakers)

    cdef int _mentions(self, _Article *a, Hits hits, list quotes, list ends) except -1:
        """``PythonAssembler.mentions``: each hit's entry, enclitic, sentence and quotation."""
        cdef Py_ssize_t n_quotes = len(quotes), n_ends = len(ends), k, j, index
        cdef Py_ssize_t *starts = NULL
        cdef Py_ssize_t *stops = NULL
        cdef Py_ssize_t *stops_of = NULL
        cdef _Mention *m
        cdef const ScanHit *hit
        try:
            starts = _positions(quotes, 0)
            stops = _positions(quotes, 1)
            stops_of = _positions(ends, -1)
            for k in range(a.n):
                hit = &hits.items[k]
                m = &a.said[k]
                m.start, m.end, index = hit.start, hit.end, hit.index
                if not 0 <= index < self.n_entries:
                    raise IndexError(f"entry index out of range: {index!r}")
                m.index = index
                if hit.enclitic < 0:
                    m.suffix = _SUFFIX_NONE
                else:
                    suffix = hits.enclitics[hit.enclitic]
                    m.suffix = (_SUFFIX_3RD if suffix in self.third
                                else _SUFFIX_1ST if suffix in self.first else _SUFFIX_OTHER)
                m.definite = hit.definite
                m.quote = -1
                if n_quotes:
                    j = _after(starts, n_quotes, m.start) - 1
                    # A name alone in quotation marks is typography, not speech (PythonAssembler).
                    if j >= 0 and m.start < stops[j] and not (self.entries[index].kind == _K_ACTOR
                                                             and starts[j] == m.start and stops[j] == m.end):
                        m.quote = j
                m.sentence = _after(stops_of, n_ends, m.start - 1)
                m.target = self.entries[index].party
                m.rule = _R_NAMED if m.target >= 0 else _R_NONE
                m.prev = m.next = -1
        finally:
            PyMem_Free(starts)
            PyMem_Free(stops)
            PyMem_Free(stops_of)
        return 0

    cdef void _link(self, _Article *a) noexcept:
        """``attach._link_actors``: the nearest mention naming a party before and after each one,
        in a run of mentions of one scope."""
        cdef Py_ssize_t k, prev = -1, nxt = -1
        cdef _Mention *said = a.said
        for k in range(1, a.n):
            if _same_scope(&said[k - 1], &said[k]):
                if self.entries[said[k - 1].index].party >= 0:
                    prev = k - 1
            else:
                prev = -1
            said[k].prev = prev
        for k in range(a.n - 2, -1, -1):
            if _same_scope(&said[k + 1], &said[k]):
                if self.entries[said[k + 1].index].party >= 0:
                    nxt = k + 1
            else:
                nxt = -1
            said[k].next = nxt

    cdef int _speakers(self, _Article *a, list quotes, str text) except -1:
        """``attach.assign_speakers``: the first party named from the reporting verb to the
        quotation (not the verb's object), or the previous quotation's speaker; after a camp's
        self-name opening the clause or right after its reporting verb, or anywhere in a clause that
        names no party, the camp the statement's words say (or none), and none after a source
        outside the camps there."""
        cdef Py_ssize_t q, start, verb, lo, hi, mid, speaker, previous = -1
        cdef bint unknown, objecting
        cdef _RuleEntry *e
        cdef tuple quote
        for q in range(a.n_quotes):
            quote = quotes[q]
            start, verb = quote[0], quote[2]
            speaker = -1
            unknown = False
            if verb >= 0 and not self._source_subject(text, verb):
                # verb_object is called only after a verb it reads: most statements' verbs are others.
                objecting = text[verb:_word_end(text, verb)] in self.object_forms
                lo, hi = 0, a.n  # bisect_left of the verb among the mentions' starts
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if a.said[mid].start < verb:
                        lo = mid + 1
                    else:
                        hi = mid
                while lo < a.n and a.said[lo].start < start:
                    e = &self.entries[a.said[lo].index]
                    if (e.party >= 0 or e.self_name) and objecting and self.verb_object(
                            text, verb, start, a.said[lo].start, a.said[lo].end):
                        lo += 1
                        continue
                    if e.party >= 0:
                        speaker = e.party
                        unknown = False
                        break
                    if e.self_name:
                        unknown = True
                        if a.said[lo].start == verb or self.after_reporting_verb(text, a.said[lo].start):
                            break
                    lo += 1
                if speaker < 0 and not unknown:
                    speaker = previous
                if unknown:
                    speaker = self._statement_camp(a, q, lo, quote[1], text)
            a.speakers[q] = speaker
            previous = speaker
        return 0

    cdef bint _source_subject(self, str text, Py_ssize_t verb) except -1:
        """``attach.source_subject``: its two words (``_TWO_WORDS``) read here, with no call to
        Python (a statement's cost: the dense benchmark corpus has about 8.6 statements an article);
        after «نقل», whose source is the word after its «عن», the Python rule itself."""
        cdef Py_ssize_t n = len(text), first_end = _word_end(text, verb), second, second_end
        if first_end == verb:
            return False
        first = text[verb:first_end]
        if first in self.conveying_forms:
            return self.source_subject(text, verb)
        if first in self.source_nouns:
            return True
        if first not in self.reporting_forms:
            return False
        second = first_end
        while second < n and Py_UNICODE_ISSPACE(text[second]):
            second += 1
        second_end = _word_end(text, second)
        return second > first_end and second_end > second and text[second:second_end] in self.source_nouns

    cdef Py_ssize_t _statement_camp(self, _Article *a, Py_ssize_t q, Py_ssize_t k, Py_ssize_t end,
                                    str text) except -2:
        """``attach.statement_camp`` of the ``q``-th quotation, ending at ``end``, from the mention
        ``k`` on (its self-name subject, before it): the side its words praise, or -1."""
        cdef Py_ssize_t i, party, praised, attacked, s = self.n_sides
        cdef const _RuleEntry *e
        cdef _Mention *m
        cdef double *weights = <double *> PyMem_Malloc(2 * max(s, 1) * sizeof(double))
        if not weights:
            raise MemoryError()
        try:
            for i in range(2 * s):
                weights[i] = 0.0
            while k < a.n and a.said[k].start < end:
                m = &a.said[k]
                k += 1
                e = &self.entries[m.index]
                if m.quote != q or e.kind != _K_EVALUATIVE or e.polarity < 0:
                    continue
                party = e.party
                if party < 0 and e.bare >= 0 and m.definite and not self.after_quantifier(text, m.start):
                    party = e.bare
                if party >= 0:
                    weights[e.polarity * s + self.side_at[party]] += e.weight
            self._direction(weights, self.direction_min, &praised, &attacked)
            return praised
        finally:
            PyMem_Free(weights)

    cdef int _attach(self, _Article *a, str text) except -1:
        """``attach.attach_targets``: the rules, tried in the docstring's order, on each evaluative
        mention left to right. The anaphora rule's ``last_target`` is a hash table keyed by
        (term, voice owner)."""
        cdef Py_ssize_t i, target, owner, cap = 16, slot
        cdef unsigned long long key
        cdef unsigned long long *keys = NULL
        cdef Py_ssize_t *values = NULL
        cdef int rule, bits = 4
        cdef _Mention *m
        cdef const _RuleEntry *e
        cdef bint noun, verb
        # The sentence and party of the last actor named in the narrator's voice so far (the
        # possessive rule's reported actor).
        cdef Py_ssize_t reported_sentence = -1, reported = -1
        while cap < 2 * a.n + 2:
            cap <<= 1
            bits += 1
        keys = <unsigned long long *> PyMem_Malloc(cap * sizeof(unsigned long long))
        values = <Py_ssize_t *> PyMem_Malloc(cap * sizeof(Py_ssize_t))
        try:
            if not (keys and values):
                raise MemoryError()
            memset(keys, 0, cap * sizeof(unsigned long long))
            for i in range(a.n):
                m = &a.said[i]
                e = &self.entries[m.index]
                if e.kind != _K_EVALUATIVE:
                    if e.party >= 0 and m.quote < 0:
                        reported_sentence, reported = m.sentence, e.party
                    continue
                # The voice owner: the narrator (0), a quotation's speaker, or a quotation with none.
                owner = 0
                if m.quote >= 0:
                    owner = 1 + a.speakers[m.quote] if a.speakers[m.quote] >= 0 else 1 + self.n_parties + m.quote
                key = ((<unsigned long long> e.term) << 32 | <unsigned long long> owner) + 1  # 0: empty slot
                # A plural verb: its subject came before it, and what follows is its object.
                verb = _plural_verb(a.kind, a.data, a.length, m.start, m.end)
                noun = e.attach == _A_NOUN and not verb
                target, rule = -1, _R_NONE
                if verb and m.prev >= 0:
                    target = self._subject(a, m, text, &rule)
                if target < 0 and m.suffix != _SUFFIX_NONE and not verb:  # possessive; speaker («قواتنا»)
                    target = self._possessive(a, m, reported_sentence, reported, &rule)
                if target < 0 and noun and not m.definite:
                    target = self._construct(a, i, text, &rule)
                if target < 0 and e.attach == _A_ADJ:
                    target = self._adjective(a, i, text, &rule)
                if target < 0 and noun and m.next >= 0:
                    target = self._agent(a, i, text, False, &rule)
                if target < 0 and m.next >= 0 and not verb:
                    target = self._agent(a, i, text, True, &rule)
                if target < 0 and noun and m.prev >= 0:
                    target = self._perpetrator(a, m, text, &rule)
                if target < 0 and m.definite:  # anaphora: the last target of this term in this voice
                    slot = self._slot(keys, key, bits)
                    if keys[slot]:
                        target, rule = values[slot], _R_ANAPHORA
                if target < 0 and noun and m.next >= 0:
                    target = self._nearest(a, m, text, &rule)
                if target < 0 and m.quote >= 0:
                    target = self._speaker_camp(a, m, &rule)
                if target >= 0:
                    m.target, m.rule = target, rule
                    slot = self._slot(keys, key, bits)
                    keys[slot], values[slot] = key, target
        finally:
            PyMem_Free(keys)
            PyMem_Free(values)
        return 0

    cdef inline Py_ssize_t _slot(self, unsigned long long *keys, unsigned long long key, int bits) noexcept:
        """The slot of ``key`` in the table, or the empty slot where it goes (linear probing)."""
        cdef Py_ssize_t mask = (1 << bits) - 1
        cdef Py_ssize_t slot = <Py_ssize_t> ((key * 0x9E3779B97F4A7C15ULL) >> (64 - bits))
        while keys[slot] and keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    cdef Py_ssize_t _subject(self, _Article *a, _Mention *m, str text, int *rule) noexcept:
        """``subject``: the actor right before a plural verb, within ``window`` words, unpunctuated."""
        cdef _Mention *actor = &a.said[m.prev]
        if (_more(text, actor.end, m.start, self.window)
                or _punctuated_at(a.kind, a.data, a.length, actor.end, m.start)):
            return -1
        rule[0] = _R_SUBJECT
        return self.entries[actor.index].party

    cdef Py_ssize_t _possessive(self, _Article *a, _Mention *m, Py_ssize_t reported_sentence, Py_ssize_t reported,
                                int *rule) noexcept:
        """``possessive`` (-ه، -ها، -هم: the last actor before; in the narrator's voice or a
        statement of an unknown speaker with none, ``reported``, the narrator's last actor, when it
        is in the same sentence) and
        ``speaker`` (-نا، -ي in a quotation)."""
        if m.suffix == _SUFFIX_3RD and self.entries[m.index].attach == _A_NOUN:
            if m.prev >= 0:
                rule[0] = _R_POSSESSIVE
                return self.entries[a.said[m.prev].index].party
            if (m.quote < 0 or a.speakers[m.quote] < 0) and reported >= 0 and reported_sentence == m.sentence:
                rule[0] = _R_POSSESSIVE
                return reported
        if m.suffix == _SUFFIX_1ST and m.quote >= 0 and a.speakers[m.quote] >= 0:
            rule[0] = _R_SPEAKER
            return a.speakers[m.quote]
        return -1

    cdef Py_ssize_t _construct(self, _Article *a, Py_ssize_t i, str text, int *rule) noexcept:
        """``construct``: the first actor after the noun, each gap up to it short and unpunctuated."""
        cdef _Mention *m = &a.said[i]
        cdef _Mention *nxt
        cdef Py_ssize_t k, party
        for k in range(i + 1, a.n):
            nxt = &a.said[k]
            if (not _same_scope(nxt, m) or _more(text, m.end, nxt.start, self.construct_gap)
                    or _punctuated_at(a.kind, a.data, a.length, m.end, nxt.start)):
                return -1
            party = self.entries[nxt.index].party
            if party >= 0:
                rule[0] = _R_CONSTRUCT
                return party
        return -1

    cdef Py_ssize_t _adjective(self, _Article *a, Py_ssize_t i, str text, int *rule) except -2:
        """``adjective``: the target of the mention right before (white space between), or in a
        quotation the speaker, after a word ending in «نا» («قواتنا الباسلة»)."""
        cdef _Mention *m = &a.said[i]
        cdef _Mention *prev
        cdef Py_ssize_t j
        cdef bint blank
        # attach.preposed: a noun a preposition governs qualifies nothing; a camp's own name stays one.
        if m.definite and not self.entries[m.index].self_name and _preposed(a, m.start):
            return -1
        if i:
            prev = &a.said[i - 1]
            if _same_scope(prev, m) and prev.target >= 0:
                blank = True  # text[prev.end:m.start].strip() is empty
                for j in range(max(prev.end, 0), min(m.start, a.length)):
                    if not Py_UNICODE_ISSPACE(PyUnicode_READ(a.kind, a.data, j)):
                        blank = False
                        break
                if blank:
                    rule[0] = _R_ADJECTIVE
                    return prev.target
        if m.quote < 0 or a.speakers[m.quote] < 0:
            return -1
        word = self.prev_word.search(text, max(0, m.start - 40), m.start)
        if word is not None:
            found = word.group(1)
            if found.endswith("نا") and len(found) > 3:
                rule[0] = _R_SPEAKER
                return a.speakers[m.quote]
        return -1

    cdef Py_ssize_t _agent(self, _Article *a, Py_ssize_t i, str text, bint affiliation, int *rule) except -2:
        """``agent`` (a clause after the noun names who did it: «نفذتها ...») or ``affiliation``
        (whom it belongs to: «التابعة لـ ...»): the actor after the noun, right after the clause."""
        cdef _Mention *m = &a.said[i]
        cdef _Mention *actor = &a.said[m.next]
        cdef Py_ssize_t end = m.end, actor_start = actor.start, k, marker_start, marker_end
        cdef Py_ssize_t gap = self.agent_gap
        cdef Py_ssize_t reach = min(actor_start, end + 21 * (gap + 1))
        cdef _StemSet stems = self.affiliation_stems if affiliation else self.agent_stems
        if not stems.within(a.kind, a.data, a.length, end, reach):
            return -1
        marker = (self.affiliation if affiliation else self.agent).search(text, end, reach)
        if marker is None:
            return -1
        marker_start, marker_end = marker.span()
        if _more(text, end, marker_start, gap):
            return -1
        if (_more(text, marker_end, actor_start, self.window)
                or _punctuated_at(a.kind, a.data, a.length, marker_end, actor_start)):
            return -1
        if affiliation:  # it qualifies the nearest noun before the clause, which may not be this one
            for k in range(i + 1, a.n):
                if a.said[k].start >= marker_start:
                    break
                if (self.entries[a.said[k].index].kind == _K_EVALUATIVE
                        and self.entries[a.said[k].index].attach == _A_NOUN):
                    return -1
        rule[0] = _R_AFFILIATION if affiliation else _R_AGENT
        return self.entries[actor.index].party

    cdef Py_ssize_t _perpetrator(self, _Article *a, _Mention *m, str text, int *rule) except -2:
        """``agent`` («ارتكبت قوات حفتر جرائم»): the actor before the noun, after a verb of doing."""
        cdef _Mention *actor = &a.said[m.prev]
        cdef Py_ssize_t start
        if (_more(text, actor.end, m.start, self.window)
                or _punctuated_at(a.kind, a.data, a.length, actor.end, m.start)):
            return -1
        start = max(0, actor.start - 60)
        if not self.perpetrator_stems.within(a.kind, a.data, a.length, start, actor.start):
            return -1
        if self.perpetrator.search(text, start, actor.start) is None:
            return -1
        rule[0] = _R_AGENT
        return self.entries[actor.index].party

    cdef Py_ssize_t _nearest(self, _Article *a, _Mention *m, str text, int *rule) noexcept:
        """``nearest``: the first actor after the noun within ``window`` words and no punctuation,
        unless joined by «و»."""
        cdef _Mention *actor = &a.said[m.next]
        if (_more(text, m.end, actor.start, self.window)
                or _punctuated_at(a.kind, a.data, a.length, m.end, actor.start)):
            return -1
        if (0 <= actor.start < a.length and PyUnicode_READ(a.kind, a.data, actor.start) == u"و"
                and not self.entries[actor.index].waw):
            return -1
        rule[0] = _R_NEAREST
        return self.entries[actor.index].party

    cdef Py_ssize_t _speaker_camp(self, _Article *a, _Mention *m, int *rule) noexcept:
        """``speaker``: the one side counts_for(speaker, polarity) gives."""
        cdef Py_ssize_t speaker = a.speakers[m.quote], side = -1
        cdef int polarity = self.entries[m.index].polarity
        if speaker < 0 or polarity < 0:
            return -1
        side = self.only_favorable[speaker] if polarity == _P_FAVORABLE else self.only_unfavorable[speaker]
        if side >= 0:
            rule[0] = _R_SPEAKER
        return side

    cdef int _resolve(self, _Article *a, str ntext) except -1:
        """``attach.resolve_article`` (with ``two_sided``, ``_direction``, ``_leading``): the
        ``article`` rule, then ``attach.resolve_bare``, the ``bare`` rule. ``every`` and ``own``
        are ``[polarity * n_sides + side]``."""
        cdef Py_ssize_t k, side, speaker, first = -1, praised, attacked, s = self.n_sides
        cdef bint loose = False, quotes_both = False
        cdef _Mention *m
        cdef const _RuleEntry *e
        cdef double *every
        cdef double *own
        for k in range(a.n):
            m = &a.said[k]
            if m.target < 0 and m.quote < 0 and self.entries[m.index].kind == _K_EVALUATIVE:
                loose = True
                break
        if not loose:
            return 0
        # two_sided: the speakers of quoted evaluative evidence come from more than one side.
        for k in range(a.n):
            m = &a.said[k]
            if m.quote >= 0 and self.entries[m.index].polarity >= 0 and a.speakers[m.quote] >= 0:
                side = self.side_at[a.speakers[m.quote]]
                if first < 0:
                    first = side
                elif side != first:
                    quotes_both = True
                    break
        every = <double *> PyMem_Malloc(4 * max(s, 1) * sizeof(double))
        if not every:
            raise MemoryError()
        own = every + 2 * s
        try:
            for k in range(4 * s):
                every[k] = 0.0
            for k in range(a.n):
                m = &a.said[k]
                e = &self.entries[m.index]
                if m.target < 0 or e.polarity < 0 or (quotes_both and m.quote >= 0):
                    continue
                side = self.side_at[m.target]
                every[e.polarity * s + side] += e.weight
                speaker = a.speakers[m.quote] if m.quote >= 0 else -1
                # A camp praising itself in its own statement says nothing of the narrator's words.
                if not (speaker >= 0 and e.polarity == _P_FAVORABLE and self.side_at[speaker] == side):
                    own[e.polarity * s + side] += e.weight
            self._direction(own, 0.0, &praised, &attacked)
            if praised >= 0:  # weak favorable names go to the camp the article favours
                for k in range(a.n):
                    m = &a.said[k]
                    e = &self.entries[m.index]
                    if (m.target < 0 and m.quote < 0 and e.kind == _K_EVALUATIVE and e.polarity == _P_FAVORABLE
                            and e.weight <= self.weak_weight):
                        m.target, m.rule = praised, _R_ARTICLE
                        every[self.side_at[praised]] += e.weight
            self._direction(every, self.direction_min, &praised, &attacked)
            for k in range(a.n):
                m = &a.said[k]
                e = &self.entries[m.index]
                if m.target < 0 and m.quote < 0 and e.kind == _K_EVALUATIVE:
                    side = praised if e.polarity == _P_FAVORABLE else attacked
                    if side >= 0:
                        m.target, m.rule = side, _R_ARTICLE
                    elif e.bare >= 0 and m.definite and not self.after_quantifier(ntext, m.start):
                        m.target, m.rule = e.bare, _R_BARE
        finally:
            PyMem_Free(every)
        return 0

    cdef void _direction(self, double *weights, double least, Py_ssize_t *praised,
                         Py_ssize_t *attacked) noexcept:
        """``attach._direction``: the side praised and the side attacked (party indexes, or -1)."""
        praised[0] = self._leading(weights, least)
        attacked[0] = self._leading(weights + self.n_sides, least)
        if praised[0] >= 0 and praised[0] == attacked[0]:
            praised[0] = attacked[0] = -1
        elif attacked[0] < 0 and praised[0] >= 0:
            attacked[0] = self.only_unfavorable[praised[0]]
        elif praised[0] < 0 and attacked[0] >= 0:
            praised[0] = self.only_unfavorable[attacked[0]]

    cdef Py_ssize_t _leading(self, double *weights, double least) noexcept:
        """``attach._leading``: the side holding two thirds of ``weights`` (added in side order, as
        ``sum`` adds them), the first of equals, if they add up to ``least``."""
        cdef Py_ssize_t k, top = 0
        cdef double total = 0.0
        for k in range(self.n_sides):
            total += weights[k]
            if weights[k] > weights[top]:
                top = k
        if self.n_sides and total > 0 and total >= least and weights[top] >= 2.0 / 3.0 * total:
            return self.side_party[top]
        return -1

    cdef PendingMatches _pending(self, _Article *a, norm, places, spans):
        """``PythonAssembler.matches``, its ``Match`` objects left to make (:class:`PendingMatches`):
        the match of each mention, at its place in the original text (``places``, the spans
        :meth:`Normalized.spans` gives, or None: read here from the anchors of ``norm``, a
        :class:`Normalized`, without a tuple per match), in its voice. A naming choice in
        paraphrase is the outlet's, unless a camp is praising itself (the test
        ``PythonTargetRules`` makes)."""
        cdef Py_ssize_t i, speaker
        cdef str text = norm.original
        cdef Normalized anchored = norm if places is None else None
        cdef PendingMatches found = PendingMatches.__new__(PendingMatches)
        cdef _Mention *m
        cdef _Pending *p
        cdef const _RuleEntry *e
        cdef tuple place
        found.items = <_Pending *> PyMem_Malloc(max(a.n, 1) * sizeof(_Pending))
        if not found.items:
            raise MemoryError()
        found.text, found.fields, found.names, found.match = text, self.fields, self.names, self.match
        found.rules_at, found.voices_at = self.rules_at, self.voices_at
        paraphrase = None
        for i in range(a.n):
            m = &a.said[i]
            e = &self.entries[m.index]
            p = &found.items[i]
            p.index, p.target, p.rule = m.index, m.target, m.rule
            p.quoted, p.speaker = False, -1
            if m.quote >= 0:
                speaker = a.speakers[m.quote]
                p.quoted = True
                if e.kind == _K_NAMING and not (speaker >= 0 and e.polarity == _P_FAVORABLE
                                                and self.side_at[speaker] == self.side_at[e.party]):
                    if paraphrase is None:
                        paraphrase = self.in_paraphrase(spans)
                    p.quoted = not paraphrase(m.start)
                if p.quoted:
                    p.speaker = speaker
            if anchored is None:
                place = places[i]
                p.start, p.end = place[0], place[1]
            elif anchored.count:
                _anchored_span(anchored.points, anchored.count, anchored.size, text, m.start, m.end, &p.start, &p.end)
            else:
                p.start, p.end = m.start, m.end
            found.n = i + 1
        return found


cdef struct _Pending:  # a match as the attachment rules leave it, its Match not made
    Py_ssize_t start, end  # in the original text
    Py_ssize_t index  # its entry
    Py_ssize_t target  # a party index; -1: untargeted
    Py_ssize_t rule  # into the rule names
    Py_ssize_t speaker  # a party index; -1: none (always, in the narrator's voice)
    bint quoted


cdef class PendingMatches:
    """An article's matches as :class:`TargetRules` found them, each ``Match`` made only when
    asked (:meth:`made`): the scorer reads their evidence from C arrays, and a score makes its
    ``matches`` the first time they are read (most of a score's cost was making and freeing
    thirteen slots, a substring and two integers per match that a reading of the lean, the
    stances or a flat table never looks at).

    Made by :meth:`TargetRules.read` only; immutable: :meth:`made` makes new objects at each
    call, all equal. Not pickled: a score pickles its matches made.
    """

    cdef _Pending *items
    cdef readonly Py_ssize_t n
    cdef str text
    cdef tuple fields
    # The strings (or None) a match's target, rule, voice and speaker are (see _name): the parties,
    # then from ``rules_at`` the rule names (_RULE_NAMES), then from ``voices_at`` the narrator's
    # voice and the quoted one.
    cdef tuple names
    cdef Py_ssize_t rules_at, voices_at
    cdef SlotMaker match

    def __dealloc__(self):
        PyMem_Free(self.items)

    def __len__(self):
        return self.n

    def __reduce__(self):
        raise TypeError("a PendingMatches is not pickled: its matches are (made())")

    def made(self) -> tuple:
        """The ``Match`` of each, in order: what :meth:`TargetRules.__call__` gives, as a tuple."""
        cdef Py_ssize_t i
        cdef tuple out = PyTuple_New(self.n)
        for i in range(self.n):
            instance = self._made(i)
            Py_INCREF(instance)
            PyTuple_SET_ITEM(out, i, instance)
        return out

    cdef object _made(self, Py_ssize_t i):
        """The ``Match`` of the ``i``-th."""
        cdef Py_ssize_t k
        cdef Py_ssize_t *at = self.match.offsets  # each slot's offset, in the order of MATCH_SLOTS
        cdef object start = self.items[i].start, end = self.items[i].end, text = self._slot(i, _MATCH_TEXT)
        instance = self.match.new()
        match = <PyObject *> instance
        _fill(match, at[_MATCH_START], <PyObject *> start)
        _fill(match, at[_MATCH_END], <PyObject *> end)
        _fill(match, at[_MATCH_TEXT], <PyObject *> text)
        for k in range(_MATCH_TEXT + 1, _N_MATCH_SLOTS):  # thirteen slots a match: written here, not through a method call each
            _fill(match, at[k], self._borrowed(i, k))
        return instance

    cdef object _slot(self, Py_ssize_t i, Py_ssize_t k):
        """What slot ``k`` (in the order of :data:`MATCH_SLOTS`, from 2: ``text``) of the ``i``-th
        match holds: the one place that says it, with :meth:`_borrowed`."""
        cdef const _Pending *p = &self.items[i]
        if k == _MATCH_TEXT:
            return self.text[p.start:p.end]
        return <object> self._borrowed(i, k)

    cdef inline PyObject *_borrowed(self, Py_ssize_t i, Py_ssize_t k) noexcept:
        """:meth:`_slot` of a slot after ``text``, an object this array holds (a borrowed reference:
        no count to add and drop for each of eleven slots a match)."""
        cdef const _Pending *p = &self.items[i]
        cdef Py_ssize_t name
        if _FIELD_OF_SLOT[k] >= 0:
            return PyTuple_GET_ITEM(<tuple> PyTuple_GET_ITEM(self.fields, p.index), _FIELD_OF_SLOT[k])  # the entry's
        name = self._name(p, k)
        return PyTuple_GET_ITEM(self.names, name) if name >= 0 else <PyObject *> None

    cdef inline Py_ssize_t _name(self, const _Pending *p, Py_ssize_t k) noexcept:
        """Where in ``names`` the value of ``p``'s slot ``k`` is, for the target, rule, voice and
        speaker (-1: None); what any other slot holds is not a name."""
        if k == _MATCH_TARGET:
            return p.target if p.target >= 0 else -1
        if k == _MATCH_SPEAKER:
            return p.speaker if p.speaker >= 0 else -1
        if k == _MATCH_RULE:
            return self.rules_at + p.rule
        return self.voices_at + (1 if p.quoted else 0)  # _MATCH_VOICE

    def untargeted(self) -> int:
        """``Score.untargeted`` of these matches, without making them: the evaluative ones that
        have no target."""
        cdef Py_ssize_t i, n = 0
        for i in range(self.n):
            if self.items[i].target < 0 and <object> self._borrowed(i, _MATCH_KIND) == "evaluative":
                n += 1
        return n


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


cdef struct _Read:  # what the reading needs of one match
    Py_ssize_t target  # party index; -1: untargeted
    Py_ssize_t speaker  # an id of the speaker's side; -1: no speaker
    double weight
    int polarity  # 0 favorable, 1 unfavorable, -1 none
    bint narrator


cdef struct _Known:  # a string object read in a match (or None), and what it is
    PyObject *string  # NULL: an empty entry
    Py_ssize_t party  # the index of the party it names; -1: None; -3: none
    int polarity  # _FAVORABLE, _UNFAVORABLE; -1: None; -2: neither
    bint narrator  # whether it is "narrator"


cdef enum:
    _KNOWN_SIZE = 2048  # entries of a Reader's table of strings (a power of two), filled up to half


cdef enum:  # what _add sums: a match of ...
    _NARRATOR_ONLY = 0
    _QUOTED = 1  # quoted, with a polarity
    _QUOTED_SPEAKER = 2  # quoted, with a polarity and a speaker
    _EVERY = 3

cdef enum:  # a party's stance in a VoiceScores (the strings of _stance_name)
    _FAVORABLE = 0
    _UNFAVORABLE = 1
    _NEUTRAL = 2
    _UNMENTIONED = 3  # the shared not-mentioned stance, whose stance is None


cdef inline str _stance_name(int code):
    return "favorable" if code == _FAVORABLE else "unfavorable" if code == _UNFAVORABLE else "neutral"

# Python 3.12's sum() of floats compensates its rounding (Neumaier): from three floats on, it may
# differ from adding them in order, which is what it does before.
cdef bint _COMPENSATED_SUM = __import__("sys").version_info >= (3, 12)


cdef inline PyObject *_slot_in(SlotMaker maker, object instance, Py_ssize_t k) noexcept:
    """Slot ``k`` of ``instance``, an instance of exactly ``maker``'s class (NULL when not set)."""
    return (<PyObject **> ((<char *> <PyObject *> instance) + maker.offsets[k]))[0]


cdef inline bint _same_str(PyObject *a, str b) noexcept:
    """``a == b`` for ``a`` a str (not checked) and ``b`` a str: equal strings have the same kind
    in CPython, so this compares their bytes without a call. The lexicon's strings are read from
    its files, each entry its own copy: most are equal to the reader's without being the same."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(b)
    cdef int kind = PyUnicode_KIND(b)
    return a == <PyObject *> b or (PyUnicode_GET_LENGTH(<object> a) == n and PyUnicode_KIND(<object> a) == kind
                                   and memcmp(PyUnicode_DATA(<object> a), PyUnicode_DATA(b), n * kind) == 0)


cdef inline Py_ssize_t _top_of(const double *values, Py_ssize_t n) noexcept:
    """``framing.scorer._top``: the index of the largest, the first of equals (-1 when ``n`` is 0)."""
    cdef Py_ssize_t k, top = -1
    for k in range(n):
        if top < 0 or values[k] > values[top]:
            top = k
    return top


cdef class Reader:
    """``reading(matches, words)``: :class:`framing.scorer.PythonReading` (the twin, whose module
    docstring gives the rules) in C: ``(narrator, reading, basis, all_voices)``.

    Each match's voice, target, polarity, weight and speaker are read once into a C array; the
    evidence of each set of voices is summed in C arrays, addition for addition as the twin's
    :class:`~framing.scorer.PythonEvidenceSums` sums it (the narrator's first, then each quoted
    match at ``quoted_weight``), so every float is the same; the lean, the stances and the
    reading's checks are the twin's comparisons on the same doubles. The result objects are
    made only at the end, slot by slot, their dicts in the twin's key order.

    Anything the C code does not read as the scorer makes it (a match that is not exactly a
    ``Match``, a party, side, polarity or speaker it does not know, a weight that is not a float,
    a threshold that is not a float or a small int, a lexicon whose sides are not parties) goes
    to the twin instead, which gives the Python result or error.

    Parameters
    ----------
    fallback : framing.scorer.PythonReading
        The twin, whose tables (``parties``, ``sides``, ``counts``, ``camps``, ``unmentioned``,
        ``rules``, ``lexicon.side_of``) this is built from.
    match, stance, scores : type
        ``framing.results.Match`` (whose slots are read directly), ``PartyStance`` and
        ``VoiceScores`` (made slot by slot).
    mapping : type
        ``framing.lexicon.FrozenMap``, the read-only dict of the scores' ``sides`` and ``parties``
        (filled here through the dict C API, which its read-only methods leave open).
    """

    cdef SlotMaker match
    cdef SlotMaker stance
    cdef SlotMaker scores
    cdef object mapping
    cdef readonly object fallback
    cdef bint ok  # False: every call goes to the twin
    cdef tuple parties
    cdef tuple sides
    cdef dict index
    cdef dict unmentioned
    cdef Py_ssize_t np
    cdef Py_ssize_t ns
    cdef PyObject **party_ids  # the party ids (held by parties), compared with the strings of matches
    cdef Py_ssize_t *route_start  # per party and polarity (favorable 0, unfavorable 1): the sides counted
    cdef Py_ssize_t *route_len
    cdef Py_ssize_t *route_sides
    cdef unsigned char *counts_side  # [(2 * party + polarity) * ns + side]: side in counts[party, polarity]
    cdef Py_ssize_t *camp_start  # per party: the parties backing it
    cdef Py_ssize_t *camp_len
    cdef Py_ssize_t *camp_parties
    cdef Py_ssize_t *side_party  # per side: its index among the parties
    cdef Py_ssize_t *speaker_side  # per party: an id of lexicon.side_of(party), for two_sided
    cdef _Known *known  # _KNOWN_SIZE entries, open addressing on the address
    cdef _Known unknown  # what is read of a string once the table is full
    cdef Py_ssize_t n_known
    cdef list kept  # the strings of the table
    cdef double lean_min_evidence
    cdef double lean_min_share
    cdef double stance_min_evidence
    cdef double stance_min_share
    cdef double quoted_weight
    cdef double weak_weight

    def __init__(self, fallback, match, stance, scores, mapping):
        cdef Py_ssize_t k, p, j, total = 0
        self.fallback = fallback
        if not (isinstance(mapping, type) and issubclass(mapping, dict)):
            raise TypeError(f"mapping must be a dict subclass. Got {mapping!r} instead")
        self.mapping = mapping
        self.match = SlotMaker(match, MATCH_SLOTS)
        self.stance = SlotMaker(stance, ("favorable", "unfavorable", "mentions", "stance"))
        self.scores = SlotMaker(scores, ("sides", "parties", "lean"))
        self.parties = tuple(fallback.parties)
        self.sides = tuple(fallback.sides)
        self.np, self.ns = len(self.parties), len(self.sides)
        self.unmentioned = dict(fallback.unmentioned)
        self.index = {party: k for k, party in enumerate(self.parties)}
        side_index = {side: k for k, side in enumerate(self.sides)}
        rules = fallback.rules
        thresholds = (rules.lean_min_evidence, rules.lean_min_share, rules.stance_min_evidence,
                      rules.stance_min_share, rules.quoted_weight, rules.weak_weight)
        counts, camps = fallback.counts, fallback.camps
        # What the C code reads as the twin does: thresholds that compare in C as in Python, every
        # table complete, each side a party, the parties the keys of the not-mentioned stances.
        self.ok = (all([type(v) is float or (type(v) is int and abs(v) < 2 ** 53) for v in thresholds])
                   and self.ns > 0 and len(self.index) == self.np
                   and all([type(party) is str for party in self.parties])
                   and list(self.unmentioned) == list(self.parties)
                   and all([getattr(v, "stance", 0) is None for v in self.unmentioned.values()])
                   and all([side in self.index for side in self.sides]))
        routes = []
        for p in range(self.np):
            for polarity in ("favorable", "unfavorable"):
                route = counts.get((self.parties[p], polarity))
                if type(route) is not tuple or not all([side in side_index for side in route]):
                    self.ok, route = False, ()
                routes.append([side_index[side] for side in route])
            backers = camps.get(self.parties[p])
            if type(backers) is not tuple or not all([b in self.index for b in backers]):
                self.ok = False
        if not self.ok:
            return
        (self.lean_min_evidence, self.lean_min_share, self.stance_min_evidence, self.stance_min_share,
         self.quoted_weight, self.weak_weight) = thresholds
        self.party_ids = <PyObject **> PyMem_Malloc(self.np * sizeof(PyObject *))
        self.counts_side = <unsigned char *> PyMem_Malloc(2 * self.np * self.ns)
        self.known = <_Known *> PyMem_Malloc(_KNOWN_SIZE * sizeof(_Known))
        if not (self.party_ids and self.counts_side and self.known):
            raise MemoryError()
        memset(self.known, 0, _KNOWN_SIZE * sizeof(_Known))
        self.kept, self.n_known = [], 0
        for p in range(self.np):
            self.party_ids[p] = <PyObject *> self.parties[p]  # kept by self.parties
        memset(self.counts_side, 0, 2 * self.np * self.ns)
        for p in range(2 * self.np):
            for j in routes[p]:
                self.counts_side[p * self.ns + j] = 1
        self.route_len = _positions([len(route) for route in routes], -1)
        self.route_start = _positions([sum([len(r) for r in routes[:p]]) for p in range(len(routes))], -1)
        self.route_sides = _positions([j for route in routes for j in route], -1)
        backers = [camps[party] for party in self.parties]
        self.camp_len = _positions([len(b) for b in backers], -1)
        self.camp_start = _positions([sum([len(b) for b in backers[:p]]) for p in range(self.np)], -1)
        self.camp_parties = _positions([self.index[b] for bs in backers for b in bs], -1)
        self.side_party = _positions([self.index[side] for side in self.sides], -1)
        # two_sided counts the distinct sides of the speakers, as lexicon.side_of gives them.
        side_ids = {}
        self.speaker_side = _positions([side_ids.setdefault(fallback.lexicon.side_of(party), len(side_ids))
                                        for party in self.parties], -1)

    def __dealloc__(self):
        PyMem_Free(self.party_ids)
        PyMem_Free(self.counts_side)
        PyMem_Free(self.known)
        PyMem_Free(self.route_start)
        PyMem_Free(self.route_len)
        PyMem_Free(self.route_sides)
        PyMem_Free(self.camp_start)
        PyMem_Free(self.camp_len)
        PyMem_Free(self.camp_parties)
        PyMem_Free(self.side_party)
        PyMem_Free(self.speaker_side)

    def __reduce__(self):
        raise TypeError("a Reader is made again where it is used, not pickled")

    cdef _Known *_known(self, PyObject *string) except NULL:
        """What ``string`` (a slot's value: None or an exact str) is, from the table of the string
        objects seen so far, which holds each one it knows (so that its address stays its own).
        The lexicon's strings are read from its files, each entry with its own copies: the same
        few hundred objects, each equal to a party id or a polarity without being the same
        object, which a dict lookup or a comparison would read character by character."""
        cdef size_t at = ((<size_t> string) >> 4) & (_KNOWN_SIZE - 1)
        cdef _Known *known
        cdef Py_ssize_t k
        while self.known[at].string != NULL:
            if self.known[at].string == string:
                return &self.known[at]
            at = (at + 1) & (_KNOWN_SIZE - 1)
        known = &self.known[at] if self.n_known < _KNOWN_SIZE // 2 else &self.unknown
        if type(<object> string) is not str and string != <PyObject *> None:
            known = &self.unknown  # not kept: what it compares equal to could change
        known.party, known.polarity, known.narrator = -3, -2, False
        if string == <PyObject *> None:
            known.party, known.polarity = -1, -1
        elif type(<object> string) is str:
            for k in range(self.np):
                if _same_str(string, <str> self.party_ids[k]):
                    known.party = k
                    break
            if _same_str(string, "favorable"):
                known.polarity = _FAVORABLE
            elif _same_str(string, "unfavorable"):
                known.polarity = _UNFAVORABLE
            known.narrator = _same_str(string, "narrator")
        if known != &self.unknown:
            self.kept.append(<object> string)
            self.n_known += 1
            known.string = string
        return known

    cdef bint _read(self, object matches, _Read *reads, Py_ssize_t n) except -1:
        """Each match's fields into ``reads``: False when one is not read as the twin reads it."""
        cdef Py_ssize_t k
        cdef PyObject *voice
        cdef PyObject *polarity
        cdef PyObject *target
        cdef SlotMaker slots = self.match
        cdef object cls = <object> slots.cls
        for k in range(n):
            m = matches[k]
            if type(m) is not cls:
                return False
            voice = _slot_in(slots, m, _MATCH_VOICE)
            target = _slot_in(slots, m, _MATCH_TARGET)
            polarity = _slot_in(slots, m, _MATCH_POLARITY)
            if voice is NULL or target is NULL or polarity is NULL or type(<object> voice) is not str:
                return False
            if not self._read_one(&reads[k], _known_string(self, voice).narrator, target, polarity,
                                  _slot_in(slots, m, _MATCH_WEIGHT), _slot_in(slots, m, _MATCH_SPEAKER)):
                return False
        return True

    cdef object _twin(self, matches, words):
        """The twin's reading, of the ``Match`` objects of pending matches made for it."""
        return self.fallback(matches.made() if type(matches) is PendingMatches else matches, words)

    cdef bint _read_pending(self, PendingMatches found, _Read *reads) except -1:
        """:meth:`_read` of the matches ``found`` holds, from the objects their slots would hold."""
        cdef Py_ssize_t k
        # The objects as borrowed references, not PendingMatches._slot's new ones (16,000 instructions a
        # dense article fewer, bench_instructions.py).
        for k in range(found.n):
            if not self._read_one(&reads[k], not found.items[k].quoted, found._borrowed(k, _MATCH_TARGET),
                                  found._borrowed(k, _MATCH_POLARITY), found._borrowed(k, _MATCH_WEIGHT),
                                  found._borrowed(k, _MATCH_SPEAKER)):
                return False
        return True

    cdef bint _read_one(self, _Read *read, bint narrator, PyObject *target, PyObject *polarity, PyObject *weight,
                        PyObject *speaker) except -1:
        """What the reading needs of one match into ``read``, from the objects its slots hold (NULL:
        a slot not set); False when it is not read as the twin reads it."""
        cdef _Known *known
        read.narrator = narrator
        read.target = _known_string(self, target).party
        read.polarity = _known_string(self, polarity).polarity
        read.speaker = -1
        read.weight = 0.0
        if read.target == -3 or read.polarity == -2:
            return False
        if read.polarity < 0:
            return True
        if weight is NULL or type(<object> weight) is not float:
            return False
        read.weight = PyFloat_AS_DOUBLE(<object> weight)
        if not narrator:  # two_sided reads the side of a quoted match's speaker
            if speaker is NULL:
                return False
            known = _known_string(self, speaker)
            if known.party == -3:
                return False
            read.speaker = -1 if known.party < 0 else self.speaker_side[known.party]
        return True

    cdef void _add(self, double *sums, Py_ssize_t *mentions, const _Read *reads, Py_ssize_t n, int which,
                   double factor) noexcept:
        """Add the evidence of the ``which`` matches of ``reads``, each weight counting ``factor``
        times, to ``sums`` (per party: favorable, unfavorable, weak favorable, weak unfavorable;
        per side: the signal, the weak signal) and ``mentions``: the twin's sums, in its order."""
        cdef Py_ssize_t np = self.np, k, t, j, r, route
        cdef int p
        cdef double raw, weight, share
        cdef double *into
        for k in range(n):
            if which == _NARRATOR_ONLY:
                if not reads[k].narrator:
                    continue
            elif which != _EVERY:
                if reads[k].narrator or reads[k].polarity < 0 or (which == _QUOTED_SPEAKER and reads[k].speaker < 0):
                    continue
            t = reads[k].target
            if t < 0:
                continue
            mentions[t] += 1
            p = reads[k].polarity
            if p < 0:
                continue
            raw = reads[k].weight
            weight = raw * factor
            sums[p * np + t] += weight
            # Evidence against a party is split between the other sides (the lexicon's one rule).
            into = sums + 4 * np
            if raw <= self.weak_weight:
                into = sums + 4 * np + self.ns
                sums[(2 + p) * np + t] += weight
            route = 2 * t + p
            r = self.route_len[route]
            if r:
                share = weight / r
                for j in range(r):
                    into[self.route_sides[self.route_start[route] + j]] += share

    cdef bint _merge(self, double *sums) noexcept:
        """Weak names count when they all point one way; both camps' weak names (wire copy) cancel
        out. Whether they cancel (``wire``)."""
        cdef Py_ssize_t ns = self.ns, k, nonzero = 0
        cdef double *signal = sums + 4 * self.np
        for k in range(ns):
            if signal[ns + k] != 0.0:
                nonzero += 1
        if nonzero > 1:
            return True
        for k in range(ns):
            signal[k] += signal[ns + k]
        return False

    cdef double _total(self, const double *signal) except? -1.0:
        """``sum(signal.values())``, as the Python in use adds them."""
        cdef Py_ssize_t k
        cdef double total = 0.0
        if _COMPENSATED_SUM and self.ns > 2:
            return sum([signal[k] for k in range(self.ns)])
        for k in range(self.ns):
            total += signal[k]
        return total

    cdef Py_ssize_t _lean(self, const double *signal) except -2:
        """The twin's ``_lean``: the index of the side, or -1."""
        cdef double total = self._total(signal)
        cdef Py_ssize_t top = _top_of(signal, self.ns)
        if total >= self.lean_min_evidence and signal[top] >= self.lean_min_share * total:
            return top
        return -1

    cdef int _stance(self, Py_ssize_t party, double favorable, double unfavorable, Py_ssize_t lean,
                     double weak_favorable, double weak_unfavorable) noexcept:
        """The twin's ``_stance``, as one of _FAVORABLE, _UNFAVORABLE, _NEUTRAL."""
        cdef const unsigned char *counts = self.counts_side + 2 * party * self.ns  # favorable, then unfavorable
        cdef double evidence
        cdef int polarity
        # Weak names count only when the article leans the way they point.
        if lean < 0 or not counts[lean]:
            favorable -= weak_favorable
        if lean < 0 or not counts[self.ns + lean]:
            unfavorable -= weak_unfavorable
        evidence = favorable + unfavorable
        if evidence < self.stance_min_evidence:
            # Weak evidence alone is neutral, unless the article leans the way it points.
            polarity = _FAVORABLE if favorable > unfavorable else _UNFAVORABLE if unfavorable > favorable else -1
            if polarity >= 0 and evidence >= self.weak_weight and lean >= 0 and counts[polarity * self.ns + lean]:
                return polarity
            return _NEUTRAL
        if favorable >= self.stance_min_share * evidence:
            return _FAVORABLE
        if unfavorable >= self.stance_min_share * evidence:
            return _UNFAVORABLE
        return _NEUTRAL

    cdef object _scores(self, const double *sums, const Py_ssize_t *mentions, double per_k, int *codes,
                        Py_ssize_t *lean_out):
        """The twin's ``_voice_scores`` of summed (and merged) evidence, as a ``VoiceScores``; its
        lean's index (-1: None) in ``lean_out``; ``codes`` is room for a stance per party."""
        cdef Py_ssize_t np = self.np, ns = self.ns, p, j, b, n, favorable_sides = 0, unfavorable_sides = 0
        cdef Py_ssize_t lean = self._lean(sums + 4 * np)
        cdef double f, u, wf, wu
        cdef int code
        cdef SlotMaker stance = self.stance, scores = self.scores
        # Read-only dicts, filled through PyDict_SetItem (their __setitem__ refuses).
        stances = self.mapping(self.unmentioned)
        for p in range(np):
            codes[p] = _UNMENTIONED
            f, u, wf, wu, n = sums[p], sums[np + p], sums[2 * np + p], sums[3 * np + p], mentions[p]
            # A camp's stance counts what is said of the parties that back it.
            for j in range(self.camp_len[p]):
                b = self.camp_parties[self.camp_start[p] + j]
                if mentions[b]:
                    f += sums[b]
                    u += sums[np + b]
                    n += mentions[b]
                    wf += sums[2 * np + b]
                    wu += sums[3 * np + b]
            if n:
                code = self._stance(p, f, u, lean, wf, wu)
                codes[p] = code
                made = stance.new()
                stance.put(made, 0, f)
                stance.put(made, 1, u)
                stance.put(made, 2, n)
                stance.put(made, 3, _stance_name(code))
                PyDict_SetItem(stances, self.parties[p], made)
        # An article that condemns two camps and praises none leans to neither.
        if lean >= 0:
            for j in range(ns):
                code = codes[self.side_party[j]]
                favorable_sides += code == _FAVORABLE
                unfavorable_sides += code == _UNFAVORABLE
            if not favorable_sides and unfavorable_sides > 1:
                lean = -1
        lean_out[0] = lean
        sides = self.mapping()
        for j in range(ns):
            PyDict_SetItem(sides, self.sides[j], sums[4 * np + j] * per_k)
        made = scores.new()
        scores.put(made, 0, sides)
        scores.put(made, 1, stances)
        scores.put(made, 2, None if lean < 0 else self.sides[lean])
        return made

    cdef bint _one_sided(self, const double *own, const double *sourced) except -1:
        """The twin's ``_one_sided`` of two (merged) signals: the quoted evidence points one way,
        and the narrator's does not point another."""
        cdef Py_ssize_t k, top
        cdef double total = self._total(sourced)
        if total == 0.0:
            return False
        top = _top_of(sourced, self.ns)
        if not sourced[top] >= self.lean_min_share * total:
            return False
        for k in range(self.ns):
            if own[k] != 0.0:
                return _top_of(own, self.ns) == top
        return True

    cdef void _clear(self, double *sums, Py_ssize_t *mentions) noexcept:
        memset(sums, 0, (4 * self.np + 2 * self.ns) * sizeof(double))
        memset(mentions, 0, self.np * sizeof(Py_ssize_t))

    def __call__(self, matches, words):
        """:meth:`framing.scorer.PythonReading.__call__`."""
        cdef Py_ssize_t np = self.np, n, k, size = 4 * self.np + 2 * self.ns, own_lean, lean, ignored
        cdef Py_ssize_t quoted = 0, first_side = -1
        cdef long long count = -1
        cdef int overflow = 0
        cdef bint two_sided = False, wire
        cdef double per_k
        cdef double *own
        cdef double *sums
        cdef Py_ssize_t *own_mentions
        cdef Py_ssize_t *mentions
        cdef int *codes
        cdef _Read *reads
        if type(words) is int:
            count = PyLong_AsLongLongAndOverflow(words, &overflow)
        # (1000 / max(words, 1) in Python divides the two ints exactly: in C, words < 2 ** 53 do.)
        pending = type(matches) is PendingMatches
        if (not self.ok or (type(matches) is not tuple and type(matches) is not list and not pending) or overflow
                or not 0 <= count < (<long long> 1) << 53):
            return self._twin(matches, words)
        n = len(matches)
        # One block: the matches as read, the narrator's sums and mentions, those of each other
        # set of voices in turn, and a stance per party.
        reads = <_Read *> PyMem_Malloc(max(n, 1) * sizeof(_Read) + 2 * size * sizeof(double)
                                       + 2 * np * sizeof(Py_ssize_t) + np * sizeof(int))
        if not reads:
            raise MemoryError()
        own = <double *> (reads + max(n, 1))
        sums = own + size
        own_mentions = <Py_ssize_t *> (sums + size)
        mentions = own_mentions + np
        codes = <int *> (mentions + np)
        try:
            if not (self._read_pending(matches, reads) if pending else self._read(matches, reads, n)):
                return self._twin(matches, words)
            per_k = 1000.0 / <double> (count if count > 1 else 1)  # 1000 / max(words, 1)
            self._clear(own, own_mentions)
            self._add(own, own_mentions, reads, n, _NARRATOR_ONLY, 1.0)
            wire = self._merge(own)
            narrator = self._scores(own, own_mentions, per_k, codes, &own_lean)
            reading, lean = narrator, own_lean
            # Sourcing (framing.attach.two_sided): the sides of the quoted evidence's speakers.
            for k in range(n):
                if not reads[k].narrator and reads[k].polarity >= 0:
                    quoted += 1
                    if reads[k].speaker >= 0:
                        if first_side < 0:
                            first_side = reads[k].speaker
                        elif reads[k].speaker != first_side:
                            two_sided = True
            if quoted and not wire and not two_sided:
                self._clear(sums, mentions)
                self._add(sums, mentions, reads, n, _QUOTED, 1.0)
                self._merge(sums)
                if self._one_sided(own + 4 * np, sums + 4 * np):
                    # The narrator's evidence, then the camps' statements at quoted_weight.
                    self._clear(sums, mentions)
                    self._add(sums, mentions, reads, n, _NARRATOR_ONLY, 1.0)
                    self._add(sums, mentions, reads, n, _QUOTED_SPEAKER, self.quoted_weight)
                    self._merge(sums)
                    reading = self._scores(sums, mentions, per_k, codes, &lean)
            basis = None if lean < 0 else "narrator" if lean == own_lean else "sourcing"
            # With nothing quoted, every voice is the narrator's: the same (immutable) scores.
            every = narrator
            for k in range(n):
                if not reads[k].narrator:
                    self._clear(sums, mentions)
                    self._add(sums, mentions, reads, n, _EVERY, 1.0)
                    self._merge(sums)
                    every = self._scores(sums, mentions, per_k, codes, &ignored)
                    break
            return narrator, reading, basis, every
        finally:
            PyMem_Free(reads)


cdef inline _Known *_known_string(Reader reader, PyObject *string) except NULL:
    """What ``string`` is (:meth:`Reader._known`), from its slot of the table when it is there."""
    cdef _Known *known = &reader.known[((<size_t> string) >> 4) & (_KNOWN_SIZE - 1)]
    return known if known.string == string else reader._known(string)


cdef inline bint _invisible(Py_UCS4 ch) noexcept:
    """Whether ``ch`` is in ``framing.normalize.INVISIBLE_RANGES`` (a test checks the two agree)."""
    return (ch == 0x00AD or ch == 0x061C or 0x200B <= ch <= 0x200F or 0x202A <= ch <= 0x202E
            or 0x2060 <= ch <= 0x2064 or 0x2066 <= ch <= 0x2069 or ch == 0xFEFF)


cdef inline Py_ssize_t _visible_end(unsigned int kind, const void *data, Py_ssize_t length, Py_ssize_t a,
                                    Py_ssize_t b) noexcept:
    """``framing.normalize._visible_end``: ``b`` before the invisible characters ``[a, b)`` ends with."""
    while a < b and 0 < b <= length and _invisible(PyUnicode_READ(kind, data, b - 1)):
        b -= 1
    return b


def anchored_spans(tuple norm, tuple orig, Py_ssize_t size, str text not None, pairs, orig_index):
    """:func:`framing.normalize.python_anchored_spans` (its twin, which says what it gives), in C:
    the original span of each normalised ``(start, end)`` of an article's hits."""
    cdef Py_ssize_t n = len(norm), last = n - 1, k, at, lo = 0, hi = 0, shift = 0, start, end, a, b
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text)
    cdef unsigned int kind = PyUnicode_KIND(text)
    cdef const void *data = PyUnicode_DATA(text)
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
            out.append((a, _visible_end(kind, data, length, a, b if b > a else orig_index(end - 1) + 1)))
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


cdef inline void _anchored_span(const Py_ssize_t *points, Py_ssize_t count, Py_ssize_t size, str original,
                                Py_ssize_t start, Py_ssize_t end, Py_ssize_t *a, Py_ssize_t *b) noexcept:
    """:meth:`Normalized.span` of ``(start, end)`` into ``a`` and ``b`` (anchors as :func:`_anchored`)."""
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(original)
    a[0] = _anchored(points, count, size, length, start)
    if end <= start:
        b[0] = a[0]
        return
    b[0] = _anchored(points, count, size, length, end)
    if b[0] <= a[0]:  # a span ending inside an expanded ligature covers it
        b[0] = _anchored(points, count, size, length, end - 1) + 1
    b[0] = _visible_end(PyUnicode_KIND(original), PyUnicode_DATA(original), length, a[0], b[0])


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

    def __init__(self, str original not None, str text not None, anchors=None):
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
        _anchored_span(self.points, self.count, self.size, self.original, start, end, &a, &b)
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
            _anchored_span(self.points, self.count, self.size, self.original, start, end, &a, &b)
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
                _anchored_span(self.points, self.count, self.size, self.original, quote[0], quote[1], &a, &b)
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

    def __call__(self, str text not None):
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


cdef class _Covered:
    """A ``covered`` pair ``(starts, ends)`` (``framing.voice.python_covered``) as two C arrays,
    freed with it: what the voice rules test each position against (:meth:`holds`)."""
    cdef Py_ssize_t *starts
    cdef Py_ssize_t *ends
    cdef Py_ssize_t n

    def __cinit__(self, tuple covered):
        starts, ends = covered
        self.n = len(starts)
        if len(ends) != self.n:
            raise ValueError("covered must hold as many starts as ends")
        self.starts = _positions(starts if type(starts) is list else list(starts), -1)
        self.ends = _positions(ends if type(ends) is list else list(ends), -1)

    def __dealloc__(self):
        PyMem_Free(self.starts)
        PyMem_Free(self.ends)

    cdef inline bint holds(self, Py_ssize_t pos) noexcept:
        """``framing.voice._inside``: whether ``pos`` is in one of the covered spans."""
        cdef Py_ssize_t k = _after(self.starts, self.n, pos) - 1
        return k >= 0 and pos < self.ends[k]


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

    def spans(self, str text not None, verbs, ends):
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


def headlines(str text not None, actors, verbs, covered):
    """``framing.voice.python_headlines`` (its twin, which says what it gives), in C: rule 6, a line
    that opens with at most four words naming an actor and a colon. The twin's pattern,
    ``[ \\t]*+((?:[^\\W\\d_]++[ \\t]++){0,3}[^\\W\\d_]++)[ \\t]*+:``, takes each run whole, so it
    matches as one pass reads: words of letters, spaces or tabs between them, a colon after at
    most the fourth."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), na = len(actors), nv = len(verbs)
    cdef Py_ssize_t colon, line_end, p, q, words, first, last, k, v
    cdef unsigned int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_ssize_t *actor_at = NULL
    cdef Py_ssize_t *verb_at = NULL
    cdef _Covered cover = _Covered(covered)
    cdef Py_UCS4 ch
    out = []
    colon = PyUnicode_FindChar(text, u":", 0, n, 1)
    if colon < 0:
        return out
    try:
        actor_at = _positions(actors if type(actors) is list else list(actors), -1)
        verb_at = _positions(verbs if type(verbs) is list else list(verbs), -1)
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
                        and not cover.holds(q)):
                    out.append((q, n if line_end < 0 else line_end, first))
            colon = -1 if line_end < 0 else PyUnicode_FindChar(text, u":", line_end, n, 1)
    finally:
        PyMem_Free(actor_at)
        PyMem_Free(verb_at)
    return out



cdef extern from "Python.h":
    # str.find (direction 1) or str.rfind (-1) of a substring, start and end read as a slice's.
    Py_ssize_t PyUnicode_Find(object, object, Py_ssize_t, Py_ssize_t, int) except -2


cdef Py_ssize_t _spaced_at(unsigned int kind, const void *data, Py_ssize_t p, Py_ssize_t limit, str word) noexcept:
    """Where ``word`` read at ``p`` of a text ends, not past ``limit``, or -1: a space in ``word``
    is a run of whitespace (``\\s+``, taken whole: the words go on with a letter after one)."""
    cdef unsigned int wkind = PyUnicode_KIND(word)
    cdef const void *wdata = PyUnicode_DATA(word)
    cdef Py_ssize_t j
    cdef Py_UCS4 ch
    for j in range(PyUnicode_GET_LENGTH(word)):
        ch = PyUnicode_READ(wkind, wdata, j)
        if ch == u" ":
            if p >= limit or not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, p)):
                return -1
            while p < limit and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, p)):
                p += 1
        elif p < limit and PyUnicode_READ(kind, data, p) == ch:
            p += 1
        else:
            return -1
    return p


cdef inline bint _at_end(unsigned int kind, const void *data, Py_ssize_t e, Py_ssize_t limit) noexcept:
    """Whether ``re``'s ``$`` holds at ``e`` in a search that ends at ``limit``: there, or before a
    newline that ends it."""
    return e == limit or (e == limit - 1 and PyUnicode_READ(kind, data, e) == u"\n")


cdef int _compare_positions(const void *a, const void *b) noexcept nogil:
    cdef Py_ssize_t x = (<const Py_ssize_t *> a)[0], y = (<const Py_ssize_t *> b)[0]
    return (x > y) - (x < y)


cdef inline void _sort_positions(Py_ssize_t *values, Py_ssize_t n) noexcept:
    qsort(values, n, sizeof(Py_ssize_t), _compare_positions)


cdef class StatementCuts:
    """``framing.voice.python_cut_at_statements`` (its twin, which says what it does to the spans
    of a :func:`framing.voice.speech_spans`), in C: its patterns, ``_NEW_STATEMENT``,
    ``_DISTANCING_TAIL`` and ``_DISTANCING_HEAD``, read character by character from the words
    they are made of, and every span's new end written in place as the twin writes it.

    Parameters
    ----------
    marks : str
        ``NEW_STATEMENT_MARKS``.
    connectives : tuple of str
        ``NEW_STATEMENT_CONNECTIVES`` (a space: a run of whitespace).
    reach : int
        ``NEW_STATEMENT_REACH``.
    stem : str
        ``DISTANCING_STEM``.
    pronouns, heads : tuple of str
        ``DISTANCING_PRONOUNS`` and ``DISTANCING_HEADS``.
    head_reach : int
        ``_HEAD_REACH``.
    """

    cdef str marks, stem
    cdef tuple connectives, pronouns, heads
    cdef Py_ssize_t reach, head_reach
    cdef Py_UCS4 mark_chars[16]  # the marks, read without a call per character of a window
    cdef Py_ssize_t n_marks

    def __init__(self, str marks not None, tuple connectives not None, Py_ssize_t reach, str stem not None,
                 tuple pronouns not None, tuple heads not None, Py_ssize_t head_reach):
        for word in (stem,) + connectives + pronouns + heads:
            if type(word) is not str or not word:
                raise TypeError(f"words must be non-empty strings. Got {word!r} instead")
        # _new_statement tests only the last mark before a verb: no mark may be read inside a connective.
        for word in connectives:
            if any([ch in marks or (ch.isspace() and ch != " ") for ch in word]):
                raise ValueError(f"connectives must hold no mark, and no whitespace but spaces. Got {word!r} instead")
        if any([ch.isspace() for ch in marks]) or not 0 < len(marks) <= 16:
            raise ValueError(f"marks must be 1 to 16 characters, no whitespace. Got {marks!r} instead")
        self.n_marks = len(marks)
        for k in range(self.n_marks):
            self.mark_chars[k] = marks[k]
        self.marks, self.connectives, self.reach = marks, connectives, reach
        self.stem, self.pronouns, self.heads, self.head_reach = stem, pronouns, heads, head_reach

    def __reduce__(self):
        return StatementCuts, (self.marks, self.connectives, self.reach, self.stem, self.pronouns, self.heads,
                               self.head_reach)

    def __call__(self, str text not None, dict found not None):
        cdef unsigned int kind = PyUnicode_KIND(text)
        cdef const void *data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), count = 0, nc = 0, k, i, verb, cut
        cdef Py_ssize_t *cuts = NULL
        cdef list spans
        cdef tuple span
        if PyUnicode_Find(text, self.stem, 0, n, 1) >= 0:
            self._end_before_distancing(text, kind, data, n, found)
        for spans in found.values():
            count += len(spans)
        try:
            cuts = <Py_ssize_t *> PyMem_Malloc(max(count, 1) * sizeof(Py_ssize_t))
            if not cuts:
                raise MemoryError()
            for spans in found.values():
                for span in spans:
                    verb = span[2]
                    if verb > 0:
                        cut = self._new_statement(kind, data, max(0, verb - self.reach), min(verb, n))
                        if cut >= 0:
                            cuts[nc] = cut
                            nc += 1
            if not nc:
                return found
            _sort_positions(cuts, nc)
            for spans in found.values():
                for i in range(len(spans)):
                    span = spans[i]
                    k = _after(cuts, nc, span[0])
                    if k < nc and cuts[k] < span[1]:
                        spans[i] = (span[0], cuts[k], span[2])
            return found
        finally:
            PyMem_Free(cuts)

    cdef inline bint _mark(self, Py_UCS4 ch) noexcept:
        cdef Py_ssize_t k
        for k in range(self.n_marks):
            if self.mark_chars[k] == ch:
                return True
        return False

    cdef Py_ssize_t _new_statement(self, unsigned int kind, const void *data, Py_ssize_t lo, Py_ssize_t hi):
        """``_NEW_STATEMENT.search(text, lo, hi)``'s start, or -1: the first mark from which only
        whitespace, perhaps with a connective and whitespace after it, runs to ``hi``. Only the
        last mark before ``hi`` can be one (no connective holds a mark, so an earlier mark has this
        one in its way): it is looked for from ``hi`` back, and tested alone."""
        cdef Py_ssize_t p = hi - 1, q, e
        while p >= lo and not self._mark(PyUnicode_READ(kind, data, p)):
            p -= 1
        if p >= lo:
            q = p + 1
            while q < hi and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, q)):
                q += 1
            if q == hi:
                return p
            for word in self.connectives:
                e = _spaced_at(kind, data, q, hi, word)
                if e < 0 or e == hi or not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e)):
                    continue
                while e < hi and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e)):
                    e += 1
                if e == hi:
                    return p
        return -1

    cdef int _end_before_distancing(self, str text, unsigned int kind, const void *data, Py_ssize_t n,
                                    dict found) except -1:
        """``framing.voice._end_before_distancing``: each span but quotation marks' ended before
        a distancing tail that closes it, in place."""
        cdef Py_ssize_t i, start, end, stem, head, n_marks = -1
        cdef Py_ssize_t *marks = NULL
        cdef list spans
        cdef tuple span
        try:
            for name, spans in found.items():
                if name == "marks":
                    continue
                for i in range(len(spans)):
                    span = spans[i]
                    start, end = span[0], span[1]
                    stem = PyUnicode_Find(text, self.stem, start, end, -1)
                    if stem < 0 or not self._tail(kind, data, stem, min(end, n)):
                        continue
                    head = self._head(kind, data, max(start, stem - self.head_reach), stem)
                    if head < 0:
                        continue
                    if n_marks < 0:
                        n_marks = _union([_list(found.get("marks", []))], &marks)
                    if not _inside_pairs(marks, n_marks, head):
                        spans[i] = (span[0], head, span[2])
        finally:
            PyMem_Free(marks)
        return 0

    cdef bint _tail(self, unsigned int kind, const void *data, Py_ssize_t stem, Py_ssize_t end):
        """Whether ``_DISTANCING_TAIL.match(text, stem, end)`` matches: a pronoun right after the
        stem, then no word character to ``end``."""
        cdef Py_ssize_t e, q
        for word in self.pronouns:
            e = _spaced_at(kind, data, stem + PyUnicode_GET_LENGTH(self.stem), end, word)
            if e < 0:
                continue
            q = e
            while q < end and not _sre_word(PyUnicode_READ(kind, data, q)):
                q += 1
            if q == end:
                return True
        return False

    cdef Py_ssize_t _head(self, unsigned int kind, const void *data, Py_ssize_t lo, Py_ssize_t stem):
        """``_DISTANCING_HEAD.search(text, lo, stem)``'s start, or -1: the first place after no
        letter where a head ends at ``stem``."""
        cdef Py_ssize_t p, e
        for p in range(lo, stem):
            if p > 0 and _word_char(PyUnicode_READ(kind, data, p - 1)):
                continue
            for word in self.heads:
                e = _spaced_at(kind, data, p, stem, word)
                if e >= 0 and _at_end(kind, data, e, stem):
                    return p
        return -1


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

    def spans(self, str text not None, verbs, ends, tuple covered):
        """``framing.voice.python_described(text, verbs, ends, covered)``."""
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), nv, ne, k, e, verb, limit, p, q, stop
        cdef unsigned int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        cdef Py_ssize_t *verb_at = NULL
        cdef Py_ssize_t *end_at = NULL
        cdef _Covered cover = _Covered(covered)
        verbs = verbs if type(verbs) is list else list(verbs)
        nv, ne = len(verbs), len(ends)
        out = []
        try:
            verb_at = _positions(verbs, -1)
            end_at = _positions(ends if type(ends) is list else list(ends), -1)
            for k in range(nv):
                verb = verb_at[k]
                if cover.holds(verb):
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
        return out

    cdef Py_ssize_t _name_end(self, str text, unsigned int kind, void *data, Py_ssize_t p,
                              Py_ssize_t limit) except -2:
        """Where the name the pattern matches at ``p`` (the text cut at ``limit``) ends, or -1."""
        cdef Py_ssize_t q, m
        cdef str word
        if PyUnicode_READ(kind, data, p) != self.preposition:
            return -1
        if p > 0 and _word_char(PyUnicode_READ(kind, data, p - 1)):
            return -1  # the look-behind sees before the search's start
        for word in self.not_names:
            m = PyUnicode_GET_LENGTH(word)
            if p + 1 + m <= limit and _same_at(kind, data, p + 1, word, m):
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


cdef inline Py_ssize_t _word_end(str text, Py_ssize_t pos) noexcept:
    """Where the word of ``text`` at ``pos`` ends, a word as the voice rules' patterns read one
    (``[^\\W\\d_]+``, :func:`_word_char`); ``pos`` when none starts there."""
    cdef Py_ssize_t n = len(text)
    while pos < n and _word_char(text[pos]):
        pos += 1
    return pos


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
    cdef _StemSet stem_set  # the same, searched

    def __init__(self, conjunctions, relatives, correspondent, stems):
        self.conjunctions = frozenset(conjunctions)
        self.longest = max([len(w) for w in self.conjunctions], default=0)
        self.relatives = tuple(relatives)
        self.correspondent = correspondent
        self.stems = tuple(stems)
        if not all(isinstance(w, str) and w for w in self.relatives + self.stems):
            raise ValueError("relative pronouns and stems must be non-empty strings")
        self.stem_set = _StemSet(self.stems)

    def __reduce__(self):
        raise TypeError("a ReportedSpeech is made again where it is used, not pickled")

    def spans(self, str text not None, list verbs, list ends, tuple covered, Py_ssize_t reach, bint subject_before):
        """:meth:`framing.voice.PythonReportedSpeech.spans`."""
        cdef Py_ssize_t n = len(text), nv = len(verbs), ne = len(ends), i, e, verb, end, limit, that, stop, pos
        # The first relative clause at or after rel_from in the whole text (-1: none): the statements
        # come in text order, so one search serves them all and a long sentence with many reporting
        # verbs is read once, not once per verb (which was quadratic in its length).
        cdef Py_ssize_t rel_from = -1, rel_at = -1
        cdef Py_ssize_t *verb_at = NULL
        cdef Py_ssize_t *end_at = NULL
        cdef _Covered cover = _Covered(covered)
        cdef unsigned int kind = PyUnicode_KIND(text)
        cdef void *data = PyUnicode_DATA(text)
        out = []
        try:
            verb_at = _positions(verbs, -1)
            end_at = _positions(ends, -1)
            for i in range(nv):
                verb = verb_at[i]
                if cover.holds(verb):
                    continue
                e = _after(end_at, ne, verb)
                end = end_at[e] if e < ne else n
                limit = min(end, verb + reach, n)
                that = self._find_that(text, kind, data, verb, limit)
                if that < 0 or (i + 1 < nv and verb_at[i + 1] < that):
                    continue
                # The pattern of the correspondent only where a match of it would fit, not over the
                # whole text: a test of «مراسل» in an article costs as much as the rest of the rule.
                if self.stem_set.within(kind, data, n, verb, that) and self.correspondent.search(text, verb, that):
                    continue
                pos = _that_end(kind, data, that, limit)
                if not (0 <= rel_from <= pos and (rel_at < 0 or pos <= rel_at)):
                    rel_from, rel_at = pos, self._relative(text, kind, data, pos, n)
                # Within the sentence: the clause found starts before its end, and (checked over the
                # few characters between them) ends before it too.
                stop = self._relative(text, kind, data, rel_at, end) if 0 <= rel_at < end else -1
                out.append((that, end if stop < 0 else stop,
                            ((end_at[e - 1] + 1 if e else 0) if subject_before else verb)))
        finally:
            PyMem_Free(verb_at)
            PyMem_Free(end_at)
        return out


    cdef Py_ssize_t _find_that(self, str text, unsigned int kind, void *data, Py_ssize_t pos,
                               Py_ssize_t limit) except -2:
        """``framing.voice._find_that``: where the first «أن» (or colon) it accepts starts, or -1."""
        cdef Py_ssize_t p, start, space, a, b
        for p in range(pos, limit):
            if _that_end(kind, data, p, limit) < 0:
                continue
            if PyUnicode_READ(kind, data, p) == u":":  # right after the speaker's name («وقال المسماري: ...»)
                return p
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

    def __init__(self, str chars not None):
        self.chars = CharPositions(chars)

    def __reduce__(self):
        raise TypeError("a SentenceEnds is made again where it is used, not pickled")

    def positions(self, str text not None):
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


cdef enum:
    _LANES = 4  # stretches of a text the scan reads at once (CompiledScan._emitting)
    _BREADTH_FIRST = 3  # the automaton's states this near the root are numbered breadth first
    _LANE = 4096  # characters a stretch: the states of a block stay in the cache until they are read

LANES, LANE = _LANES, _LANE  # for the tests, which put keys across the stretches' starts


cdef struct _ScanOut:  # per state of the automaton, read together
    int key  # the key ending at the state, or -1
    int next  # the next state on its failure chain where a key ends, or -1


cdef struct _ScanKey:  # what the scan reads of a key where it ends, in one or two cache lines
    long long alone_rank  # the spelling that wins the key standing alone (when ``alone``)
    Py_ssize_t alone_index
    Py_ssize_t record_start  # its spellings: records record_start to record_end - 1
    Py_ssize_t record_end
    int length
    char clash  # other keys may give the same word
    char alone
    char alone_suffixed
    char alone_definite


cdef struct _ScanRecord:  # one spelling of a key
    long long rank
    Py_ssize_t index
    Py_ssize_t table  # its proclitics' table
    char suffixed


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


def distinct_chars(list strings):
    """The characters of ``strings``, each once, in code point order: ``"".join(sorted(set("".join(
    strings))))``, with a bit per code point where ``set`` makes a str object per character (a
    third of what building a Scorer took)."""
    cdef unsigned char *seen = <unsigned char *> PyMem_Malloc(0x110000 >> 3)
    cdef Py_ssize_t i, n, count = 0, k = 0
    cdef unsigned int ch, top = 0  # code points (a Py_UCS4 would be shifted as a str)
    cdef unsigned int kind
    cdef void *data
    cdef str s
    if not seen:
        raise MemoryError()
    try:
        memset(seen, 0, 0x110000 >> 3)
        for s in strings:
            if s is None:
                raise TypeError("strings must be str. Got None instead")
            kind, data, n = PyUnicode_KIND(s), PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s)
            for i in range(n):
                ch = <unsigned int> PyUnicode_READ(kind, data, i)
                if not seen[ch >> 3] & (1 << (ch & 7)):
                    seen[ch >> 3] |= 1 << (ch & 7)
                    count += 1
                    top = max(top, ch)
        out = PyUnicode_New(count, <Py_UCS4> top)
        kind, data = PyUnicode_KIND(out), PyUnicode_DATA(out)
        for ch in range(top + 1 if count else 0):
            if seen[ch >> 3] & (1 << (ch & 7)):
                PyUnicode_WRITE(kind, data, k, <Py_UCS4> ch)
                k += 1
    finally:
        PyMem_Free(seen)
    return out


# A key's hash: its letters from the last, each step ``h * _ENDING_BASE + letter`` (FNV's prime);
# its slot: the top bits of the hash times _SPREAD (Fibonacci hashing), since the low bits of h
# are those of the last letters alone.
cdef unsigned long long _ENDING_BASE = 1099511628211ULL, _SPREAD = 0x9E3779B97F4A7C15ULL


def clashing(dict stems not None, Py_ssize_t longest):
    """The keys of ``stems`` that end another key after its first 1 to ``longest`` letters, and
    the keys they end, as one set: the twin of ``framing.matcher.python_clashing``, which makes each
    of those endings a str to look it up. Here each ending is hashed as the letters are read from
    the end of the key (its hash is one step from the hash of the ending one letter shorter), and
    only a key of the same hash is compared."""
    cdef list keys = list(stems)
    cdef Py_ssize_t n = len(keys), size = 8, i, j, m, slot, other
    cdef int shift = 61  # 64 - log2(size)
    cdef unsigned long long h
    cdef unsigned long long *hashes = NULL  # per key: the hash of its letters
    cdef Py_ssize_t *table = NULL  # open addressing: a key's index + 1 (0: an empty slot)
    cdef unsigned int kind
    cdef void *data
    cdef str key
    cdef set found = set()
    while size < 2 * n:
        size <<= 1
        shift -= 1
    hashes = <unsigned long long *> PyMem_Malloc(max(n, 1) * sizeof(unsigned long long))
    table = <Py_ssize_t *> PyMem_Calloc(size, sizeof(Py_ssize_t))
    try:
        if not (hashes and table):
            raise MemoryError()
        for i in range(n):
            key = keys[i]
            kind, data, h = PyUnicode_KIND(key), PyUnicode_DATA(key), 0
            for j in range(PyUnicode_GET_LENGTH(key) - 1, -1, -1):
                h = h * _ENDING_BASE + <unsigned int> PyUnicode_READ(kind, data, j)
            hashes[i] = h
            slot = <Py_ssize_t> ((h * _SPREAD) >> shift)
            while table[slot]:
                slot = (slot + 1) & (size - 1)
            table[slot] = i + 1
        for i in range(n):
            key = keys[i]
            kind, data, h, m = PyUnicode_KIND(key), PyUnicode_DATA(key), 0, PyUnicode_GET_LENGTH(key)
            for j in range(m - 1, 0, -1):  # h: the hash of key[j:]
                h = h * _ENDING_BASE + <unsigned int> PyUnicode_READ(kind, data, j)
                if j > longest:
                    continue
                slot = <Py_ssize_t> ((h * _SPREAD) >> shift)
                while table[slot]:
                    other = table[slot] - 1
                    if (hashes[other] == h and PyUnicode_GET_LENGTH(keys[other]) == m - j
                            and PyUnicode_Tailmatch(key, keys[other], j, m, 1) == 1):
                        found.add(key)
                        found.add(keys[other])
                        break
                    slot = (slot + 1) & (size - 1)
    finally:
        PyMem_Free(hashes)
        PyMem_Free(table)
    return found


cdef struct _Walk:  # what each step of CompiledScan's automaton reads (CompiledScan._walk)
    const unsigned short *classes
    Py_ssize_t n_codes
    const unsigned short *narrow
    const int *delta
    int n_classes
    const unsigned char *emits


cdef inline int _step(_Walk w, int state, Py_UCS4 ch) noexcept:
    """The automaton's state after ``ch`` from ``state``."""
    cdef int c = w.classes[ch] if ch < w.n_codes else 0
    return w.narrow[state * w.n_classes + c] if w.narrow != NULL else w.delta[state * w.n_classes + c]


cdef inline Py_ssize_t _kept(_Walk w, int s, Py_ssize_t place, int *places, int *states, Py_ssize_t n) noexcept:
    """Write ``place`` and ``s`` at ``n`` of ``places`` and ``states``; the count, one more when
    ``s`` emits a key. No branch: a character in a few emits, unpredictably."""
    places[n] = <int> place
    states[n] = s
    return n + ((w.emits[s >> 3] >> (s & 7)) & 1)


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
    construct_yeh : str
        The letter that, after a word ending in it, is read as no enclitic
        (``framing.matcher.CONSTRUCT_YEH``).
    """

    cdef int n_classes
    cdef readonly Py_ssize_t states  # of the automaton (a table of two bytes a transition below 65,536)
    cdef Py_ssize_t n_codes
    cdef unsigned short *classes  # class of each code point below n_codes; 0: in no key
    cdef int *delta  # the next state, per state and class
    cdef unsigned short *narrow  # the same in half the memory, when the states fit (delta is then NULL)
    cdef _ScanOut *out  # per state: the key ending there, and the next state on its failure chain where one does
    # A bit per state: whether a key ends there or on its failure chain. Most characters end no
    # key, and this table stays in the fastest cache where ``out`` would not.
    cdef unsigned char *emits
    # Keys ending at the same character differ in length: at most this many words need a Reading there.
    cdef Py_ssize_t longest_key
    cdef Py_ssize_t longest
    cdef long long cliticised
    cdef list kinds
    # What the scan reads of key k where it ends, together (_ScanKey): its spellings are records
    # key_info[k].record_start to record_end - 1, each one's rank, entry index, needs_suffix and
    # proclitic table (the spellings share a few tables, read from ``values``).
    cdef _ScanKey *key_info
    cdef _ScanRecord *records
    # The proclitics of all the tables, and per table and proclitic what the table says (_TAKES...):
    # a proclitic before a key is read from the text, never made a substring and looked up.
    cdef Py_ssize_t n_proclitics
    cdef Py_UCS4 *proclitic_chars
    cdef Py_ssize_t *proclitic_starts
    cdef unsigned char *takes
    cdef Py_ssize_t n_enclitics
    cdef Py_UCS4 *enclitic_chars
    cdef Py_ssize_t *enclitic_starts
    cdef tuple enclitic_strings  # sorted as strings, so a hit sorts by its enclitic's place here
    cdef int heh  # the place of «ه» there (never read from a word-final teh marbuta), or -1
    cdef int yeh  # the place of construct_yeh there (none after a word ending in it), or -1
    cdef Py_UCS4 yeh_char
    cdef Py_ssize_t longest_enclitic
    cdef char *ignored  # per entry index below n_ignored: an ``ignore`` entry
    cdef Py_ssize_t n_ignored

    def __cinit__(self, list keys, list values, Py_ssize_t longest, cliticised, list kinds, frozenset ignore,
                  frozenset enclitics, str construct_yeh not None):
        cdef Py_ssize_t n_states = 1, size, i, k, head, tail, width
        cdef int s, t, c, C, state, f, child, before
        cdef int *root  # per class: the root's child (0: none)
        cdef int *first  # per state of the trie: its first child, in the order of their classes (-1: none)
        cdef int *sibling  # per state: the next child of its parent (-1: none)
        cdef int *label  # per state: the class of the letter that leads to it
        cdef int *key_at  # per state: the key ending there, or -1
        cdef int *order  # the states breadth first
        cdef int *number  # per state: its number in the automaton
        cdef int *fail  # per number: the number of its failure state
        cdef int *depth  # per state: its depth in the trie
        cdef char *table  # the automaton: per number and class, the next number (two bytes or four)
        cdef char *row
        cdef char *failed = NULL
        cdef str key
        cdef Py_UCS4 ch
        if len(values) != len(keys):  # each key's data is written where its value is read
            raise ValueError(f"values must have one entry per key. Got {len(values)} for {len(keys)} keys instead")
        self.longest = longest
        self.cliticised = cliticised
        self.kinds = kinds
        self._read_records(values)
        if len(construct_yeh) != 1:
            raise ValueError(f"construct_yeh must be one letter. Got {construct_yeh!r} instead")
        self.yeh_char = construct_yeh
        self._read_enclitics(enclitics)
        self._read_ignore(ignore)
        letters = distinct_chars(keys)
        if len(letters) >= 65535:
            raise ValueError(f"keys must use fewer than 65,535 characters. Got {len(letters)} instead")
        self.n_codes = (ord(max(letters)) + 1) if letters else 1
        self.n_classes = C = len(letters) + 1
        for key in keys:
            n_states += len(key)
        self.classes = <unsigned short *> PyMem_Malloc(self.n_codes * sizeof(unsigned short))
        root = <int *> PyMem_Calloc(C, sizeof(int))
        first = <int *> PyMem_Malloc(n_states * sizeof(int))
        sibling = <int *> PyMem_Malloc(n_states * sizeof(int))
        label = <int *> PyMem_Malloc(n_states * sizeof(int))
        key_at = <int *> PyMem_Malloc(n_states * sizeof(int))
        order = <int *> PyMem_Malloc(n_states * sizeof(int))
        number = <int *> PyMem_Malloc(n_states * sizeof(int))
        fail = <int *> PyMem_Malloc(n_states * sizeof(int))
        depth = <int *> PyMem_Malloc(n_states * sizeof(int))
        try:
            if not (self.classes and root and first and sibling and label and key_at and order and number
                    and fail and depth):
                raise MemoryError()
            memset(self.classes, 0, self.n_codes * sizeof(unsigned short))
            for c, ch in enumerate(letters, 1):
                self.classes[ch] = c
            # The trie of the keys, each state's children listed in the order of their classes (the
            # root's also in a table by class: it has a child for most letters). Not a table of
            # states x classes: a row for every letter of every key, four bytes a transition, larger
            # than the automaton, and touched a row here and there (a page fault a page, in the kernel).
            first[0] = key_at[0] = -1
            size = 1
            for k in range(len(keys)):
                key = keys[k]
                self.key_info[k].length = len(key)
                self.longest_key = max(self.longest_key, len(key))
                self.key_info[k].clash = bool(values[k][1])
                s = 0
                for ch in key:
                    c = self.classes[ch]
                    if s == 0:
                        t = root[c]
                        before = -1
                        if not t:
                            child = first[0]
                            while child >= 0 and label[child] < c:
                                before, child = child, sibling[child]
                    else:
                        before, child = -1, first[s]
                        while child >= 0 and label[child] < c:
                            before, child = child, sibling[child]
                        t = child if child >= 0 and label[child] == c else 0
                    if t == 0:  # a new state, between ``before`` and ``child``
                        t = <int> size
                        size += 1
                        first[t] = key_at[t] = -1
                        label[t] = c
                        sibling[t] = child
                        if before < 0:
                            first[s] = t
                        else:
                            sibling[before] = t
                        if s == 0:
                            root[c] = t
                    s = t
                key_at[s] = <int> k
            n_states = size
            # Breadth first, the children of a state in the order of their classes.
            head = 0
            tail = 1
            order[0] = depth[0] = 0
            while head < tail:
                state = order[head]
                head += 1
                child = first[state]
                while child >= 0:
                    depth[child] = depth[state] + 1
                    order[tail] = child
                    tail += 1
                    child = sibling[child]
            # Number the states near the root breadth first: a scan spends most of its time there,
            # and those rows then sit together in the cache. Deeper than _BREADTH_FIRST, in the
            # order the keys made them: a key's letters are consecutive rows, so reading one walks
            # down the table, not across it (a fifth fewer misses of the first-level cache in the
            # scan, as valgrind's simulation counts them).
            k = 0
            for i in range(n_states):
                if depth[order[i]] <= _BREADTH_FIRST:
                    number[order[i]] = <int> k
                    k += 1
            for i in range(n_states):
                if depth[i] > _BREADTH_FIRST:
                    number[i] = <int> k
                    k += 1
            # A lexicon of hundreds of entries has fewer than 65,536 states: two bytes a transition
            # halve the table, and most of the scan's time is waiting for its rows.
            self.states = n_states
            width = sizeof(unsigned short) if n_states <= 0xFFFF else sizeof(int)
            table = <char *> PyMem_Malloc(n_states * C * width)
            if width == sizeof(int):
                self.delta = <int *> table
            else:
                self.narrow = <unsigned short *> table
            self.out = <_ScanOut *> PyMem_Malloc(n_states * sizeof(_ScanOut))
            if not (table and self.out):
                raise MemoryError()
            for i in range(n_states):
                self.out[number[i]].key = key_at[i]
            self.out[0].next = -1  # every other state's is written with its parent's row
            # Aho-Corasick as a full DFA, breadth first: a state's row is its failure state's (whose
            # row is complete, being nearer the root) with its own children written over it.
            memset(table, 0, C * width)  # the root's: a letter no key starts with stays there
            for i in range(n_states):
                state = order[i]
                s = number[state]
                row = table + s * C * width
                if state:
                    failed = table + fail[s] * C * width
                    memcpy(row, failed, C * width)
                child = first[state]
                while child >= 0:
                    c, t = label[child], number[child]
                    if state == 0:
                        f = 0
                    elif width == sizeof(int):
                        f = (<int *> failed)[c]
                    else:
                        f = (<unsigned short *> failed)[c]
                    fail[t] = f
                    self.out[t].next = f if self.out[f].key >= 0 else self.out[f].next
                    if width == sizeof(int):
                        (<int *> row)[c] = t
                    else:
                        (<unsigned short *> row)[c] = <unsigned short> t
                    child = sibling[child]
            self.emits = <unsigned char *> PyMem_Malloc((n_states + 7) >> 3)
            if not self.emits:
                raise MemoryError()
            memset(self.emits, 0, (n_states + 7) >> 3)
            for i in range(n_states):
                if self.out[i].key >= 0 or self.out[i].next >= 0:
                    self.emits[i >> 3] |= 1 << (i & 7)
        finally:
            PyMem_Free(root)
            PyMem_Free(first)
            PyMem_Free(sibling)
            PyMem_Free(label)
            PyMem_Free(key_at)
            PyMem_Free(order)
            PyMem_Free(number)
            PyMem_Free(fail)
            PyMem_Free(depth)

    def __dealloc__(self):
        PyMem_Free(self.classes)
        PyMem_Free(self.delta)
        PyMem_Free(self.narrow)
        PyMem_Free(self.out)
        PyMem_Free(self.emits)
        PyMem_Free(self.key_info)
        PyMem_Free(self.records)
        PyMem_Free(self.proclitic_chars)
        PyMem_Free(self.proclitic_starts)
        PyMem_Free(self.takes)
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
        cdef _ScanKey *key
        cdef _ScanRecord *record
        for value in values:
            n_records += len(value[6])
        self.key_info = <_ScanKey *> PyMem_Malloc(max(n_keys, 1) * sizeof(_ScanKey))
        self.records = <_ScanRecord *> PyMem_Malloc(max(n_records, 1) * sizeof(_ScanRecord))
        if not (self.key_info and self.records):
            raise MemoryError()
        memset(self.key_info, 0, max(n_keys, 1) * sizeof(_ScanKey))
        for k in range(n_keys):
            value = values[k]
            key = &self.key_info[k]
            key.record_start = r
            for rank, index, suffixed, table in value[6]:
                number = tables.get(id(table))
                if number is None:
                    number = tables[id(table)] = len(shared)
                    shared.append(table)
                    for proclitic in table:
                        proclitics.setdefault(proclitic, len(proclitics))
                record = &self.records[r]
                record.rank, record.index, record.suffixed, record.table = rank, index, bool(suffixed), number
                r += 1
            key.record_end = r
            # The spelling that wins the key standing alone, when one may (Matcher._compile works it out).
            key.alone = value[2] is not None
            if key.alone:
                key.alone_rank, key.alone_index = value[2], value[3]
                key.alone_suffixed, key.alone_definite = bool(value[4]), bool(value[5])
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
        self.yeh = strings.index(chr(self.yeh_char)) if chr(self.yeh_char) in strings else -1
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
        cdef Hits kept = Hits.__new__(Hits)
        kept.enclitics = self.enclitic_strings
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
            # Leftmost, then longest, then (same span) the reading without an enclitic.
            _sort_hits(hits.items, hits.size)
            for i in range(hits.size):  # the hits kept, moved to the front of the array
                hit = &hits.items[i]
                if hit.start >= reach:
                    reach = hit.end
                    if not (hit.index < self.n_ignored and self.ignored[hit.index]):
                        # «إرهابيي» is a plural in construct, with no enclitic (matcher.CONSTRUCT_YEH).
                        if (hit.enclitic >= 0 and hit.enclitic == self.yeh
                                and PyUnicode_READ(width, data, reach - 2) == self.yeh_char):
                            hit.enclitic = -1
                        hits.items[kept.n] = hit[0]
                        kept.n += 1
            kept.items, kept.capacity, hits.items = hits.items, hits.capacity, NULL  # the array is kept's now
            return kept, markers
        finally:
            PyMem_Free(hits.items)
            PyMem_Free(hits.readings)

    cdef inline _Walk _walk(self) noexcept:
        """What each step reads, as a local value: a field read through ``self`` would be read
        again after every store of a find (the compiler cannot tell that an ``int`` written to
        ``places`` is not ``n_classes``)."""
        cdef _Walk w
        w.classes, w.n_codes, w.narrow, w.delta = self.classes, self.n_codes, self.narrow, self.delta
        w.n_classes, w.emits = self.n_classes, self.emits
        return w

    cdef inline Py_ssize_t _read_lane(self, const text_char *text, Py_ssize_t at, Py_ssize_t n, Py_ssize_t base,
                                      int *state, int *places, int *states) noexcept:
        """Read ``text[at:at + n]`` from ``state[0]`` (left in it at the end); where the state emits
        a key, the offset (``base`` + from ``at``) and the state into ``places`` and ``states``:
        their count."""
        cdef Py_ssize_t j, found = 0
        cdef int s = state[0]
        cdef _Walk w = self._walk()
        for j in range(n):
            s = _step(w, s, text[at + j])
            found = _kept(w, s, base + j, places, states, found)
        state[0] = s
        return found

    cdef Py_ssize_t _emitting(self, const text_char *text, Py_ssize_t pos, Py_ssize_t span, int *state, int *places,
                              int *states) noexcept:
        """The characters of ``text[pos:pos + span]`` where the automaton, from ``state[0]`` (the
        state before ``pos``, left in it after the span), is in a state that emits a key: their
        offsets from ``pos`` into ``places``, the states into ``states``, in order; their count.

        Each step waits for a row of a table of megabytes, most of the scan's time: a long span is
        read as _LANES stretches at once, so that their waits overlap. The automaton's state is the
        longest end of the text read that begins a key, never longer than the longest key, so a
        stretch started that many characters early, from the root, is in the right state when it
        reaches its first character.
        """
        cdef Py_ssize_t j, k, x, n, found, lane = (span + _LANES - 1) // _LANES, warm = self.longest_key, common
        cdef Py_ssize_t n0 = 0, n1 = 0, n2 = 0, n3 = 0
        cdef Py_ssize_t b1 = pos + lane, b2 = pos + 2 * lane, b3 = pos + 3 * lane
        cdef int s0 = state[0], s1 = 0, s2 = 0, s3 = 0
        cdef int *p1 = places + lane
        cdef int *p2 = places + 2 * lane
        cdef int *p3 = places + 3 * lane
        cdef int *t1 = states + lane
        cdef int *t2 = states + 2 * lane
        cdef int *t3 = states + 3 * lane
        cdef _Walk w
        if span < _LANES * 8 * max(warm, 1):  # too short for the early starts to pay (or to fit)
            return self._read_lane(text, pos, span, 0, state, places, states)
        w = self._walk()
        for j in range(-warm, 0):
            s1 = _step(w, s1, text[b1 + j])
            s2 = _step(w, s2, text[b2 + j])
            s3 = _step(w, s3, text[b3 + j])
        common = pos + span - b3  # the last stretch is the shortest
        for j in range(common):
            s0 = _step(w, s0, text[pos + j])
            s1 = _step(w, s1, text[b1 + j])
            s2 = _step(w, s2, text[b2 + j])
            s3 = _step(w, s3, text[b3 + j])
            n0 = _kept(w, s0, j, places, states, n0)
            n1 = _kept(w, s1, j, p1, t1, n1)
            n2 = _kept(w, s2, j, p2, t2, n2)
            n3 = _kept(w, s3, j, p3, t3, n3)
        state[0] = s3  # the last stretch ends the span
        n0 += self._read_lane(text, pos + common, lane - common, common, &s0, places + n0, states + n0)
        n1 += self._read_lane(text, b1 + common, lane - common, common, &s1, p1 + n1, t1 + n1)
        n2 += self._read_lane(text, b2 + common, lane - common, common, &s2, p2 + n2, t2 + n2)
        # The finds of stretches 1 to 3 after stretch 0's, as offsets from ``pos``: each is moved
        # down (never up), so none is overwritten before it is read.
        n = n0
        for k in range(1, _LANES):
            found = n1 if k == 1 else n2 if k == 2 else n3
            for x in range(found):
                places[n] = places[k * lane + x] + <int> (k * lane)
                states[n] = states[k * lane + x]
                n += 1
        return n

    cdef int _scan(self, const text_char *text, Py_ssize_t size, norm, list starts, ScanHits *hits) except -1:
        """Each key of ``text`` that is a whole word up to its clitics, into ``hits`` or (a voice
        marker) ``starts``; 1 when keys that may give the same word were found, else 0."""
        cdef Py_ssize_t block = min(size, _LANES * _LANE)
        cdef int *places = <int *> PyMem_Malloc(max(block, 1) * sizeof(int))
        cdef int *states = <int *> PyMem_Malloc(max(block, 1) * sizeof(int))
        try:
            if not (places and states):
                raise MemoryError()
            return self._scan_blocks(text, size, norm, starts, hits, places, states)
        finally:
            PyMem_Free(places)
            PyMem_Free(states)

    cdef int _scan_blocks(self, const text_char *text, Py_ssize_t size, norm, list starts, ScanHits *hits,
                          int *places, int *states) except -1:
        """:meth:`_scan`, a block of the text at a time: first where the automaton emits keys
        (:meth:`_emitting`), then what those keys give (:meth:`_keys_at`)."""
        cdef Py_ssize_t pos, span, n, x
        cdef int carried = 0, clashed = 0
        for pos in range(0, size, _LANES * _LANE):
            span = min(size - pos, _LANES * _LANE)
            n = self._emitting(text, pos, span, &carried, places, states)
            for x in range(n):
                clashed |= self._keys_at(text, size, norm, starts, hits, pos + places[x], states[x])
        return clashed

    cdef int _keys_at(self, const text_char *text, Py_ssize_t size, norm, list starts, ScanHits *hits,
                      Py_ssize_t last, int state) except -1:
        """The words the keys ending at ``last`` give (``state``: the automaton's state there), into
        ``hits`` or (a voice marker) ``starts``; 1 when keys that may give the same word were among
        them, else 0."""
        cdef Py_ssize_t start, word, stop, longest = self.longest, r, i, held, index = 0
        cdef int t, clashed = 0, proclitic
        cdef unsigned char taken
        cdef long long order = 0, rank  # order, index, suffixed, definite: set wherever they are read
        cdef bint suffixed = False, definite = False, found
        cdef Reading *reading
        cdef const _ScanKey *key
        cdef const _ScanRecord *record
        t = state if self.out[state].key >= 0 else self.out[state].next
        held = 0
        while t >= 0:
            key = &self.key_info[self.out[t].key]
            t = self.out[t].next
            start = last + 1 - key.length
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
                for r in range(key.record_start, key.record_end):
                    record = &self.records[r]
                    taken = self.takes[record.table * self.n_proclitics + proclitic]
                    if taken:
                        rank = record.rank if taken & _TAKES_BARE else record.rank + self.cliticised
                        if not found or rank < order:
                            found = True
                            order = rank
                            index = record.index
                            suffixed = record.suffixed
                            definite = (taken & _TAKES_DEFINITE) != 0
                if not found:
                    continue
            elif key.alone:
                order, index, suffixed, definite = key.alone_rank, key.alone_index, key.alone_suffixed, key.alone_definite
            else:
                continue
            if key.clash:  # the first spelling in the order of Matcher._compile wins
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
        if enclitic == self.heh:
            first = norm.original[norm.orig_index(end)]
            if first == "ة":
                return 0
            if first == "&":  # a character reference («&#1577;»): read by its twin, rarely needed
                from framing.normalize import original_char
                if original_char(norm, end) == "ة":
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
    while u >= 10000:  # offsets: most have at most four digits
        u //= 10000
        n += 4
    return n + (u >= 10) + (u >= 100) + (u >= 1000)


# Two digits a step (``_PAIRS[2 * k: 2 * k + 2]`` is ``k`` written with two digits).
cdef const char *_PAIRS = (b"0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
                           b"5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899")


cdef inline Py_ssize_t _put_int(char *out, int to, Py_ssize_t at, long long v) noexcept:
    """``int.__repr__(v)`` written at ``out[at:]``."""
    cdef Py_ssize_t end = at + _digits(v)
    cdef Py_ssize_t i = end
    cdef unsigned long long u
    cdef unsigned int k
    if v < 0:
        PyUnicode_WRITE(to, out, at, c'-')
        u = 0ULL - <unsigned long long> v
    else:
        u = <unsigned long long> v
    while u >= 100:
        k = <unsigned int> (u % 100) * 2
        u //= 100
        i -= 2
        PyUnicode_WRITE(to, out, i, <Py_UCS4> _PAIRS[k])
        PyUnicode_WRITE(to, out, i + 1, <Py_UCS4> _PAIRS[k + 1])
    if u >= 10:
        k = <unsigned int> u * 2
        PyUnicode_WRITE(to, out, i - 2, <Py_UCS4> _PAIRS[k])
        PyUnicode_WRITE(to, out, i - 1, <Py_UCS4> _PAIRS[k + 1])
    else:
        PyUnicode_WRITE(to, out, i - 1, <Py_UCS4> (48 + u))
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
    """:func:`_put_utf8` of the characters ``data[:n]``; -1 at a surrogate, which str.encode refuses
    (never, after :func:`_utf8_size` measured them)."""
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
            if 0xD800 <= c <= 0xDFFF:
                return -1
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


cdef Py_ssize_t _put_utf8_range(char *out, Py_ssize_t at, str s, Py_ssize_t a, Py_ssize_t b) noexcept:
    """:func:`_put_utf8` of ``s[a:b]`` (``0 <= a <= b <= len(s)``), no substring made; -1 at a
    surrogate."""
    cdef const char *data = <const char *> PyUnicode_DATA(s)
    cdef int kind = PyUnicode_KIND(s)
    if kind == PyUnicode_1BYTE_KIND:
        return _put_utf8_of(out, at, (<const Py_UCS1 *> data) + a, b - a)
    if kind == PyUnicode_2BYTE_KIND:
        return _put_utf8_of(out, at, (<const Py_UCS2 *> data) + a, b - a)
    return _put_utf8_of(out, at, (<const Py_UCS4 *> data) + a, b - a)


cdef inline void _copy_short(char *out, const char *src, Py_ssize_t n) noexcept:
    """``memcpy(out, src, n)``, without a call for the short pieces a match's JSON is made of
    (``, "end": ``): two copies of a fixed size (4, 8 or 16 bytes), overlapping, each a move the
    compiler writes inline; a call to memcpy took longer than such a piece's bytes."""
    cdef Py_ssize_t k
    if 8 <= n <= 16:
        memcpy(out, src, 8)
        memcpy(out + n - 8, src + n - 8, 8)
    elif 16 < n <= 32:
        memcpy(out, src, 16)
        memcpy(out + n - 16, src + n - 16, 16)
    elif 4 <= n < 8:
        memcpy(out, src, 4)
        memcpy(out + n - 4, src + n - 4, 4)
    elif n < 4:
        for k in range(n):
            out[k] = src[k]
    else:
        memcpy(out, src, n)


cdef inline Py_ssize_t _utf8_piece(char *out, Py_ssize_t at, const char *utf8, const Py_ssize_t *ustarts,
                                   Py_ssize_t j) noexcept:
    """Piece ``j`` of a :class:`MatchJson` (its ``utf8`` and ``ustarts``) written at ``out[at:]``;
    the offset after it. A function, not a method: inlined, as it runs eight times a match."""
    _copy_short(out + at, utf8 + ustarts[j], ustarts[j + 1] - ustarts[j])
    return at + ustarts[j + 1] - ustarts[j]


cdef inline Py_ssize_t _utf8_start(char *out, Py_ssize_t at, const char *utf8, const Py_ssize_t *ustarts,
                                   Py_ssize_t first, Py_ssize_t i, list texts, Py_ssize_t e) noexcept:
    """The start of the ``i``-th match's UTF-8 JSON written at ``out[at:]``: its separator, then
    piece ``first`` (its entry's first), or, ``e`` being ``-1 - k``, the whole of the fallback's
    JSON of it, ``texts[k]`` (bytes); the offset after it."""
    cdef PyObject *text
    if i:
        out[at] = c','
        out[at + 1] = c' '
        at += 2
    if e >= 0:
        return _utf8_piece(out, at, utf8, ustarts, first)
    text = PyList_GET_ITEM(texts, -1 - e)
    memcpy(out + at, PyBytes_AS_STRING(<object> text), PyBytes_GET_SIZE(<object> text))
    return at + PyBytes_GET_SIZE(<object> text)


cdef object _AN_INT = 0  # held for an offset of a PendingMatches: the writer reads its number from facts


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
    # Whether each own field is one a PendingMatches holds apart (an offset, the text, a name):
    # then encoded() writes pending matches from their arrays (_encoded_pending).
    cdef bint pending_own
    # The entries of the last PendingMatches written (a scorer's all share one tuple, held here so
    # that no other takes its place), and per entry what _pending_layout says, + 2 (0: not read
    # yet; 1: the fast path does not know it): read once a scorer, not once an article.
    cdef tuple known_fields
    cdef Py_ssize_t *known_layouts

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
        self.pending_own = all([_FIELD_OF_SLOT[self.own[k]] < 0 for k in range(self.n_own)])
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
        PyMem_Free(self.known_layouts)

    def __reduce__(self):
        raise TypeError("a MatchJson is made again where it is used, not pickled")

    cdef Py_ssize_t *_layouts(self, tuple fields) except NULL:
        """``known_layouts`` for the entries ``fields`` (of a PendingMatches), anew when they are not
        the last ones. Read again after any call to Python (the fallback) that could write other
        matches here."""
        if fields is not self.known_fields:
            PyMem_Free(self.known_layouts)
            self.known_fields = None
            self.known_layouts = <Py_ssize_t *> PyMem_Calloc(max(len(fields), 1), sizeof(Py_ssize_t))
            if not self.known_layouts:
                raise MemoryError()
            self.known_fields = fields
        return self.known_layouts

    cdef inline Py_ssize_t _pending_entry(self, PendingMatches pending, Py_ssize_t i, Py_ssize_t *layouts) except -2:
        """The entry of the ``i``-th of ``pending`` (:meth:`_pending_layout`, read once an entry
        into ``layouts``), or -1."""
        cdef Py_ssize_t index = pending.items[i].index
        if not layouts[index]:
            layouts[index] = self._pending_layout(pending, index) + 2
        return layouts[index] - 2

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

    cdef Py_ssize_t _pending_layout(self, PendingMatches pending, Py_ssize_t index) except -2:
        """:meth:`_entry` of a match of ``pending``'s entry ``index`` (the same for all of them: their
        copied values are the entry's fields), or -1 when the fast path does not know it."""
        cdef PyObject *found
        cdef PyObject **entry
        cdef Py_ssize_t e, k
        cdef tuple fields = pending.fields[index]
        source = fields[_FIELD_OF_SLOT[_MATCH_SOURCE]]
        if type(source) is not str:
            return -1
        found = PyDict_GetItemWithError(self.index, source)
        if found is NULL:
            return -1
        e = <Py_ssize_t> PyLong_AsSsize_t(<object> found)
        entry = self.values + e * self.n_copied
        for k in range(self.n_copied):
            if _FIELD_OF_SLOT[self.copied[k]] < 0:  # a match's own value, copied from an entry elsewhere
                return -1
            value = fields[_FIELD_OF_SLOT[self.copied[k]]]
            if not _same(<PyObject *> value, entry[k]):
                return -1
        return e

    cdef Py_ssize_t _pending_held(self, PendingMatches pending, Py_ssize_t i, Py_ssize_t *layouts, PyObject **values,
                                  long long *facts) except -2:
        """The entry of the ``i``-th of ``pending`` (:meth:`_pending_entry`) and its own values held
        into ``values`` (an offset's in ``facts``, without an int made), or -1 when the fast path
        does not know it."""
        cdef Py_ssize_t k, slot, e = self._pending_entry(pending, i, layouts)
        if e < 0:
            return -1
        for k in range(self.n_own):
            slot = self.own[k]
            if slot < _MATCH_TEXT:  # an offset: written from its number, as an int's value is
                value = _AN_INT
                facts[k] = pending.items[i].start if slot == _MATCH_START else pending.items[i].end
            else:
                value = pending._slot(i, slot)
                if not (value is None or type(value) is str):
                    return -1
            Py_INCREF(value)
            values[k] = <PyObject *> value
        return e

    cdef Py_ssize_t _match_held(self, object m, PyObject **values, long long *facts) except -2:
        """The entry of ``m`` (:meth:`_entry`) and its own values held into ``values`` (an int's in
        ``facts``), or -1 when the fast path does not know it."""
        cdef Py_ssize_t k, e = self._entry(m)
        cdef PyObject *value
        cdef int overflow
        if e < 0:
            return -1
        for k in range(self.n_own):
            value = _slot(m, self.slots.offsets[self.own[k]])
            if value is NULL or not (<object> value is None or type(<object> value) is str
                                     or type(<object> value) is int):
                return -1
            facts[k] = 0
            if type(<object> value) is int:
                facts[k] = PyLong_AsLongLongAndOverflow(<object> value, &overflow)
                if overflow:
                    return -1
            Py_INCREF(<object> value)
            values[k] = value
        return e

    cdef int _hold(self, object items, _Held *held, list texts) except -1:
        """The first pass over ``items`` (a tuple, or a :class:`PendingMatches`, none of whose
        ``Match`` objects is made but for the fallback): per match its entry, its own values held
        (so that nothing can change between measuring and writing) and an int's value in
        ``facts``; or ``-1 - k``, ``texts[k]`` being the fallback's JSON of it."""
        cdef Py_ssize_t n = len(items), n_own = self.n_own, i, e
        cdef PendingMatches pending = items if type(items) is PendingMatches else None
        cdef Py_ssize_t *layouts = NULL
        held.n = n * n_own
        held.which = <Py_ssize_t *> PyMem_Malloc(max(n, 1) * sizeof(Py_ssize_t))
        held.values = <PyObject **> PyMem_Malloc(max(n * n_own, 1) * sizeof(PyObject *))
        held.facts = <long long *> PyMem_Malloc(max(n * n_own, 1) * sizeof(long long))
        if not (held.which and held.values and held.facts):
            raise MemoryError()
        for i in range(n * n_own):
            held.values[i] = NULL
        for i in range(n):
            if pending is not None:
                layouts = self._layouts(pending.fields)  # again after the fallback
                e = self._pending_held(pending, i, layouts, held.values + i * n_own, held.facts + i * n_own)
                m = pending._made(i) if e < 0 else None
            else:
                m = items[i]
                e = self._match_held(m, held.values + i * n_own, held.facts + i * n_own)
            if e >= 0:
                held.which[i] = e
            else:
                held.which[i] = -1 - len(texts)
                texts.append(self._fallback_text(m))
        return 0

    cdef str _fallback_text(self, object m):
        """The fallback's JSON of a match the fast path does not know, refused unless a str."""
        text = self.fallback(m)
        if type(text) is not str:
            raise TypeError(f"fallback must give a str. Got {type(text).__name__} instead")
        return <str> text

    def __call__(self, matches):
        """The JSON of each of ``matches``, joined by ``", "`` (the inside of the ``matches`` array)."""
        items = matches if type(matches) is tuple or type(matches) is PendingMatches else tuple(matches)
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
        if type(matches) is PendingMatches and self.pending_own:
            result = self._encoded_pending(matches)
            if result is not None:
                return result
        items = matches if type(matches) is tuple or type(matches) is PendingMatches else tuple(matches)
        cdef Py_ssize_t n = len(items), n_own = self.n_own, i, j, k, e, size, at
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
                e = held.which[i]
                j = e * (n_own + 1)  # the entry's first piece
                at = _utf8_start(out, at, utf8, self.ustarts, j, i, texts, e)
                if e < 0:
                    continue
                for k in range(n_own):
                    value = held.values[i * n_own + k]
                    if <object> value is None:
                        memcpy(out + at, b"null", 4)
                        at += 4
                    elif type(<object> value) is str:
                        at = _put_utf8(out, at, <str> value, held.facts[i * n_own + k])
                    else:
                        at = _put_int(out, PyUnicode_1BYTE_KIND, at, held.facts[i * n_own + k])
                    at = _utf8_piece(out, at, utf8, self.ustarts, j + k + 1)
            if at != size:
                raise SystemError(f"MatchJson wrote {at} bytes of {size}")
            return result
        finally:
            _release(&held)

    cdef object _encoded_pending(self, PendingMatches pending):
        """:meth:`encoded` of matches not made, from their arrays: no value held, each text written
        from the article's characters (no substring made), each name (target, rule, voice,
        speaker) written once a call and copied from there; None when only the general path
        writes them as ``str.encode`` would (a name that is not a str or None, a surrogate anywhere).

        Written in one pass into bytes as long as the matches could take (each one's entry's
        pieces, twenty characters a number, six bytes a character of its text, the longest name
        for each name), then cut to what was written: measuring each match first took a quarter of
        the writer's instructions."""
        cdef Py_ssize_t n = pending.n, n_own = self.n_own, n_names = len(pending.names), length = len(pending.text)
        cdef Py_ssize_t i, j, k, e, slot, size, at, a, b, name, longest = 4, fixed = 0
        cdef Py_ssize_t *layouts
        cdef Py_ssize_t *names = NULL  # per name, where its JSON starts in ``written``, and the end of the last
        cdef char *written = NULL
        cdef Py_ssize_t *which = NULL  # per match, its entry, or -1 - its place in ``texts``
        cdef Py_ssize_t *spans = NULL  # per match, its text's start and end, clamped as a slice would be
        cdef const _Pending *p
        cdef char *out
        cdef PyObject *result = NULL
        cdef const char *utf8 = self.utf8
        cdef list texts = []  # the fallback's JSON of the matches the fast path does not know
        if not n:
            return b""
        try:
            names = <Py_ssize_t *> PyMem_Malloc((n_names + 1) * sizeof(Py_ssize_t))
            which = <Py_ssize_t *> PyMem_Malloc(n * sizeof(Py_ssize_t))
            spans = <Py_ssize_t *> PyMem_Malloc(2 * n * sizeof(Py_ssize_t))
            if not (names and which and spans):
                raise MemoryError()
            names[0] = 0
            for k in range(n_names):
                value = pending.names[k]
                if value is None:
                    a = 4
                elif type(value) is str:
                    a = _utf8_length(value)
                    if a < 0:
                        return None
                else:
                    return None
                names[k + 1] = names[k] + a
                longest = max(longest, a)
            written = <char *> PyMem_Malloc(max(names[n_names], 1))
            if not written:
                raise MemoryError()
            for k in range(n_names):
                value = pending.names[k]
                if value is None:
                    memcpy(written + names[k], b"null", 4)
                else:
                    _put_utf8(written, names[k], value, names[k + 1] - names[k])
            for k in range(n_own):  # the most a match's own values but its text take
                slot = self.own[k]
                if slot == _MATCH_START or slot == _MATCH_END:
                    fixed += 20  # -9223372036854775808
                elif slot != _MATCH_TEXT:
                    fixed += longest
            size = 2 * (n - 1)
            for i in range(n):
                p = &pending.items[i]
                layouts = self._layouts(pending.fields)  # again after the fallback
                e = self._pending_entry(pending, i, layouts)
                if e < 0:
                    try:
                        text = self._fallback_text(pending._made(i)).encode()
                    except UnicodeEncodeError:
                        return None
                    which[i] = -1 - len(texts)
                    texts.append(text)
                    size += len(text)
                    continue
                if not self.encodable[e]:
                    return None
                which[i] = e
                # The slice _slot makes (clamped: never read out of the text); a character is six
                # bytes at most (\u001f), its quotes two.
                a = min(max(p.start, 0), length)
                b = min(max(p.end, a), length)
                spans[2 * i], spans[2 * i + 1] = a, b
                size += self.ulengths[e] + fixed + 2 + 6 * (b - a)
            result = _new_bytes(NULL, size)
            out = PyBytes_AS_STRING(<object> result)
            at = 0
            for i in range(n):
                e = which[i]
                j = e * (n_own + 1)  # the entry's first piece
                at = _utf8_start(out, at, utf8, self.ustarts, j, i, texts, e)
                if e < 0:
                    continue
                p = &pending.items[i]
                for k in range(n_own):
                    slot = self.own[k]
                    if slot == _MATCH_START:
                        at = _put_int(out, PyUnicode_1BYTE_KIND, at, p.start)
                    elif slot == _MATCH_END:
                        at = _put_int(out, PyUnicode_1BYTE_KIND, at, p.end)
                    elif slot == _MATCH_TEXT:
                        at = _put_utf8_range(out, at, pending.text, spans[2 * i], spans[2 * i + 1])
                        if at < 0:  # a surrogate: the general path raises as str.encode does
                            return None
                    else:
                        name = pending._name(p, slot)
                        if name < 0:
                            memcpy(out + at, b"null", 4)
                            at += 4
                        else:
                            _copy_short(out + at, written + names[name], names[name + 1] - names[name])
                            at += names[name + 1] - names[name]
                    at = _utf8_piece(out, at, utf8, self.ustarts, j + k + 1)
            if at > size:  # never: the bound above is each value's longest
                raise SystemError(f"MatchJson wrote {at} bytes of at most {size}")
            _PyBytes_Resize(&result, at)  # on failure, result is freed and set to NULL
            done = <object> result
            return done
        finally:
            Py_XDECREF(result)
            PyMem_Free(names)
            PyMem_Free(written)
            PyMem_Free(which)
            PyMem_Free(spans)


def rounded_text(double x):
    """:func:`_rounded_text`."""
    return _rounded_text(x)


cdef str _rounded_text(double x):
    """``json.dumps(round(x, 3))`` for a float ``x`` (the twin: ``framing.jsonl._rounded``),
    written here without Python's two correctly rounded conversions (thousands of instructions a
    number), or None where double arithmetic cannot tell it: ``x`` within 1e-7 thousandths of halfway
    between two thousandths (Python's ``round`` reads its exact binary value, and rounds a tie to
    even), at least 1e9 in magnitude, or not finite.

    Why the text is the thousandths ``k`` of the nearest multiple: ``round`` gives the double
    nearest to ``k / 1000``, which is ``k / 1000.0`` (``k`` is exact, and a division is correctly
    rounded), and below 1e9 two multiples of a thousandth are a thousandth apart while doubles are
    at most 1.2e-7 apart, so no shorter decimal than ``k / 1000``'s own gives that double back:
    ``repr`` writes those digits, one zero after the point when there is no other."""
    cdef long long k, whole
    cdef int thousandths, digits = 3, at = 31
    cdef double r
    cdef char text[32]  # from the end: the digits after the point, the point, the whole part, the sign
    if not fabs(x) < 1e9:  # NaN too
        return None
    k = llrint(x * 1000.0)
    r = fma(x, 1000.0, -<double> k)  # x * 1000 - k, exact but for one rounding
    if not fabs(r) < 0.4999999:
        return None
    if k == 0:  # the zero keeps the sign of x, as round's does
        return "-0.0" if copysign(1.0, x) < 0 else "0.0"
    whole, thousandths = (-k if k < 0 else k) // 1000, (-k if k < 0 else k) % 1000
    if not thousandths:
        digits = 1  # "3.0"
    while thousandths and thousandths % 10 == 0:
        thousandths //= 10
        digits -= 1
    for _ in range(digits):
        at -= 1
        text[at] = c'0' + thousandths % 10
        thousandths //= 10
    at -= 1
    text[at] = c'.'
    while True:
        at -= 1
        text[at] = c'0' + whole % 10
        whole //= 10
        if not whole:
            break
    if k < 0:
        at -= 1
        text[at] = c'-'
    return PyUnicode_DecodeASCII(text + at, 31 - at, NULL)


cdef Py_ssize_t _KEPT = 4096  # texts a VoiceJson keeps in its table, and names (each cleared when full)
cdef enum:
    _SLOTS = 8192  # of a VoiceJson's table: twice _KEPT, so that a probe ends soon


cdef struct _TextKey:
    # A number: its bits in ``a``, then 0, 0 and NULL. A party's stance: the bits of its favorable
    # and unfavorable evidence, its mentions and its stance object (a reference; never NULL, None
    # is an object), so that no party's key is a number's.
    unsigned long long a
    unsigned long long b
    long long c
    PyObject *held


cdef class VoiceJson:
    """``render(v)``: the JSON of a ``framing.results.VoiceScores``, as
    :meth:`framing.jsonl.JsonRenderer.python_voice` (the twin) writes it.

    Each number is written as ``rounded`` writes it, and kept (an article's evidence takes few
    distinct values); each name as ``quoted`` writes it, and kept; and each party's stance after
    its name, kept by its numbers' bits, its mentions and its stance object. Scores it does not
    read as the scorer makes them (a number that is not a float, a name that is not a str, an
    object of another class) go to ``fallback`` instead.

    Parameters
    ----------
    voice : type
        ``framing.results.VoiceScores``.
    party : type
        ``framing.results.PartyStance``.
    rounded : callable
        The text of a float rounded to 3 digits (``framing.jsonl._rounded``), for the numbers
        :func:`_rounded_text` leaves to it.
    quoted : callable
        The JSON text of a str.
    fallback : callable
        The twin.
    """

    cdef SlotMaker voice
    cdef SlotMaker party
    # The texts of numbers (by their bits: 0.0 and -0.0, equal, are written apart) and of parties'
    # stances after their names (nine a voice, each written whole from here, not piece by piece):
    # one open addressing table, a key hashed and compared in a few instructions, without an object.
    cdef _TextKey keys[_SLOTS]
    cdef PyObject *texts[_SLOTS]  # a reference each, or NULL: an empty slot
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
        for i in range(_SLOTS):
            if self.texts[i] is not NULL:
                Py_XDECREF(self.texts[i])
                Py_XDECREF(self.keys[i].held)
                self.texts[i] = NULL
        self.kept = 0

    cdef Py_ssize_t _slot(self, _TextKey *key) noexcept:
        """The slot of ``key`` in the table, or the empty one where it goes."""
        cdef unsigned long long h = key.a * 0x9E3779B97F4A7C15ULL
        cdef Py_ssize_t i
        h = (h ^ (h >> 29) ^ key.b) * 0xBF58476D1CE4E5B9ULL
        h = (h ^ (h >> 31) ^ <unsigned long long> key.c) * 0x94D049BB133111EBULL
        h = (h ^ (h >> 29) ^ <unsigned long long> <size_t> key.held) * 0x9E3779B97F4A7C15ULL
        i = <Py_ssize_t> (h >> 51)  # 13 bits: _SLOTS
        while self.texts[i] is not NULL and not (self.keys[i].a == key.a and self.keys[i].b == key.b
                                                 and self.keys[i].c == key.c and self.keys[i].held == key.held):
            i = (i + 1) & (_SLOTS - 1)
        return i

    cdef str _keep(self, _TextKey *key, str text):
        """``text``, kept under ``key`` (the table cleared first when full)."""
        cdef Py_ssize_t i
        if self.kept >= _KEPT:
            self._forget()
        i = self._slot(key)  # found again: making the text ran Python code
        Py_INCREF(text)
        Py_XINCREF(key.held)
        self.texts[i] = <PyObject *> text
        self.keys[i] = key[0]
        self.kept += 1
        return text

    cdef str _number(self, double x):
        """``rounded(x)``."""
        cdef _TextKey key = _TextKey(0, 0, 0, NULL)
        cdef Py_ssize_t i
        memcpy(&key.a, &x, sizeof(x))
        i = self._slot(&key)
        if self.texts[i] is not NULL:
            return <str> <object> self.texts[i]
        text = _rounded_text(x)
        if text is None:  # what only Python's round can tell
            text = self.rounded(x)
        if type(text) is not str:
            raise TypeError(f"rounded must give a str. Got {type(text).__name__} instead")
        return self._keep(&key, text)

    cdef str _party(self, double f, double u, object mentions, PyObject *stance, str stance_text):
        """The text of a party's stance after its name (``stance_text`` the text of ``stance``),
        kept by its numbers' bits, its mentions and its stance object."""
        cdef _TextKey key = _TextKey(0, 0, 0, stance)
        cdef Py_ssize_t i
        cdef int overflow
        memcpy(&key.a, &f, sizeof(f))
        memcpy(&key.b, &u, sizeof(u))
        key.c = PyLong_AsLongLongAndOverflow(mentions, &overflow)
        if not overflow:
            i = self._slot(&key)
            if self.texts[i] is not NULL:
                return <str> <object> self.texts[i]
        # PartyStance.to_dict writes zeros unrounded: round leaves a zero as it is.
        text = "".join(['{"favorable": ', self._number(f), ', "unfavorable": ', self._number(u),
                        ', "net": ', self._number(f - u), ', "mentions": ', repr(mentions),
                        ', "stance": ', stance_text, "}"])
        return text if overflow else self._keep(&key, text)  # beyond 64 bits: not kept (no score has that many)

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
        cdef bint first
        if type(v) is not <object> voice.cls:
            return self.fallback(v)
        sides = _slot(v, voice.offsets[0])
        parties = _slot(v, voice.offsets[1])
        lean = _slot(v, voice.offsets[2])
        if sides is NULL or parties is NULL or lean is NULL or not isinstance(<object> sides, dict) or \
                not isinstance(<object> parties, dict):
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
            if not first:
                out.append(", ")
            first = False
            out.append(self._name(name))  # one append a piece: ``out += [...]`` made a list each
            out.append(": ")
            out.append(self._party(PyFloat_AS_DOUBLE(<object> favorable), PyFloat_AS_DOUBLE(<object> unfavorable),
                                   <object> mentions, stance, text))
        out.append("}}")
        return "".join(out)
