"""Keyword in context (:func:`kwic`, also ``framing.kwic``): every place a word, a phrase or a lexicon entry occurs in a corpus.

A **pattern** is found as the matcher finds lexicon terms (:mod:`framing.matcher`): on normalised
text (hamza, teh marbuta, alef maksura, diacritics, tatweel), as whole words through the Arabic
clitics (و ف ب ك ل ال before; ه ها هم ... after), so «ميليشيات» finds «والميليشيات» and
«بميليشياته». A pattern that is a spelling of a lexicon entry also finds the entry's other
spellings («ميليشيات» finds «والمليشيات» when the lexicon lists both). A pattern is found
wherever it occurs, inside a longer lexicon phrase too.

A **term** (``term=``) is a lexicon entry, named by any of its spellings: its lines are the
matches the scorer counts for that entry (a longer entry that covers it wins, as in scoring), with
the ``target``, ``rule`` and ``voice`` the scorer gave each.

Each line has the record's ``id`` and ``where`` (``file:line``), ``start``/``end`` offsets into the
ORIGINAL text (``text[start:end] == match``) and its context. Contexts are laid out for
right-to-left reading: ``right`` is the text BEFORE the match (on its right when read right to
left), ``left`` the text after it; both are ``width`` characters at most, with runs of white space
(line breaks too) shown as one space.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .corpus import ReaderOptions, Record, Skip, keep_skips, read_items
from .errors import InputError, check_count
from .lexicon import Entry, Lexicon
from .normalize import normalize

#: Characters of context on each side of a match.
WIDTH = 40
_SPACE = re.compile(r"\s+")
# Word characters with the Arabic marks and tatweel that sit inside words.
_WORD_CHAR = r"[\w\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]"
_WORD_START = re.compile(_WORD_CHAR + "*")
_WORD_END = re.compile(_WORD_CHAR + "*\\Z")
_IN_WORD = re.compile(_WORD_CHAR)


@dataclass(frozen=True)
class Line:
    """One occurrence: where it is, the match and its context (see the module docstring)."""

    id: object  # the record's id as the corpus gives it (5, "a7", None), as score --json shows it; else ``where``
    where: str
    start: int
    end: int
    right: str
    match: str
    left: str
    term: str | None = None
    target: str | None = None
    rule: str | None = None
    voice: str | None = None
    source: str | None = None

    def to_dict(self) -> dict:
        out = {"id": self.id, "where": self.where, "start": self.start, "end": self.end,
               "right": self.right, "match": self.match, "left": self.left}
        if self.term is not None:
            out.update(term=self.term, target=self.target, rule=self.rule, voice=self.voice, source=self.source)
        return out


def find_entry(lexicon: Lexicon, term: str) -> Entry:
    """The entry of ``lexicon`` one of whose spellings is ``term`` (compared normalised)."""
    form = _form(term)
    for entry in lexicon.entries:
        if form in entry.forms:
            return entry
    raise InputError(f"{term!r} is no entry of lexicon {lexicon.name}; search it as a pattern instead")


def _form(pattern: str) -> str:
    if not isinstance(pattern, str):
        raise InputError(f"pattern must be a string. Got {type(pattern).__name__} instead")
    form = " ".join(normalize(pattern).text.split())
    if not any(c.isalpha() for c in form):
        raise InputError(f"pattern must contain letters. Got {pattern!r} instead")
    return form


class PatternMatcher:
    """Finds one word or phrase (and, when it is a spelling of a lexicon entry, the entry's other
    spellings) the way :class:`framing.matcher.Matcher` finds lexicon terms."""

    def __init__(self, pattern: str, lexicon: Lexicon | None = None):
        from .matcher import Matcher

        form = _form(pattern)
        forms, variants = (form,), (pattern.strip(),)
        if lexicon is not None:
            for entry in lexicon.entries:
                if form in entry.forms:
                    forms, variants = entry.forms, entry.variants
                    break
        # A one-entry lexicon: the matcher then applies its clitic, teh-marbuta and whole-word rules.
        entry = Entry(variants[0], tuple(variants), tuple(forms), "evaluative", None, None, None, None, 0.0,
                      "", "pattern")
        self.pattern = pattern
        self._matcher = Matcher(Lexicon("pattern", Path("."), {}, (entry,), ""))

    def spans(self, text: str, norm=None) -> list[tuple[int, int]]:
        """``(start, end)`` of each occurrence, in offsets of the original ``text`` (``norm``: its
        :func:`~framing.normalize.normalize`, when already computed)."""
        norm = norm or normalize(text)
        hits, _ = self._matcher.find(norm)
        return [norm.span(start, end) for start, end, *_ in hits]


def _line(record: Record, start: int, end: int, width: int, **extra) -> Line:
    text = record.text
    a, b = max(0, start - width), min(len(text), end + width)
    right, left = text[a:start], text[end:b]
    # A word cut by the window is dropped, not shown in pieces. Only the characters at the window's
    # edges are looked at: a search of the text before the window made each line cost the length
    # of the article, and a long article with thousands of matches hours.
    if a > 0 and _IN_WORD.match(text, a - 1, a) and _WORD_START.match(right).group():
        right = right[len(_WORD_START.match(right).group()):]
    if b < len(text) and _IN_WORD.match(text, b, b + 1) and _WORD_END.search(left).group():
        left = left[:len(left) - len(_WORD_END.search(left).group())]
    right, left = _SPACE.sub(" ", right), _SPACE.sub(" ", left)
    return Line(record.meta.get("id", record.where), record.where, start, end, right, text[start:end], left,
                **extra)


def lines(records: Iterable[Record], pattern: str | None = None, *, term: str | None = None, lexicon=None,
          scorer=None, width: int = WIDTH) -> Iterator[Line]:
    """The KWIC lines of ``pattern`` (or of the lexicon entry ``term``) in ``records``, in corpus order.

    Give exactly one of ``pattern`` and ``term``. ``lexicon`` (or ``scorer``, whose lexicon is
    used) defaults to the default lexicon.
    """
    from .scorer import scorer_for

    if (pattern is None) == (term is None):
        raise InputError("give a pattern or a lexicon term, not both", option="term")
    check_count("width", width, positive=False)
    scorer = scorer or scorer_for(lexicon)
    if term is not None:
        entry = find_entry(scorer.lexicon, term)
        for record in records:
            for m in scorer.matches(record.text):
                if m.source == entry.source:
                    yield _line(record, m.start, m.end, width, term=m.term, target=m.target, rule=m.rule,
                                voice=m.voice, source=m.source)
        return
    finder = PatternMatcher(pattern, scorer.lexicon)
    for record in records:
        for start, end in finder.spans(record.text):
            yield _line(record, start, end, width)


def draw(found: Iterable[Line], n: int, seed: int = 0) -> list[Line]:
    """``n`` lines drawn at random (reservoir sampling: memory stays bounded), in corpus order."""
    check_count("sample", n)
    rng = random.Random(seed)
    kept: list[tuple[int, Line]] = []
    for i, line in enumerate(found):
        if i < n:
            kept.append((i, line))
        else:
            j = rng.randint(0, i)
            if j < n:
                kept[j] = (i, line)
    return [line for _, line in sorted(kept, key=lambda pair: pair[0])]


def kwic(source, pattern: str | None = None, *, term: str | None = None, lexicon=None, width: int = WIDTH,
         sample: int | None = None, seed: int = 0, text_field: str = "text", encoding: str = "utf-8",
         skip_bad: bool = False, options: ReaderOptions | None = None):
    """Keyword in context as a DataFrame, one row per occurrence (see the module docstring).

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A JSONL/CSV corpus, ``"demo"``, a text file, or a DataFrame with a ``text_field`` column.
    pattern : str, optional
        A word or phrase, found through clitics and spelling normalisation.
    term : str, optional
        A lexicon entry (any of its spellings); adds the ``term``, ``target``, ``rule``, ``voice``
        and ``source`` of each match.
    lexicon : str or path, optional
        The lexicon of ``term`` and of the spellings a pattern also finds (default: the default one).
    width : int, default=40
        Characters of context on each side.
    sample : int, optional
        Keep this many occurrences drawn at random (with ``seed``), in corpus order.
    text_field, encoding, skip_bad, options
        How to read ``source`` (``options``, a :class:`~framing.corpus.ReaderOptions`, replaces
        the other three).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``where``, ``start``, ``end``, ``right`` (context before the match),
        ``match``, ``left`` (context after it), and with ``term`` also ``term``, ``target``,
        ``rule``, ``voice``, ``source``. ``df.attrs["skips"]`` lists the records left out with
        ``skip_bad``, in corpus order, as :meth:`Skip.to_dict <framing.corpus.Skip.to_dict>` dicts
        (``where``, ``message``; plain data, so the frame still saves to Parquet or JSON): report
        them, e.g. ``for s in df.attrs["skips"]: print(s["message"])``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = kwic(pd.DataFrame({"text": ["رفض الأهالي وجود المليشيات في الحي."]}), "ميليشيات", width=8)
    >>> df[["right", "match", "left"]].values.tolist()
    [[' وجود ', 'المليشيات', ' في الحي']]
    """
    import pandas as pd

    options = options or ReaderOptions(text_field, encoding, skip_bad)
    skips: list[Skip] = []
    found = lines(keep_skips(_items(source, options), skips), pattern, term=term, lexicon=lexicon, width=width)
    rows = draw(found, sample, seed) if sample is not None else list(found)
    columns = list(Line.__dataclass_fields__)
    if term is None:
        columns = columns[:7]
    df = pd.DataFrame([line.to_dict() for line in rows], columns=columns)
    df.attrs["skips"] = [skip.to_dict() for skip in skips]
    return df


def _items(source, options: ReaderOptions) -> Iterator[Record | Skip]:
    """Records and skips of a corpus path, ``demo`` or a DataFrame."""
    if type(source).__name__ == "DataFrame":
        from .table import read_articles

        return read_articles(source, options)
    return read_items(str(source), options)
