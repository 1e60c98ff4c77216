"""Records to flat rows of scores, and nothing else.

The step of :func:`framing.table.score_corpus` that parallel and Dask paths repeat on their own
share of a corpus: it takes an iterable of :class:`~framing.corpus.Record` (and
:class:`~framing.corpus.Skip`, passed through as data) and yields one flat ``dict`` per article,
with the columns :class:`~framing.schema.Schema` names. No pandas, no classifier, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .corpus import Record, Skip
from .schema import STANCE_FIELDS, Schema, party_column, side_column


def score_row(scorer, record: Record, schema: Schema) -> dict:
    """The flat row of one article: ``where``, its corpus fields, its text, then the score columns."""
    s = scorer.score(record.text, record.meta)
    scores = s.narrator if schema.voice == "narrator" else s.all_voices
    row = {"where": record.where, **record.meta, schema.text_field: record.text, "words": s.words,
           "lean": scores.lean}
    for side, value in scores.sides.items():
        row[side_column(side)] = value
    for pid in schema.parties:
        p = scores.parties[pid]
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
        from .errors import InputError

        raise InputError(f"the scorer's lexicon ({scorer.lexicon.name}) is not the schema's ({schema.lexicon.name})")
    for item in items:
        yield item if isinstance(item, Skip) else score_row(scorer, item, schema)
