"""Find lexicon terms in normalised text, through Arabic clitics, longest match first.

Every form of every entry is compiled, with the proclitics it may take, into one Aho-Corasick
automaton (pyahocorasick), so a text is scanned once whatever the size of the lexicon. A hit
counts only if it is a whole word up to its clitics:

* **Left**: the hit starts a word (the character before it is not a letter). Proclitics are part of
  the compiled keys: the conjunctions و ف, the prepositions ب ل ك and the article ال, in
  their usual combinations (وال، بال، فال، لل، وبال، ولل ...). A term written with «ال» must be
  definite in the text (with و ف ب ك or the لل form); a term written without it may take it.
* **Right**: what follows the hit up to the end of the word must be empty or an enclitic pronoun
  (ه ها هم هما هن ك كم كما كن نا ي). A word-final teh marbuta in the original text is never read
  as the pronoun ه (so «غزو» does not match «غزوة»).
* **Teh marbuta**: a form ending in ة also matches with ت before an enclitic (مرتزقة → مرتزقتها).

The same scan also finds the words :mod:`framing.voice` starts from (a second scan of the
text would cost as much as the first).

Matches are resolved leftmost-longest: a longer phrase hides the terms inside it, which is also how
``ignore`` entries suppress an ordinary use («روح الوفاق»).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from heapq import merge

from .lexicon import Entry, Lexicon
from .normalize import Normalized, original_char
from .voice import marker_forms

try:
    from . import _core
except ImportError:  # built without a C compiler: PythonScan does the same in Python
    _core = None

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ل", "ك")
ENCLITICS = frozenset(("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ي"))
# A «ي» after a word ending in «ي» is no 'my': «إرهابيي داعش»، «انقلابيي الكرامة» are plurals in
# construct («إرهابيين» without its «ن»), which a reader never takes for «إرهابيّ» + «ي». The scan
# reports them with no enclitic (both twins), so no possessive rule reads a first person there.
CONSTRUCT_YEH = "ي"
_LETTERS = re.compile(r"[^\W\d_]*")
_OPENERS = ("«", "“")
_COMMON = frozenset(("", "و", "ال", "وال"))
#: The largest automaton (in bytes, at most) compiled to C; a larger lexicon is scanned in Python.
COMPILED_SCAN_BYTES = 64 << 20
# Added to the rank of a cliticised spelling: an entry's own form comes first.
_CLITICISED = 1 << 40


def _quoted_names(form: str) -> list[str]:
    """``form`` with a quotation opening before one of its later words: «ميليشيا «الكانيات»».

    Arabic news often sets a name in quotation marks inside a phrase («مرتزقة «فاغنر»»، «ما يسمى
    «بركان الغضب»»); the phrase is still the narrator's, and still one term.
    """
    words = form.split(" ")
    return [" ".join(words[:i]) + " " + mark + " ".join(words[i:]) for i in range(1, len(words)) for mark in _OPENERS]


#: Last letters of a word that never take the accusative alef: a word ending in alef, teh marbuta
#: (its tanween is written on it: «مجزرةً»), alef maksura, or a hamza (the common spelling writes
#: «اعتداءً» with no alef); «ه» could be a pronoun already.
_NO_ACCUSATIVE_ALEF = frozenset("اةىءآأإئؤه")


def accusative_form(kind: str, raw: str, form: str) -> str | None:
    """``form`` (of a lexicon variant ``raw`` of a row of ``kind``) written with the alef of the
    indefinite accusative («إرهابي» → «عملا إرهابيا»، «انتهاك» → «ارتكبت انتهاكا»، «تطهير عرقي» →
    «تطهيرا عرقيا»), or None when it takes none. A phrase takes it on every word (a noun and its
    adjectives), so only when each does: not definite, not a sound plural (no alef in its
    accusative), ending in a letter but none of :data:`_NO_ACCUSATIVE_ALEF`. A construct («مجرم حرب»)
    has a genitive after its first word and never a second alef: its spelling is generated and
    never occurs.

    The alef is part of the word, not a clitic: the word reads as its term, with the same target.
    Names (``actor`` rows) are left as written: «مصرا» is 'insistent', not Egypt, «ليبيا» Libya.
    """
    words, written = form.split(" "), raw.split()
    if kind == "actor" or len(words) != len(written):
        return None
    for word, as_written in zip(words, written):
        # The last letter as written: normalising makes «ة» «ه» and «ى» «ي»; a diacritic is no letter.
        last = next((ch for ch in reversed(as_written) if ch.isalpha()), "")
        if (word.startswith("ال") or last in _NO_ACCUSATIVE_ALEF or not word[-1].isalpha()
                or word.endswith(("ين", "ون", "ات"))):
            return None
    return " ".join(word + "ا" for word in words)


def proclitic_keys(form: str) -> list[str]:
    """All spellings of ``form`` with the proclitics it may take (the bare form first)."""
    if form.startswith("ال"):
        stem = form[2:]
        lam_form = "ل" + (stem if stem.startswith("ل") else "ل" + stem)  # ل + ال → لل
        keys = [c + p + form for c in CONJUNCTIONS for p in ("", "ب", "ك")]
        keys += [c + lam_form for c in CONJUNCTIONS]
    else:
        lam_form = "لل" + (form.removeprefix("ل"))
        keys = [c + p + a + form for c in CONJUNCTIONS for p in PREPOSITIONS for a in ("", "ال") if (p, a) != ("ل", "ال")]
        keys += [c + lam_form for c in CONJUNCTIONS]
    return list(dict.fromkeys(keys))


_PLACEHOLDER = "\ue000"  # a private-use character: never in a normalised text
_MARKER = {"": (True, False)}


def _split_keys(spelling: str, common_only: bool) -> list[tuple[str, dict]]:
    """The keys of ``spelling`` (:func:`proclitic_keys`) as ``(stem, proclitics)``: the stem is the
    spelling, or its «لل» form, and ``proclitics`` maps each proclitic it takes to
    ``(bare, definite)``. With ``common_only``, only the commonest proclitics (for quoted names)."""
    keys = proclitic_keys(spelling)
    if common_only:
        keys = [k for k in keys if k[: len(k) - len(spelling)] in _COMMON]
    by_stem: dict[str, dict] = {}
    for key in keys:
        # A key is a proclitic + the spelling, or (after a conjunction) the «لل» form of it.
        stem = spelling if key.endswith(spelling) else key if key.startswith("لل") else key[1:]
        definite = spelling.startswith("ال") or key[: len(key) - len(spelling)].endswith(("ال", "لل"))
        by_stem.setdefault(stem, {}).setdefault(key[: len(key) - len(stem)], (key == spelling, definite))
    return list(by_stem.items())


class PythonScan:
    """:meth:`Matcher.find` in Python, over pyahocorasick's automaton.

    :class:`framing._core.CompiledScan` (compiled at install when a C compiler is there) does the
    same in C and is used instead; the tests check that both find the same matches and markers.
    ``keys`` and ``values`` are as :meth:`Matcher._compile` makes them.
    """

    def __init__(self, keys, values, longest, cliticised, kinds, ignore, enclitics, construct_yeh):
        import ahocorasick  # here: the compiled scan, when there is one, needs no import of it at start-up

        self._kinds, self._ignore, self._enclitics, self._construct_yeh = kinds, ignore, enclitics, construct_yeh
        self._automaton = ahocorasick.Automaton()
        for key, value in zip(keys, values):
            self._automaton.add_word(key, value)
        self._automaton.make_automaton()
        self._longest = longest
        self._cliticised = cliticised

    def raw(self, text: str) -> tuple[list[tuple], bool]:
        """Each word found, as ``(start, last, rank, index, needs_suffix, definite)`` (``last``: the
        offset of its last letter before any enclitic), and whether keys that may give the same word
        were found (their winners come last, in the order of their first hit)."""
        longest, cliticised = self._longest, self._cliticised
        found = []
        add = found.append
        clashing: dict[tuple[int, int], tuple] = {}  # the same, by word, for keys that may give the same word
        for last, (length, clash, rank, index, needs_suffix, definite, records) in self._automaton.iter(text):
            start = last + 1 - length
            if start and text[start - 1].isalpha():  # letters before the key: a proclitic, or inside a word
                word = start - 1
                stop = start - longest
                while word > stop and word and text[word - 1].isalpha():
                    word -= 1
                if word and text[word - 1].isalpha():
                    continue  # a key found inside a word
                prefix = text[word:start]
                start = word
                rank = None
                for first, at, suffixed, table in records:
                    got = table.get(prefix)
                    if got is not None:
                        order = first if got[0] else first + cliticised
                        if rank is None or order < rank:
                            rank, index, needs_suffix, definite = order, at, suffixed, got[1]
            if rank is None:
                continue
            if clash:  # the first spelling in the order of Matcher._compile wins
                old = clashing.get((start, last))
                if old is None or rank < old[2]:
                    clashing[start, last] = (start, last, rank, index, needs_suffix, definite)
            else:
                add((start, last, rank, index, needs_suffix, definite))
        if clashing:
            found += clashing.values()
        return found, bool(clashing)

    def find(self, norm: Normalized) -> tuple[list[tuple[int, int, int, str, bool]], dict[str, list[int]]]:
        """:meth:`Matcher.find`."""
        text = norm.text
        size = len(text)
        found, clashed = self.raw(text)
        kinds = self._kinds
        markers = {kind: [] for kind in kinds}
        if not found:
            return [], markers
        hits = []
        append = hits.append
        for start, last, _, index, needs_suffix, definite in found:
            end = last + 1
            if end == size or not text[end].isalpha():  # the common case: a whole word, no enclitic
                if index < 0:
                    markers[kinds[-1 - index]].append(start)
                elif not needs_suffix:
                    append((start, -end, 0, index, "", definite))
                continue
            if index < 0:
                continue
            suffix = _LETTERS.match(text, end).group()
            if suffix not in self._enclitics:
                continue
            if suffix == "ه" and original_char(norm, end) == "ة":
                continue
            append((start, -end - len(suffix), len(suffix), index, suffix, definite))
        if clashed:
            for starts in markers.values():
                starts.sort()
        if not hits:
            return [], markers
        # Leftmost, then longest, then (same span) the reading without an enclitic: «الانقلابي» is
        # its own entry before it is «انقلاب» + ي. The tuples are built to sort in that order.
        hits.sort()
        ignore, yeh = self._ignore, self._construct_yeh
        kept = []
        reach = -1
        for start, neg_end, _, index, suffix, definite in hits:
            if start >= reach:
                reach = -neg_end
                if index not in ignore:
                    if suffix == yeh and text[reach - 2] == yeh:
                        suffix = ""  # «إرهابيي داعش»: a plural in construct, not «إرهابي» + 'my'
                    kept.append((start, reach, index, suffix, definite))
        return kept, markers


class Matcher:
    """Compiled lexicon terms.

    Parameters
    ----------
    lexicon : Lexicon
        The validated lexicon whose entries are searched.
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._scanner = self._compile(lexicon.entries)
        self._spoken = _spoken_terms(lexicon.entries)
        self._spoken_starts = tuple(self._spoken)  # str.startswith of them all, before a word is read
        # Each scan's hits with its own twin: the compiled scan's Hits, or the Python scan's list.
        self._with_spoken = python_with_spoken if isinstance(self._scanner, PythonScan) else _core.with_spoken

    @staticmethod
    def _compile(entries: tuple[Entry, ...]):
        """The scan (:class:`PythonScan`, or its compiled twin) of every spelling.

        The automaton holds each spelling once, not with each of its proclitics: a hit counts
        when the letters before it, back to the start of the word, are a proclitic its spelling
        may take (:func:`proclitic_keys`). A tenth of the keys, so the automaton is built ten
        times faster and is small enough to stay in the processor's cache while a text is
        scanned. Each key's value lists, for every spelling with that key, ``(rank, entry_index,
        needs_suffix, proclitics)``, with ``proclitics`` mapping each proclitic to ``(bare,
        definite)``. When several spellings give the same word, the first in lexicon order wins,
        except that an entry's own form (``bare``) beats a cliticised one, and the voice
        markers beat both.
        """
        stems: dict[str, list] = {}
        templates: dict[tuple, list] = {}

        def add(spelling, rank, index, needs_suffix, common_only=False):
            # proclitic_keys reads only the head of a spelling («ال», and a «ل» after it or
            # alone), so the keys of every spelling with the same head are those of one template
            # spelling, its placeholder replaced by the rest: worked out once per head, which
            # keeps a 50,000-row lexicon cheap to compile.
            head = "ال" if spelling.startswith("ال") else ""
            if spelling.startswith("ل", len(head)):
                head += "ل"
            split = templates.get((head, common_only))
            if split is None:
                split = templates[head, common_only] = _split_keys(head + _PLACEHOLDER, common_only)
            tail = spelling[len(head):]
            for stem, table in split:
                stems.setdefault(stem.replace(_PLACEHOLDER, tail), []).append((rank, index, needs_suffix, table))

        order = 0
        for code, forms in enumerate(marker_forms().values()):
            for form in forms:
                order += 1
                stems.setdefault(form, []).append((-order, -1 - code, False, _MARKER))  # the last marker of a word wins
        rank = 0
        for index, entry in enumerate(entries):
            for raw, form in zip(entry.variants, entry.forms):
                spellings = [(form, False, False)]
                if raw.endswith("ة"):
                    spellings.append((form[:-1] + "ت", True, False))
                elif accusative := accusative_form(entry.kind, raw, form):
                    spellings.append((accusative, False, False))
                # Quoted names only with the commonest proclitics: each key costs start-up time.
                spellings += [(q, False, True) for q in _quoted_names(form)]
                for spelling, needs_suffix, common_only in spellings:
                    rank += 1
                    add(spelling, rank, index, needs_suffix, common_only)
        longest = max((len(p) for split in templates.values() for _, table in split for p in table), default=0)
        # Two keys can give the same word only when one ends the other after a proclitic's
        # letters («الوفاق» and «وفاق» + «ال»); the hits of other keys need no comparing.
        clash = _clashing(stems, longest)
        values = []
        for stem, records in stems.items():
            # The spelling that wins a key standing alone (no proclitic before it) is worked out here.
            # min() over the spellings that may stand alone, as a loop: a generator per key cost
            # a tenth of building a Scorer.
            alone = None
            for r, i, ns, t in records:
                if "" in t:
                    bare, definite = t[""]
                    candidate = (r if bare else r + _CLITICISED, i, ns, definite)
                    if alone is None or candidate < alone:
                        alone = candidate
            if alone is None:
                alone = (None, None, None, None)
            values.append((len(stem), stem in clash, *alone, tuple(records)))
        ignore = frozenset(i for i, e in enumerate(entries) if e.kind == "ignore")
        # The compiled scan is a full table of states x letters: a few MB for a lexicon of
        # hundreds of entries, too much for tens of thousands (whose Python scan needs far less).
        compiled = _core is not None and (sum(map(len, stems)) * (len(_core.distinct_chars(list(stems))) + 1) * 4
                                          <= COMPILED_SCAN_BYTES)
        return (_core.CompiledScan if compiled else PythonScan)(list(stems), values, longest, _CLITICISED,
                                                                list(marker_forms()), ignore, ENCLITICS, CONSTRUCT_YEH)

    def find(self, norm: Normalized) -> tuple[Sequence[tuple[int, int, int, str, bool]], dict[str, list[int]]]:
        """Whole-word matches and voice markers, in normalised offsets.

        Returns ``(matches, markers)``: matches are ``(start, end, entry_index, enclitic, definite)``
        where ``end`` includes the enclitic and ``definite`` tells whether the first word carries
        the article «ال»; they do not overlap and ``ignore`` entries are dropped. They come as a
        list from the Python scan, and as a sequence of the same tuples held in a C array (a
        ``framing._core.Hits``, whose ``list`` is that list) from the compiled one. ``markers`` maps
        each kind of :func:`framing.voice.marker_forms` to the start offsets of its whole words.
        A reporting verb that is also a term («زعم») is both: a marker, and a match.
        """
        hits, markers = self._scanner.find(norm)
        if self._spoken:
            verbs = markers.get("report")
            if verbs:
                return self._with_spoken(norm.text, hits, verbs, self._spoken, self._spoken_starts), markers
        return hits, markers


