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

import ahocorasick

from .lexicon import Entry, Lexicon
from .normalize import Normalized
from .voice import marker_forms

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ل", "ك")
ENCLITICS = frozenset(("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ي"))
_LETTERS = re.compile(r"[^\W\d_]*")
_OPENERS = ("«", "“")
_COMMON = frozenset(("", "و", "ال", "وال"))


def _quoted_names(form: str) -> list[str]:
    """``form`` with a quotation opening before one of its later words: «ميليشيا «الكانيات»».

    Arabic news often sets a name in quotation marks inside a phrase («مرتزقة «فاغنر»»، «ما يسمى
    «بركان الغضب»»); the phrase is still the narrator's, and still one term.
    """
    words = form.split(" ")
    return [" ".join(words[:i]) + " " + mark + " ".join(words[i:]) for i in range(1, len(words)) for mark in _OPENERS]


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


class Matcher:
    """Compiled lexicon terms.

    Parameters
    ----------
    lexicon : Lexicon
        The validated lexicon whose entries are searched.
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._marker_kinds = list(marker_forms())
        self._automaton = self._compile(lexicon.entries)
        self._ignore = frozenset(i for i, e in enumerate(lexicon.entries) if e.kind == "ignore")

    @staticmethod
    def _compile(entries: tuple[Entry, ...]):
        automaton = ahocorasick.Automaton()
        for code, forms in enumerate(marker_forms().values()):
            for form in forms:
                automaton.add_word(form, (len(form), -1 - code, False, True, False))
        for index, entry in enumerate(entries):
            for raw, form in zip(entry.variants, entry.forms):
                spellings = [(form, False, proclitic_keys(form))]
                if raw.endswith("ة"):
                    spellings.append((form[:-1] + "ت", True, proclitic_keys(form[:-1] + "ت")))
                # Quoted names only with the commonest proclitics: each key costs start-up time.
                spellings += [(q, False, [k for k in proclitic_keys(q) if k[: len(k) - len(q)] in _COMMON])
                              for q in _quoted_names(form)]
                for spelling, needs_suffix, keys in spellings:
                    for key in keys:
                        bare = key == spelling
                        definite = spelling.startswith("ال") or key[: len(key) - len(spelling)].endswith(("ال", "لل"))
                        old = automaton.get(key, None)
                        if old is None or (bare and not old[3]):  # an entry's own form beats a cliticised one
                            automaton.add_word(key, (len(key), index, needs_suffix, bare, definite))
        automaton.make_automaton()
        return automaton

    def find(self, norm: Normalized) -> tuple[list[tuple[int, int, int, str, bool]], dict[str, list[int]]]:
        """Whole-word matches and voice markers, in normalised offsets.

        Returns ``(matches, markers)``: matches are ``(start, end, entry_index, enclitic, definite)``
        where ``end`` includes the enclitic and ``definite`` tells whether the first word carries
        the article «ال»; they do not overlap and ``ignore`` entries are dropped. ``markers`` maps
        each kind of :func:`framing.voice.marker_forms` to the start offsets of its whole words.
        """
        text = norm.text
        size = len(text)
        hits = []
        append = hits.append
        kinds = self._marker_kinds
        markers = {kind: [] for kind in kinds}
        for last, (length, index, needs_suffix, _, definite) in self._automaton.iter(text):
            start = last + 1 - length
            if start and text[start - 1].isalpha():
                continue  # about half of the raw hits: a key found inside a word
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
            if suffix not in ENCLITICS:
                continue
            if suffix == "ه" and norm.original[norm.orig_index(end)] == "ة":
                continue
            append((start, -end - len(suffix), len(suffix), index, suffix, definite))
        if not hits:
            return [], markers
        # Leftmost, then longest, then (same span) the reading without an enclitic: «الانقلابي» is
        # its own entry before it is «انقلاب» + ي. The tuples are built to sort in that order.
        hits.sort()
        ignore = self._ignore
        kept = []
        reach = -1
        for start, neg_end, _, index, suffix, definite in hits:
            if start >= reach:
                reach = -neg_end
                if index not in ignore:
                    kept.append((start, reach, index, suffix, definite))
        return kept, markers
