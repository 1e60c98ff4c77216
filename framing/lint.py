"""``framing lexicon lint``: every problem of a lexicon at once, each at ``file:line``.

Errors (the lexicon does not load; ``framing lexicon check`` reports the same):
every validation error of :func:`framing.lexicon.load_lexicon`, all of them.

Warnings (it loads, but an entry does not do what its row says):

* ``clitic-spelling``: a form is another entry's form with a proclitic («بالوفاق» beside
  «الوفاق») or with the alef of the accusative («حربا» beside «حرب»): the matcher reads that
  spelling as this entry, never as the other one (redundant when both read the same way, a hidden
  exception otherwise). This is also how a longer entry always wins over a shorter one.
  When the two entries name parties of different sides it is ``both-sides`` instead: the same
  term counts for both sides, decided by spelling rather than by an ``attach`` rule.
* ``redundant-variant``: two variants of one entry are the same once normalised.
* ``removed-characters``: a variant holds characters the normaliser removes (diacritics,
  tatweel, invisible marks): it matches as its normalised form, which the row does not show.
* ``not-letters``: a variant holds characters other than Arabic letters, digits and spaces
  (punctuation, Latin): it matches only where the text has exactly those characters.
* ``unused-party``: no entry names the party, so nothing can ever target it.
* ``weight-band``: a weight outside the documented bands (0.25 to 3, in steps of 0.25; see the
  lexicon README).

With a corpus, also ``never-matched`` (an entry the scorer never counted; when its spelling does
occur, the entries that always win over it there are named) and ``untargeted`` notes: the ten
evaluative terms most often left without a target.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .corpus import ReaderOptions, Skip
from .errors import LexiconError, plural
from .lexicon import Lexicon, load_lexicon
from .matcher import accusative_form, proclitic_keys
from .normalize import DELETED

#: The weights the lexicon README documents: 0.25 to 3, in steps of 0.25.
WEIGHT_BAND = (0.25, 3.0)
WEIGHT_STEP = 0.25
LEVELS = ("error", "warning", "note")
#: How many untargeted terms ``--corpus`` reports.
TOP_UNTARGETED = 10
# Digits are fine: the normaliser maps Arabic-Indic digits to ASCII ones, in text and terms alike.
# DELETED is a character-class body (it holds ranges such as \u200b-\u200f).
_NOT_LETTERS = re.compile(r"[^\u0621-\u063a\u0641-\u064a\s\d\u0660-\u0669" + DELETED + "]")
_DELETED = re.compile("[" + DELETED + "]")
_WHERE = re.compile(r"(.*?:\d+): (.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class Finding:
    """One problem: where (``file:line``, or the file), how bad, which check, and what."""

    where: str
    level: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message} [{self.code}]"

    def to_dict(self) -> dict:
        return {"where": self.where, "level": self.level, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Lint:
    """What :func:`lint` found: the ``findings`` (sorted by file and line) and the corpus records
    left out with ``skip_bad`` (``skips``, in corpus order: the caller reports them)."""

    findings: tuple[Finding, ...]
    skips: tuple[Skip, ...] = ()

    def to_dict(self) -> dict:
        return {"findings": [f.to_dict() for f in self.findings], "skips": [s.to_dict() for s in self.skips]}


def _at(lex: Lexicon, source: str) -> str:
    """``file:line`` of an entry with the lexicon's directory (an entry's ``source`` may be relative to it)."""
    return str(lex.path / source)


def _sort_key(f: Finding):
    """Errors and warnings by file and line; notes last, in the order given (most frequent first)."""
    if f.level == "note":
        return (1, "", 0)
    path, _, line = f.where.rpartition(":")
    return (0, path, int(line)) if line.isdigit() else (0, f.where, 0)


def lint(lexicon, corpus: str | None = None, *, text_field: str = "text", encoding: str = "utf-8",
         skip_bad: bool = False, options: ReaderOptions | None = None) -> Lint:
    """Every finding about ``lexicon`` (name or directory), sorted by file and line, as a :class:`Lint`.

    When the lexicon does not load, its errors are all the findings. With ``corpus``, the
    corpus checks are added (the corpus is scored once), read with ``options`` (default:
    ``text_field``, ``encoding`` and ``skip_bad`` as one :class:`~framing.corpus.ReaderOptions`);
    the records it leaves out are ``Lint.skips``.
    """
    try:
        lex = load_lexicon(lexicon)
    except LexiconError as exc:
        return Lint(tuple(sorted((_error(e) for e in exc.errors), key=_sort_key)))
    findings = static_findings(lex)
    skips: list[Skip] = []
    if corpus is not None:
        findings += corpus_findings(lex, corpus, options or ReaderOptions(text_field, encoding, skip_bad), skips)
    return Lint(tuple(sorted(findings, key=_sort_key)), tuple(skips))


def _error(message: str) -> Finding:
    m = _WHERE.match(message)
    if m:
        return Finding(m.group(1), "error", "invalid", m.group(2))
    where, _, rest = message.partition(": ")
    return Finding(where, "error", "invalid", rest or where)


def static_findings(lex: Lexicon) -> list[Finding]:
    """The warnings that need no corpus (see the module docstring)."""
    out: list[Finding] = []
    out += _variant_findings(lex)
    out += _clitic_findings(lex)
    named = {e.party for e in lex.entries if e.party}
    parties_file = lex.path / "parties.tsv"
    lines = _party_lines(parties_file)
    for pid in lex.parties:
        if pid not in named:
            out.append(Finding(f"{parties_file}:{lines.get(pid, 0)}", "warning", "unused-party",
                               f"no entry names party {pid!r}: nothing can target it (add an actor alias)"))
    low, high = WEIGHT_BAND
    for e in lex.entries:
        if e.weight and (not low <= e.weight <= high or (e.weight / WEIGHT_STEP) % 1):
            out.append(Finding(_at(lex, e.source), "warning", "weight-band",
                               f"weight {e.weight:g} of «{e.term}» is outside the documented bands "
                               f"({low:g} to {high:g} in steps of {WEIGHT_STEP:g})"))
    return out


def _party_lines(path) -> dict[str, int]:
    lines = {}
    header = False
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not header:
            header = True
            continue
        lines.setdefault(line.split("\t")[0].strip(), number)
    return lines


def _variant_findings(lex: Lexicon) -> list[Finding]:
    from .normalize import normalize

    out = []
    for e in lex.entries:
        seen: dict[str, str] = {}
        for variant in e.variants:
            form = normalize(variant).text.strip()
            if form in seen:
                out.append(Finding(_at(lex, e.source), "warning", "redundant-variant",
                                   f"variant «{variant}» is «{seen[form]}» once normalised; drop one"))
            seen.setdefault(form, variant)
            if _DELETED.search(variant):
                out.append(Finding(_at(lex, e.source), "warning", "removed-characters",
                                   f"variant «{variant}» holds characters the normaliser removes "
                                   f"(diacritics, tatweel, invisible marks); it matches as «{form}»"))
            odd = sorted(set(_NOT_LETTERS.findall(variant)))
            if odd:
                shown = " ".join(repr(c) for c in odd)
                out.append(Finding(_at(lex, e.source), "warning", "not-letters",
                                   f"variant «{variant}» holds {shown}: it matches only where the text has "
                                   "exactly those characters"))
    return out


def _fixed_side(lex: Lexicon, entry) -> str | None:
    return lex.side_of(entry.party) if entry.party in lex.parties else None


def _reading(e) -> tuple:
    return (e.kind, e.party, e.polarity, e.attach, e.weight, e.bare)


def _clitic_findings(lex: Lexicon) -> list[Finding]:
    """Forms that are another entry's form with a proclitic."""
    owner: dict[str, tuple[int, str]] = {}
    for i, e in enumerate(lex.entries):
        for form in e.forms:
            owner.setdefault(form, (i, form))
    out = []
    for i, e in enumerate(lex.entries):
        for raw, form in zip(e.variants, e.forms):
            # The spellings the matcher reads as this form: with a proclitic, and in the accusative.
            spellings = [(key, "a clitic") for key in proclitic_keys(form)[1:]]
            if accusative := accusative_form(e.kind, raw, form):
                spellings.append((accusative, "the accusative alef"))
            for key, with_what in spellings:
                hit = owner.get(key)
                if hit is None or hit[0] == i:
                    continue
                other = lex.entries[hit[0]]
                a, b = _fixed_side(lex, other), _fixed_side(lex, e)
                if a and b and a != b:
                    out.append(Finding(_at(lex, other.source), "warning", "both-sides",
                                       f"«{other.term}» counts for {a} but is «{e.term}» ({e.source}), which counts "
                                       f"for {b}, with {with_what}: one term on both sides, decided by spelling; use "
                                       "one entry with an attach rule"))
                elif _reading(other) == _reading(e):
                    out.append(Finding(_at(lex, other.source), "warning", "clitic-spelling",
                                       f"«{other.term}» is «{e.term}» ({e.source}) with {with_what}, read the same way: "
                                       "the matcher already finds it through that entry; drop this row"))
                else:
                    out.append(Finding(_at(lex, other.source), "warning", "clitic-spelling",
                                       f"«{other.term}» is «{e.term}» ({e.source}) with {with_what} but is read "
                                       "differently; the matcher always reads this spelling as this row"))
    return out


