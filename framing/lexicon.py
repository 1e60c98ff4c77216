"""Lexicons: human-edited TSV files, validated on load with ``file:line`` errors.

A lexicon is a directory holding two tab-separated files (``#`` starts a comment line, blank lines
are ignored, the first other line is the header):

``parties.tsv`` -- ``id  side  name  name_ar  gloss``
    The actors. ``side`` names the camp a party belongs to; a party whose side is itself *is* a
    side (e.g. ``lna``, ``gna``); foreign backers point at the side they back.

``terms.tsv`` -- ``term  kind  party  polarity  attach  category  weight  gloss  [bare]``
    ``term`` holds the term and its spelling variants separated by ``|``. ``kind`` is one of

    * ``actor`` -- an alias naming ``party`` (a target for evaluative terms, no score);
    * ``naming`` -- a naming choice that frames ``party`` with ``polarity`` on its own
      (e.g. «ما يسمى بالوفاق»); it also counts as a mention of ``party``;
    * ``evaluative`` -- a loaded word whose ``polarity`` goes to the actor it attaches to;
      ``attach`` says how it attaches: ``noun`` (to the actor after it, in construct state, or
      to the owner of its possessive suffix) or ``adj`` (to the actor or noun before it);
      the optional ``bare`` column names the party the word means when it is used bare, with
      no actor in reach and nothing else in the article saying whom (the ``bare`` rule of
      :mod:`framing.attach`): pro-LNA outlets call the GNA's forces «الميليشيات» and name no
      one, pro-GNA outlets write «ميليشيات حفتر»;
    * ``ignore`` -- an ordinary phrase that hides a term inside it (e.g. «روح الوفاق»).

TSV was chosen over TOML/YAML because analysts edit it in any spreadsheet or text editor, one
entry per line, and because errors can point at the exact line (``tomllib`` keeps no positions).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import InputError, LexiconError, a_or_an
from .normalize import normalize
from .voice import marker_forms

try:  # CPython's own SHA-256: hashlib loads OpenSSL first, which costs a command's start-up more than hashing a lexicon
    from _sha256 import sha256
except ImportError:  # Python 3.12 calls it _sha2; elsewhere, hashlib's
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

DEFAULT_LEXICON = "libya-2019-2020"
KINDS = ("actor", "naming", "evaluative", "ignore")
POLARITIES = ("favorable", "unfavorable")
ATTACH = ("noun", "adj")
PARTY_COLUMNS = ("id", "side", "name", "name_ar", "gloss")
TERM_COLUMNS = ("term", "kind", "party", "polarity", "attach", "category", "weight", "gloss", "bare")
#: Columns a header may leave out (their cells are then empty): lexicons written before them load.
OPTIONAL_COLUMNS = frozenset({"bare"})
MAX_WEIGHT = 5.0
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_ARABIC = re.compile(r"[\u0621-\u064a]")
_LETTER = re.compile(r"[\u0621-\u063a\u0641-\u064a]")  # an Arabic letter, not tatweel (U+0640)


@dataclass(frozen=True, slots=True)
class Party:
    """An actor of the conflict; ``side`` is the camp it belongs to."""

    id: str
    side: str
    name: str
    name_ar: str
    gloss: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of ``terms.tsv``.

    ``forms`` are the normalised spellings (the first is the canonical ``term``). ``source`` is
    ``"file:line"`` relative to the lexicon directory (``terms.tsv:42``), so every match can be
    traced back to the row that produced it. ``bare`` is, for an evaluative entry, the party a
    bare use of it means (None: a bare use stays untargeted).
    """

    term: str
    variants: tuple[str, ...]
    forms: tuple[str, ...]
    kind: str
    party: str | None
    polarity: str | None
    attach: str | None
    category: str | None
    weight: float
    gloss: str
    source: str
    bare: str | None = None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("term", "kind", "party", "polarity", "attach", "category", "weight", "gloss",
                                               "bare", "source")}