def python_clashing(stems: dict, longest: int) -> set[str]:
    """The keys of ``stems`` that end another key after its first 1 to ``longest`` letters (a
    proclitic's), and the keys they end: the only keys whose hits the scan compares
    («الوفاق» and «وفاق»). Its compiled twin, ``framing._core.clashing``, makes no str of each
    ending, as this one does for every key and proclitic length."""
    clash = set()
    for stem in stems:
        for k in range(1, min(longest, len(stem) - 1) + 1):
            if stem[k:] in stems:
                clash.update((stem, stem[k:]))
    return clash


_clashing = python_clashing if _core is None else _core.clashing


def _spoken_terms(entries: tuple[Entry, ...]) -> dict[str, int]:
    """The reporting verbs that are also terms, as each marker word the scan finds for them (with
    و / ف before them), to the entry's index. The narrator who writes «زعم» for «قال» doubts the
    subject; the verb still opens the statement. The scan reads such a word as a marker only
    (markers beat terms there): :meth:`Matcher.find` adds the term's match."""
    reporting = set(marker_forms()["report"])
    spoken: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.kind == "ignore":
            continue
        for form in entry.forms:
            if form in reporting:
                for clitic in ("", "و", "ف"):
                    if clitic + form in reporting:
                        spoken.setdefault(clitic + form, index)
    return spoken


