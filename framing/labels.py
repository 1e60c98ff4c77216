"""Stance labels in a corpus: one field ``stance_<party>`` per party, e.g. ``stance_lna``.

Each label is ``favorable``, ``neutral`` or ``unfavorable``; a missing field (or an empty CSV
cell, or JSON ``null``) means the article is not labelled for that party. Partial labelling is
normal: each party is trained on the articles labelled for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .corpus import Record, Skip
from .errors import InputError

LABELS = ("favorable", "neutral", "unfavorable")
PREFIX = "stance_"


@dataclass(frozen=True)
class LabelledCorpus:
    """Articles with their per-party labels (``None`` where unlabelled), and the records left out
    (``skips``, in file order: the caller reports them)."""

    texts: tuple[str, ...]
    labels: dict[str, tuple[str | None, ...]]
    meta: tuple[dict, ...]
    where: tuple[str, ...] = ()
    skips: tuple[Skip, ...] = ()

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


def label_items(items: Iterable[Record | Skip], parties: Iterable[str] | None = None,
                skip_bad: bool = False) -> Iterator[tuple[Record, dict[str, str]] | Skip]:
    """Each record of ``items`` (from :func:`framing.corpus.read_items`) with its labels, in order.

    A :class:`~framing.corpus.Skip` passes through; a record with a bad label raises
    :class:`InputError`, or with ``skip_bad`` becomes a Skip (skips are data, reported by the
    caller, so this works in another process too).
    """
    parties = None if parties is None else tuple(parties)
    for item in items:
        if isinstance(item, Skip):
            yield item
            continue
        try:
            labels = record_labels(item, parties)
        except InputError as exc:
            if not skip_bad:
                raise
            yield Skip(item.where, str(exc))
            continue
        yield item, labels


def read_labelled(items: Iterable[Record | Skip], parties: Iterable[str] | None = None,
                  skip_bad: bool = False) -> LabelledCorpus:
    """Collect the texts and labels of ``items`` (records, and skips, from
    :func:`framing.corpus.read_items` or :func:`~framing.corpus.read_records`).

    A record with a bad label raises :class:`InputError`, or with ``skip_bad`` is left out; every
    record left out is in ``skips`` (see :func:`label_items`).
    """
    parties = None if parties is None else tuple(parties)
    texts, metas, wheres, rows, skips = [], [], [], [], []
    for item in label_items(items, parties, skip_bad):
        if isinstance(item, Skip):
            skips.append(item)
            continue
        record, labels = item
        texts.append(record.text)
        metas.append(record.meta)
        wheres.append(record.where)
        rows.append(labels)
    seen = {p for row in rows for p in row}
    names = [p for p in parties if p in seen] if parties is not None else sorted(seen)
    labels = {p: tuple(row.get(p) for row in rows) for p in names}
    return LabelledCorpus(tuple(texts), labels, tuple(metas), tuple(wheres), tuple(skips))