def corpus_findings(lex: Lexicon, corpus: str, options: ReaderOptions | None, skips: list) -> list[Finding]:
    """``never-matched`` warnings and ``untargeted`` notes from scoring ``corpus`` once; the records
    left out with ``options.skip_bad`` are appended to ``skips``."""
    from .concordance import PatternMatcher
    from .corpus import keep_skips, read_items
    from .normalize import normalize
    from .scorer import Scorer

    scorer = Scorer(lex)
    counted: Counter = Counter()
    untargeted: Counter = Counter()
    texts = []
    for record in keep_skips(read_items(corpus, options), skips):
        matches = scorer.matches(record.text)
        counted.update(m.source for m in matches)
        untargeted.update(m.source for m in matches if m.kind == "evaluative" and m.target is None)
        texts.append((record.text, matches))
    by_source = {e.source: e for e in lex.entries}
    out = []
    norms = None
    in_texts = f"in {plural(len(texts), 'text')}"
    for e in lex.entries:
        if counted[e.source] or e.kind == "ignore":
            continue
        if norms is None:
            norms = [normalize(text) for text, _ in texts]
        finder = PatternMatcher(e.variants[0], lex)
        found = 0
        winners: Counter = Counter()
        for (text, matches), norm in zip(texts, norms):
            for a, b in finder.spans(text, norm):
                found += 1
                winners.update(m.source for m in matches if m.start < b and m.end > a)
        if found:
            best = ", ".join(f"«{by_source[s].term}» ({s})" for s, _ in winners.most_common(2)) or "an ignore entry"
            message = (f"«{e.term}» is never counted {in_texts}: its {found} occurrence(s) are all "
                       f"read as other entries, longer or the same with a clitic ({best})")
        else:
            message = f"«{e.term}» never occurs {in_texts}"
        out.append(Finding(_at(lex, e.source), "warning", "never-matched", message))
    for source, n in untargeted.most_common(TOP_UNTARGETED):
        out.append(Finding(_at(lex, source), "note", "untargeted",
                           f"«{by_source[source].term}» left without a target {n} time(s) of {counted[source]}"))
    return out