def python_with_spoken(text: str, hits: list, verbs: list[int], spoken: dict[str, int], starts: tuple) -> list:
    """``hits`` with a match for each reporting verb at ``verbs`` (offsets in ``text``) that is a
    term (``spoken``, whose words are ``starts``), in order; a term's match over the same word (a
    longer term that starts with it) wins.

    Its compiled twin, ``framing._core.with_spoken``, takes the compiled scan's hits (a
    ``framing._core.Hits``)."""
    # Gathered, then merged with the hits in place (the scan's list is this call's own): put in one
    # at a time, each moved every hit after it, and a long record took time growing with the square
    # of its length.
    added = []
    for start in verbs:
        if not 0 <= start < len(text):
            raise ValueError(f"verbs must be offsets in the text. Got {start!r} instead")
        if not text.startswith(starts, start):  # most reporting verbs are no term: no word read
            continue
        word = _LETTERS.match(text, start).group()
        index = spoken.get(word)
        if index is None:
            continue
        end = start + len(word)
        k = bisect_left(hits, (start,))
        if not ((k and hits[k - 1][1] > start) or (k < len(hits) and hits[k][0] < end)):
            added.append((start, end, index, "", False))
    if added:
        kept = []  # one hit a word, the first, as when each was put in after the ones before it
        for hit in sorted(added):
            if not kept or hit[0] >= kept[-1][1]:
                kept.append(hit)
        hits[:] = merge(hits, kept)
    return hits