class FrozenMap(dict):
    """A read-only dict, for what is shared or frozen: a loaded lexicon's parties (a lexicon is
    memoised and sent to worker processes, so no caller may change it under the others) and the
    mappings inside scores (``sides``, ``parties``, ``meta``: :mod:`framing.results`). Reading is
    a dict's (JSON, pandas and ``dict(...)`` take it as one; it hashes by its items); every method
    that would change it raises TypeError. ``dict(m)`` is an ordinary copy to change. Pickles and
    copies as itself, still read-only."""

    __slots__ = ()

    def _read_only(self, *args, **kwargs):
        raise TypeError("this mapping is read-only (part of a lexicon or a score, which are immutable); "
                        "copy it to change it: dict(...)")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self):
        return hash(tuple(self.items()))

    def __repr__(self):
        return f"FrozenMap({dict.__repr__(self)})"

    def __reduce__(self):
        return FrozenMap, (dict(self),)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A validated lexicon: its parties, sides and entries (immutable; equal when name, path and
    content hash are)."""

    name: str
    path: Path
    parties: Mapping[str, Party]
    entries: tuple[Entry, ...]
    sha256: str = field(repr=False)

    def __post_init__(self):
        if not isinstance(self.parties, FrozenMap):
            object.__setattr__(self, "parties", FrozenMap(self.parties))

    def __eq__(self, other):
        if not isinstance(other, Lexicon):
            return NotImplemented
        return (self.name, self.path, self.sha256) == (other.name, other.path, other.sha256)

    def __hash__(self):
        return hash((self.name, self.path, self.sha256))

    def __repr__(self) -> str:
        return (f"Lexicon({self.name!r}, {len(self.entries)} entries, parties {', '.join(self.parties)}, "
                f"sides {', '.join(self.sides)}, path={str(self.path)!r})")

    @cached_property
    def sides(self) -> tuple[str, ...]:
        """Ids of the parties that are sides (their ``side`` is themselves), in file order.

        Cached on the (immutable) lexicon: the scorer asks for every piece of evidence."""
        return tuple(p.id for p in self.parties.values() if p.side == p.id)

    @cached_property
    def _sides_of(self) -> dict[str, str]:
        """Each party's side, in a plain dict: scoring asks for the side of most pieces of evidence."""
        return {key: p.side for key, p in self.parties.items()}

    def side_of(self, party: str) -> str:
        return self._sides_of[party]

    def counts_for(self, party: str, polarity: str | None) -> tuple[str, ...]:
        """The side(s) that evidence about ``party`` with ``polarity`` counts for.

        The one place this rule lives: favorable evidence counts for the party's own side;
        unfavorable evidence counts for every other side (the scorer splits it equally between
        them). An unknown party, or no polarity, counts for no side.

        Examples
        --------
        >>> lex = load_lexicon()
        >>> lex.counts_for("turkey", "favorable"), lex.counts_for("turkey", "unfavorable")
        (('gna',), ('lna',))
        """
        sides_of = self._sides_of
        if party not in sides_of or polarity not in POLARITIES:
            return ()
        side = sides_of[party]
        if polarity == "favorable":
            return (side,)
        return tuple(s for s in self.sides if s != side)

    def slant_pair(self, slant=None) -> tuple[str, str]:
        """The two sides a slant is measured between: ``first − second``.

        ``slant`` names them explicitly; None takes the lexicon's sides when it has exactly two,
        and refuses otherwise (with three sides, which two to subtract is the analyst's choice).

        Raises
        ------
        InputError
            If ``slant`` is not two different sides of this lexicon, or is None and the lexicon
            does not have exactly two sides.
        """
        sides = self.sides
        return check_slant(sides, slant, self.name)

    def gloss(self, term: str) -> str | None:
        """English gloss of a canonical term (charts print it beside the Arabic)."""
        for e in self.entries:
            if e.term == term:
                return e.gloss
        return None


def check_slant(sides, slant=None, lexicon_name: str | None = None) -> tuple[str, str]:
    """Validate a slant pair against ``sides`` (see :meth:`Lexicon.slant_pair`)."""
    sides = tuple(sides)
    of = f" of lexicon {lexicon_name}" if lexicon_name else ""
    if slant is None:
        if len(sides) != 2:
            raise InputError(f"slant must name two sides (first, second): the {len(sides)} sides{of} "
                         f"({', '.join(sides)}) leave the choice open", option="slant")
        return sides[0], sides[1]
    pair = (slant,) if isinstance(slant, str) else tuple(slant)
    if len(pair) != 2 or pair[0] == pair[1] or not all(s in sides for s in pair):
        raise InputError(f"slant must be two different sides{of} ({', '.join(sides)}). "
                         f"Got {' '.join(map(str, pair))} instead", option="slant")
    return pair[0], pair[1]


