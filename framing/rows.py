"""Records to flat rows of scores, and nothing else.

The step of :func:`framing.table.score_corpus` that parallel and Dask paths repeat on their own
share of a corpus: it takes an iterable of :class:`~framing.corpus.Record` (and
:class:`~framing.corpus.Skip`, passed through as data) and yields one flat ``dict`` per article,
with the columns :class:`~framing.schema.Schema` names. No pandas, no classifier, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .corpus import Record, Skip
from .errors import InputError
from .schema import STANCE_FIELDS, Schema, party_column, side_column


def score_row(scorer, record: Record, schema: Schema, reserved: frozenset | None = None) -> dict:
    """The flat row of one article: ``where``, its corpus fields, its text, then the score columns.

    Raises
    ------
    InputError
        If a corpus field has the name of a score column (``lean``, ``words``, ``sides.lna`` ...):
        the score would silently replace it.
    """
    if reserved is None:
        reserved = reserved_columns(schema)
    clash = [k for k in record.meta if k in reserved]
    if clash:
        raise InputError(f"{record.where}: field {clash[0]!r} has the name of a column of the scores; rename it")
    s = scorer.score(record.text, record.meta)
    scores = {"narrator": s.narrator, "all": s.all_voices}.get(schema.voice)
    if scores is None:  # the reading: Score's own lean, sides and parties
        lean, sides, parties = s.lean, s.sides, s.parties
    else:
        lean, sides, parties = scores.lean, scores.sides, scores.parties
    row = {"where": record.where, **record.meta, schema.text_field: record.text, "words": s.words, "lean": lean}
    for side, value in sides.items():
        row[side_column(side)] = value
    for pid in schema.parties:
        p = parties[pid]
        for name in STANCE_FIELDS:
            row[party_column(pid, name)] = getattr(p, name)
    row["matches"] = s.matches
    return row


def score_rows(items: Iterable[Record | Skip], scorer, schema: Schema) -> Iterator[dict | Skip]:
    """:func:`score_row` of every record; a :class:`~framing.corpus.Skip` passes through unchanged.

    Examples
    --------
    >>> from framing.corpus import Record
    >>> from framing.schema import Schema
    >>> from framing.scorer import scorer_for
    >>> rows = score_rows([Record("قصفت ميليشيات حفتر الأحياء.", {"id": "a"}, "x:1")], scorer_for(), Schema(None))
    >>> row = next(rows)
    >>> row["where"], row["lean"], row["sides.gna"] > 0
    ('x:1', 'gna', True)
    """
    if scorer.lexicon != schema.lexicon:
        raise InputError(f"the scorer's lexicon ({scorer.lexicon.name}) is not the schema's ({schema.lexicon.name})")
    reserved = reserved_columns(schema)
    for item in items:
        yield item if isinstance(item, Skip) else score_row(scorer, item, schema, reserved)


def reserved_columns(schema: Schema) -> frozenset:
    """The names a corpus field may not have: the columns a row of scores writes."""
    return frozenset(["where", *schema.score_columns()])
