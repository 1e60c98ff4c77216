"""Stance labels in a corpus: one field ``stance_<party>`` per party, e.g. ``stance_lna``.

Each label is ``favorable``, ``neutral`` or ``unfavorable``; a missing field (or an empty CSV
cell, or JSON ``null``) means the article is not labelled for that party. Partial labelling is
normal: each party is trained on the articles labelled for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .corpus import Record
from .errors import InputError, skip_or_raise

LABELS = ("favorable", "neutral", "unfavorable")
PREFIX = "stance_"


@dataclass(frozen=True)
class LabelledCorpus:
    """Articles with their per-party labels (``None`` where unlabelled)."""

    texts: tuple[str, ...]
    labels: dict[str, tuple[str | None, ...]]
    meta: tuple[dict, ...]
    where: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.texts)

    def party(self, party: str) -> tuple[list[str], list[str], list[int]]:
        """Texts, labels and positions of the articles labelled for ``party``."""
        index = [i for i, label in enumerate(self.labels[party]) if label is not None]
        return [self.texts[i] for i in index], [self.labels[party][i] for i in index], index

    def sha256(self) -> str:
        """Hash of the texts and labels (not of the file bytes, so JSONL and CSV copies agree)."""
        h = hashlib.sha256()
        for i, text in enumerate(self.texts):
            labels = {p: self.labels[p][i] for p in sorted(self.labels)}
            h.update(json.dumps([text, labels], ensure_ascii=False).encode() + b"\n")
        return h.hexdigest()


def record_labels(record: Record, parties: Iterable[str] | None = None) -> dict[str, str]:
    """The labels of one record, checked.

    Raises
    ------
    InputError
        Naming the record's ``file:line`` and the field, for a value outside :data:`LABELS` or a
        party that ``parties`` (the lexicon's) does not know.
    """
    known = None if parties is None else set(parties)
    out = {}
    for key, value in record.meta.items():
        if not key.startswith(PREFIX) or value is None or value == "":
            continue
        party = key[len(PREFIX):]
        if value not in LABELS:
            raise InputError(f"{record.where}: field {key!r} must be one of {', '.join(LABELS)}. Got {value!r} instead")
        if known is not None and party not in known:
            raise InputError(f"{record.where}: field {key!r} names no party of the lexicon "
                             f"(parties: {', '.join(sorted(known))})")
        out[party] = value
    return out


def read_labelled(records: Iterable[Record], parties: Iterable[str] | None = None, skip_bad: bool = False,
                  on_skip: Callable[[str], None] | None = None) -> LabelledCorpus:
    """Collect the texts and labels of ``records`` (from :func:`framing.corpus.read_records`).

    A record with a bad label raises :class:`InputError`, or with ``skip_bad`` is reported
    through ``on_skip`` and left out.
    """
    parties = None if parties is None else tuple(parties)
    texts, metas, wheres, rows = [], [], [], []
    for record in records:
        try:
            labels = record_labels(record, parties)
        except InputError as exc:
            skip_or_raise(exc, skip_bad, on_skip)
            continue
        texts.append(record.text)
        metas.append(record.meta)
        wheres.append(record.where)
        rows.append(labels)
    seen = {p for row in rows for p in row}
    names = [p for p in parties if p in seen] if parties is not None else sorted(seen)
    labels = {p: tuple(row.get(p) for row in rows) for p in names}
    return LabelledCorpus(tuple(texts), labels, tuple(metas), tuple(wheres))