def _rows(path: Path, data: bytes, columns: tuple[str, ...]):
    """Yield ``(line_number, {column: value})`` for the data lines of TSV file ``path`` holding ``data``."""
    header = None
    try:
        # utf-8-sig: editors on Windows save UTF-8 with a byte-order mark, which must not stick to the header
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LexiconError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); "
                           "save the file as UTF-8") from None
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.rstrip("\r\n").split("\t")]
        if header is None:
            header = cells
            missing = [c for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
            unknown = [c for c in header if c not in columns]
            if missing or unknown:
                required = " ".join(c for c in columns if c not in OPTIONAL_COLUMNS)
                optional = " ".join(c for c in columns if c in OPTIONAL_COLUMNS)
                optional = f" (and optionally {optional})" if optional else ""
                raise LexiconError(
                    f"{path}:{number}: header must be the columns {required}{optional} separated by tabs. "
                    f"Got {' '.join(header)!r} instead"
                )
            continue
        if len(cells) > len(header):
            raise LexiconError(f"{path}:{number}: {len(cells)} tab-separated fields, the header has {len(header)}")
        if len(cells) == 1 and len(header) > 1:  # a row typed with spaces: every column but the first empty
            raise LexiconError(f"{path}:{number}: no tab in the row: its fields must be separated by tabs, "
                               f"as the header's {len(header)} columns are")
        cells += [""] * (len(header) - len(cells))
        row = dict.fromkeys(columns, "")
        row.update(zip(header, cells))
        yield number, row
    if header is None:
        raise LexiconError(f"{path}:1: no header line; expected {' '.join(columns)}")


def _collect(errors: list[str], rows):
    """Yield from ``rows`` (``_rows``); a file-level problem (header, encoding) ends it, recorded."""
    try:
        yield from rows
    except LexiconError as exc:
        errors.append(str(exc))


def _load_parties(path: Path, data: bytes, errors: list[str]) -> dict[str, Party]:
    parties: dict[str, Party] = {}
    lines: dict[str, int] = {}
    for number, row in _collect(errors, _rows(path, data, PARTY_COLUMNS)):
        where = f"{path}:{number}"
        pid = row["id"]
        if not _ID.match(pid):
            errors.append(f"{where}: party id must be lowercase letters, digits and _. Got {pid!r} instead")
        elif pid in parties:
            errors.append(f"{where}: party {pid!r} is already defined on line {lines[pid]}")
        elif not row["name"] or not row["gloss"]:
            errors.append(f"{where}: party {pid!r} needs a name and a gloss")
        else:
            parties[pid] = Party(pid, row["side"], row["name"], row["name_ar"], row["gloss"])
            lines[pid] = number
    for pid, party in parties.items():
        side = parties.get(party.side)
        if side is None or side.side != side.id:
            errors.append(f"{path}:{lines[pid]}: side of {pid!r} must be a party whose side is itself. "
                          f"Got {party.side!r} instead")
    if len({p.side for p in parties.values()}) < 2:
        errors.append(f"{path}: a lexicon needs at least two sides")
    return parties


def _parse_entry(row: dict, where: str, parties: dict[str, Party], source: str) -> Entry:
    """The entry of a row of terms.tsv: errors name the row as ``where`` (the file as opened), the
    entry as ``source`` (relative to the lexicon: a lexicon moved or installed elsewhere gives the
    same output, and every match does not carry a path)."""
    kind = row["kind"]
    if kind not in KINDS:
        raise LexiconError(f"{where}: kind must be one of {', '.join(KINDS)}. Got {kind!r} instead")
    variants = [v.strip() for v in row["term"].split("|")]
    if not all(variants) or not all(_ARABIC.search(v) for v in variants):
        raise LexiconError(f"{where}: term must be Arabic variants separated by '|'. Got {row['term']!r} instead")
    party, polarity, attach = row["party"] or None, row["polarity"] or None, row["attach"] or None
    bare = row["bare"] or None
    needs = {  # which optional columns each kind requires (True), forbids (False) or may take (None)
        "actor": {"party": True, "polarity": False, "attach": False, "weight": False, "bare": False},
        "naming": {"party": True, "polarity": True, "attach": False, "weight": True, "bare": False},
        "evaluative": {"party": False, "polarity": True, "attach": True, "weight": True, "bare": None},
        "ignore": {"party": False, "polarity": False, "attach": False, "weight": False, "bare": False},
    }[kind]
    for column, required in needs.items():
        if required and not row[column]:
            raise LexiconError(f"{where}: {a_or_an(kind)} entry needs {a_or_an(column)}")
        if required is False and row[column]:
            raise LexiconError(f"{where}: {a_or_an(kind)} entry takes no {column}. Got {row[column]!r} instead")
    for column, value in (("party", party), ("bare", bare)):
        if value is not None and value not in parties:
            raise LexiconError(f"{where}: {column} must be one of {', '.join(parties)}. Got {value!r} instead")
    if polarity is not None and polarity not in POLARITIES:
        raise LexiconError(f"{where}: polarity must be favorable or unfavorable. Got {polarity!r} instead")
    if attach is not None and attach not in ATTACH:
        raise LexiconError(f"{where}: attach must be noun or adj. Got {attach!r} instead")
    category = row["category"] or None
    if category is not None and not _ID.match(category):
        raise LexiconError(f"{where}: category must be a lowercase identifier. Got {category!r} instead")
    weight = 0.0
    if row["weight"]:
        try:
            weight = float(row["weight"])
        except ValueError:
            raise LexiconError(f"{where}: weight must be a number. Got {row['weight']!r} instead") from None
        if not 0 < weight <= MAX_WEIGHT:
            raise LexiconError(f"{where}: weight must be in (0, {MAX_WEIGHT:g}]. Got {weight:g} instead")
    if not row["gloss"]:
        raise LexiconError(f"{where}: every entry needs an English gloss")
    normalised = [normalize(v).text.strip() for v in variants]
    for variant, form in zip(variants, normalised):
        if not _LETTER.search(form):  # it would match nothing, or every word
            raise LexiconError(f"{where}: term variant {variant!r} has no Arabic letter left once normalised "
                               "(tatweel, diacritics and invisible characters are removed)")
    forms = tuple(dict.fromkeys(normalised))
    return Entry(variants[0], tuple(variants), forms, kind, party, polarity, attach, category, weight, row["gloss"], source,
                 bare)


def _load_entries(path: Path, data: bytes, parties: dict[str, Party], errors: list[str]) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    # A reporting verb may be a term too («زعم»: framing.matcher adds its match); the other words
    # the voice rules read would never match.
    forms_of = marker_forms()
    markers = {form for kind, forms in forms_of.items() if kind != "report" for form in forms} - set(forms_of["report"])
    for number, row in _collect(errors, _rows(path, data, TERM_COLUMNS)):
        where = f"{path}:{number}"
        try:
            entry = _parse_entry(row, where, parties, f"{path.name}:{number}")
        except LexiconError as exc:
            errors.append(str(exc))
            continue
        for form in entry.forms:
            if form in seen:
                errors.append(f"{where}: {form!r} is already an entry at {seen[form]}")
            elif form in markers:
                errors.append(f"{where}: {form!r} is a word the voice rules read (a participle that reports, "
                              "a verb of naming or documenting, «نفسه»); it cannot also be a term")
            else:
                seen[form] = where
        entries.append(entry)
    if not entries and not errors:
        errors.append(f"{path}: no entries")
    return tuple(entries)


def lexicon_dirs() -> list[Path]:
    """Where lexicon names are looked up: ``$FRAMING_LEXICONS`` (os.pathsep-separated), then the
    project's ``lexicons/`` directory (a source checkout or editable install), then the copy a
    wheel installs as ``framing/_lexicons``."""
    extra = [Path(p) for p in os.environ.get("FRAMING_LEXICONS", "").split(os.pathsep) if p]
    here = Path(__file__).resolve().parent
    return extra + [d for d in (here.parent / "lexicons", here / "_lexicons") if d.is_dir()]


def available_lexicons() -> list[str]:
    return sorted({p.name for d in lexicon_dirs() if d.is_dir() for p in d.iterdir() if (p / "terms.tsv").is_file()})


def resolve_lexicon(name_or_path: str | os.PathLike | None = None) -> Path:
    """The directory of a lexicon given by name or by path (or of a loaded Lexicon)."""
    if isinstance(name_or_path, Lexicon):
        return name_or_path.path
    if name_or_path is not None and not isinstance(name_or_path, (str, os.PathLike)):
        raise LexiconError(f"lexicon must be a name, a path or a Lexicon. Got {type(name_or_path).__name__} instead")
    spec = str(name_or_path or DEFAULT_LEXICON)
    candidates = [Path(spec)] if os.sep in spec or Path(spec).is_dir() else []
    candidates += [d / spec for d in lexicon_dirs()]
    for path in candidates:
        if (path / "terms.tsv").is_file():
            return path.resolve()
    if Path(spec).exists():
        raise LexiconError(f"{spec}: not a lexicon directory (it needs parties.tsv and terms.tsv)")
    raise LexiconError(f"unknown lexicon {spec!r}; available: {', '.join(available_lexicons()) or 'none'}")


def lexicon_ref(lexicon: str | os.PathLike | Lexicon | None) -> str | None:
    """A lexicon as a name or path string (None stays None): what a saved model records, since a
    string persists where a Path or a Lexicon object is no trusted type."""
    if lexicon is None:
        return None
    if isinstance(lexicon, Lexicon):
        return str(lexicon.path)
    return os.fspath(lexicon)


def load_lexicon(name_or_path: str | os.PathLike | Lexicon | None = None) -> Lexicon:
    """Load and validate a lexicon by name (see :func:`lexicon_dirs`) or directory path.

    The one helper every public entry point passes its ``lexicon`` argument through: a
    :class:`Lexicon` already loaded is returned as it is, so every function that takes a lexicon
    accepts a name, a path or a Lexicon.

    Loaded lexicons are memoised by (directory, content hash), as :func:`re.compile` memoises
    patterns. This is no shared mutable state: a Lexicon is immutable (frozen fields, a read-only
    ``parties`` mapping, tuples of frozen entries), so a caller that gets the memoised one cannot
    change what another caller gets, and the key is what the files hold, so the memo can only
    save time, never change a result: a file edited on disk loads again, even when its
    modification time was kept (``cp -p``, ``rsync -t``). To avoid hashing the files on every
    call, a file's hash is reused while its size, inode and change times are unchanged and were
    already more than :data:`SETTLED_SECONDS` old when it was hashed (a file system's clock can
    stamp two quick edits alike, so a file changed more recently is hashed each time).

    Raises
    ------
    LexiconError
        With every problem found, one ``file:line: message`` per line (also as ``.errors``).
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    try:
        path = resolve_lexicon(name_or_path)
        stamp = lexicon_stamp(path)
        digest = _settled_digest(path, stamp) if _settled(stamp) else _digest(*_read(path))
        lexicon = _load(path, digest)
        if lexicon.sha256 != digest:  # the files changed between hashing and parsing: load them afresh
            _load.cache_clear()
            lexicon = _load(path, _digest(*_read(path)))
        return lexicon
    except OSError as exc:  # an unreadable directory or file
        raise LexiconError(f"{exc.filename or name_or_path}: cannot read the lexicon: "
                           f"{(exc.strerror or str(exc)).lower()}") from None


#: How old (in seconds) a lexicon file's last change must be before its hash is reused while its
#: ``stat`` is unchanged: longer than any file system's timestamp granularity.
SETTLED_SECONDS = 2.0


def lexicon_stamp(path: Path) -> tuple:
    """What ``stat`` says of the lexicon's two files (inode, size, modification and change times):
    it changes when a file is written or replaced, even when the modification time is set back."""
    stamps = []
    for f in (path / "parties.tsv", path / "terms.tsv"):
        try:
            st = f.stat()
        except FileNotFoundError:
            stamps.append(None)
            continue
        stamps.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(stamps)


def _settled(stamp: tuple) -> bool:
    newest = max((max(s[2], s[3]) for s in stamp if s is not None), default=0)
    return newest < time.time_ns() - SETTLED_SECONDS * 1e9


@lru_cache(maxsize=32)
def _settled_digest(path: Path, stamp: tuple) -> str:
    return _digest(*_read(path))


def _read(path: Path) -> tuple[bytes, bytes]:
    parties_file = path / "parties.tsv"
    if not parties_file.is_file():
        raise LexiconError(f"{parties_file}: missing; a lexicon declares its parties there")
    return parties_file.read_bytes(), (path / "terms.tsv").read_bytes()


def _digest(parties: bytes, terms: bytes) -> str:
    return sha256(parties + b"\0" + terms).hexdigest()


@lru_cache(maxsize=8)
def _load(path: Path, digest: str) -> Lexicon:
    """The lexicon in ``path`` whose files hash to ``digest`` (its ``sha256`` is what was read)."""
    parties_bytes, terms_bytes = _read(path)
    errors: list[str] = []
    parties = _load_parties(path / "parties.tsv", parties_bytes, errors)
    entries = _load_entries(path / "terms.tsv", terms_bytes, parties, errors)
    if errors:
        raise LexiconError("\n".join(errors), errors)
    return Lexicon(path.name, path, parties, entries, _digest(parties_bytes, terms_bytes))
