"""The columns of a scored corpus table, defined once.

A :class:`Schema` is the small frozen value that travels with a table of scores: the lexicon it
was scored with, the field holding the text and the voice the scores count. It names every
column (``sides.<side>``, ``parties.<party>.<field>``, ``model.<party>.<class>``), gives their
types, and builds an empty frame of them (:meth:`Schema.meta`) such as ``dask.dataframe``'s
``map_partitions(..., meta=...)`` asks for. Pass it explicitly: ``DataFrame.attrs`` (where
:func:`framing.table.score_corpus` also records it, for a notebook) is dropped by ``merge`` and
most pandas operations.

Column names follow the paths of :meth:`framing.results.Score.to_dict` joined with dots, so
``sides.lna`` is pro-LNA framing per 1,000 words and ``parties.gna.net`` the net (favorable −
unfavorable) evidence about the GNA.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .errors import InputError
from .lexicon import Lexicon, load_lexicon

#: Whose words a table's scores count: the outlet's own (``narrator``); the article's reading
#: (``reading``: :attr:`framing.results.Score.lean`, the narrator plus one-sided sourcing at half
#: weight); or every voice, quotations included (``all``).
VOICES = ("narrator", "reading", "all")
#: Whose matches a count of terms takes: the outlet's own, or every voice.
MATCH_VOICES = ("narrator", "all")
STANCE_FIELDS = ("favorable", "unfavorable", "net", "mentions", "stance")
#: Columns every scored row has besides the corpus fields, the text and the per-side/party scores.
ROW_COLUMNS = ("where", "words", "lean", "matches")
SCORE_PREFIXES = ("sides.", "parties.", "model.")
_DTYPES = {"favorable": "float64", "unfavorable": "float64", "net": "float64", "mentions": "int64",
           "stance": "object"}


def group_key(value):
    """The group a field's value puts an article in, as every table of groups keys it: a missing
    value (None, NaN, an empty string) is the group None; JSON's true and false are «true» and
    «false», apart from the numbers 1 and 0; a list or an object is its text; any other value is
    itself. :func:`framing.groups.group_keys` adds what only pandas holds (NA, NaT)."""
    if isinstance(value, str):  # first: nearly every group is a string, and this runs once a row
        return value or None
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return str(value)
    if isinstance(value, bool):  # True == 1 for dicts: keep JSON's true apart from the number 1
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def group_name(group) -> str:
    """A group as tables, charts and reports name it: its value, or «(missing)» for the articles
    without one (the group None of :func:`framing.groups.group_keys`; NaN in a table's column)."""
    return "(missing)" if group is None or (isinstance(group, float) and math.isnan(group)) else str(group)


def named_groups(wanted, groups) -> tuple[list, list]:
    """The groups of ``groups`` each of ``wanted`` names, in order, and those of ``wanted`` that name
    none: a group is named by itself or by its :func:`group_name` (a number by its digits, the
    articles without a value by «(missing)», unless a value is written so: it keeps the name)."""
    names = {group_name(g): g for g in sorted(groups, key=lambda g: g is not None)}
    found, absent = [], []
    for g in wanted:
        if g in groups:
            found.append(g)
        elif str(g) in names:
            found.append(names[str(g)])
        else:
            absent.append(g)
    return found, absent


def check_voice(voice: str, voices=VOICES) -> str:
    if voice not in voices:
        raise InputError(f"voice must be {', '.join(voices[:-1])} or {voices[-1]}. Got {voice!r} instead", option="voice")
    return voice


@dataclass(frozen=True)
class Schema:
    """What a table of scores is: its lexicon, text field and voice (see the module docstring).

    Parameters
    ----------
    lexicon : str, path or Lexicon
        The lexicon the articles were scored with (loaded on construction).
    text_field : str, default="text"
        The column holding each article's text.
    voice : {"narrator", "reading", "all"}, default="narrator"
        Whose words the ``lean``, ``sides.*`` and ``parties.*`` columns count.
    """

    lexicon: Lexicon
    text_field: str = "text"
    voice: str = "narrator"

    def __post_init__(self):
        object.__setattr__(self, "lexicon", load_lexicon(self.lexicon))
        check_voice(self.voice)

    @classmethod
    def of(cls, df, lexicon=None, text_field: str | None = None, voice: str | None = None) -> Schema:
        """The schema of a scored frame: each of ``lexicon``, ``text_field`` and ``voice`` as given,
        else as ``df.attrs`` recorded it (:func:`framing.table.score_corpus` records all three).

        Raises
        ------
        InputError
            When one of them is neither given nor recorded (the frame went through an operation
            that drops ``attrs``): guessing the default lexicon, the ``text`` field or the narrator
            voice would be silently wrong.
        """
        attrs = getattr(df, "attrs", {}) or {}
        known = {"lexicon": lexicon if lexicon is not None else attrs.get("lexicon_path"),
                 "text_field": text_field or attrs.get("text_field"),
                 "voice": voice or attrs.get("voice")}
        missing = [name for name, value in known.items() if value is None]
        if missing:
            raise InputError(unknown(missing))
        return cls(**known)

    @property
    def sides(self) -> tuple[str, ...]:
        return self.lexicon.sides

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.lexicon.parties)

    def slant_pair(self, slant=None) -> tuple[str, str]:
        """See :meth:`framing.lexicon.Lexicon.slant_pair`."""
        return self.lexicon.slant_pair(slant)

    def score_columns(self) -> list[str]:
        """The score columns of a row, in order (after ``where``, the corpus fields and the text)."""
        columns = ["words", "lean"] + [side_column(s) for s in self.sides]
        columns += [party_column(p, f) for p in self.parties for f in STANCE_FIELDS]
        return columns + ["matches"]

    def dtypes(self, fields: Sequence[str] = ()) -> dict[str, str]:
        """Column → dtype of a table of scores with the given corpus fields (which are ``object``)."""
        out = {"where": "object", **{f: "object" for f in fields}, self.text_field: "object",
               "words": "int64", "lean": "object"}
        out.update({side_column(s): "float64" for s in self.sides})
        out.update({party_column(p, f): _DTYPES[f] for p in self.parties for f in STANCE_FIELDS})
        out["matches"] = "object"
        return out

    def meta(self, fields: Sequence[str] = ()):
        """An empty DataFrame with the columns and dtypes of a table of scores (``meta`` for Dask)."""
        import pandas as pd

        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in self.dtypes(fields).items()})

    def fields(self, df) -> list[str]:
        """The corpus fields of a table (what ``--by`` may name): no scores, no text."""
        return field_columns(df, self.text_field)

    def to_attrs(self) -> dict:
        """What :func:`framing.table.score_corpus` records in ``df.attrs`` for a notebook."""
        return {"lexicon": self.lexicon.name, "lexicon_path": str(self.lexicon.path), "text_field": self.text_field,
                "voice": self.voice}


def side_column(side: str) -> str:
    return f"sides.{side}"


def party_column(party: str, field: str) -> str:
    return f"parties.{party}.{field}"


def model_column(party: str, name: str) -> str:
    """``model.<party>.label`` or ``model.<party>.<class>`` (a probability)."""
    return f"model.{party}.{name}"


def unknown(names: Sequence[str]) -> str:
    """The message for a table whose ``names`` (parameters: lexicon, text_field, voice) are neither
    given nor recorded in its ``attrs``."""
    listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return (f"this table's {listed} {'are' if len(names) > 1 else 'is'} not known (pandas drops DataFrame.attrs "
            f"in merges and most operations): pass {', '.join(n + '=' for n in names)} or schema=")


def recorded_lexicon(df, lexicon=None) -> Lexicon:
    """The lexicon of a scored table: ``lexicon`` when given, else the one ``df.attrs`` recorded;
    refused when neither (never the default lexicon)."""
    if lexicon is None:
        lexicon = (getattr(df, "attrs", {}) or {}).get("lexicon_path")
    if lexicon is None:
        raise InputError(unknown(["lexicon"]))
    return load_lexicon(lexicon)


def field_columns(df, text_field: str | None) -> list[str]:
    """The corpus fields of a table of scores: every column but the scores and the text
    (``text_field``; None when it is not known: then no column is taken for the text)."""
    return [c for c in df.columns
            if c not in ROW_COLUMNS and c != text_field and not str(c).startswith(SCORE_PREFIXES)]


def sides_in(df) -> list[str]:
    """The side ids whose columns a table has, in column order (for a table without its schema)."""
    return [c.split(".", 1)[1] for c in df.columns if str(c).startswith("sides.")]


def parties_in(df) -> list[str]:
    """The party ids whose columns a table has, in column order (for a table without its schema)."""
    return [c.split(".")[1] for c in df.columns if str(c).startswith("parties.") and str(c).endswith(".net")]


class Keep:
    """Which columns of a table of scores to keep: names and :mod:`fnmatch` patterns (``sides.*``),
    as ``score_corpus(keep=...)`` and :func:`framing.export.read_scores` take them."""

    def __init__(self, keep):
        self.names = tuple(dict.fromkeys([keep] if isinstance(keep, str) else keep))

    def wants(self, column) -> bool:
        return any(column == n or fnmatchcase(str(column), n) for n in self.names)

    def rows(self, rows: list[dict]) -> list[dict]:
        wanted: dict = {}  # column -> kept, decided once per chunk
        out = []
        for row in rows:
            for k in row:
                if k not in wanted:
                    wanted[k] = self.wants(k)
            out.append({k: v for k, v in row.items() if wanted[k]})
        return out

    def check(self, columns, fields) -> None:
        """Refuse a name without wildcard that is no column of the table (a misspelt field);
        the message lists ``fields``, the corpus fields."""
        for name in self.names:
            if name not in columns and not any(c in name for c in "*?["):
                listed = ", ".join(map(str, fields)) or "none"
                raise InputError(f"no field {name!r} in the corpus; fields are: {listed}")
