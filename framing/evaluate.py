"""Agreement of the scorer (and of a stance model) with a labelled corpus: ``framing evaluate``.

A labelled corpus carries one ``stance_<party>`` field per labelled party (``favorable``,
``neutral`` or ``unfavorable``; see :mod:`framing.labels`), for any parties of the lexicon.

**Text stance rule** (how a text's gold stance follows from its per-party labels, and how a model's
per-party labels give it a lean): each label is a vote, counted the way the scorer counts evidence.
A label favorable to a party gives its side 1; a label unfavorable to a party gives each *other*
side ``1 / (number of sides − 1)``; a neutral label gives nothing. The text is ``pro_<side>`` for
the side with the most votes when that side has more than every other, and ``neutral`` otherwise
(no votes, or a tie). With two sides this is the sign of ``(LNA label − GNA label)`` with
favorable = +1 and unfavorable = −1. Unlabelled parties give nothing.

**Figures** (every reading against the gold labels):

* *lean accuracy*: over the sided (non-neutral) texts, the share whose lean is the gold side; an
  abstention (no lean) counts as wrong. *Lean coverage*: the share of sided texts given any lean;
  *lean precision*: the share of the leans given to sided texts that are right. The scorer's lean
  is its reading (:attr:`framing.results.Score.lean`); a model's, and the combined stance's, is
  the text stance of its per-party labels.
* *neutral texts given a lean*: over the neutral texts, the share given a lean.
* *3-way macro-F1*: text stance (``pro_<side>`` per side, or ``neutral``; a reading with no lean
  reads ``neutral``), F1 averaged over the classes present in the gold labels.
* *per-party macro-F1*: over favorable / neutral / unfavorable, on the texts labelled for the
  party. Where the scorer abstains on a party, the sign of its ``net`` evidence is counted
  (positive favorable, negative unfavorable, zero neutral). The confusion matrices show
  abstention as its own column instead.
* *evidence recall*: when records carry an ``evidence`` list of phrases, the share of phrases that
  some match of the scorer overlaps (any kind, any voice). A phrase is found in the original text
  as written, else in the normalised text; a phrase found nowhere counts as missed. The headline
  figure counts the phrases of sided texts (the marked framing devices); all texts are shown too.

Records without any ``stance_<party>`` label are left out and counted (``unlabelled``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .corpus import ReaderOptions, Skip, read_items, source_list, sources_label
from .errors import InputError
from .evaluation import Metrics, metrics
from .labels import LABELS, PREFIX, record_labels
from .normalize import normalize
from .progress import reading
from .schema import group_key, group_name
from .scorer import Scorer, scorer_for

NEUTRAL = "neutral"
ABSTAIN = "abstain"
#: Texts scored (and predicted by a model) together.
BATCH = 512


# --------------------------------------------------------------------------------------------
# Text stance


def text_stance(labels: dict[str, str | None], lexicon) -> str:
    """The text stance per-party labels imply: ``pro_<side>`` or ``neutral`` (rule in the module doc).

    The sides a label counts for are the lexicon's answer for evidence
    (:meth:`framing.lexicon.Lexicon.counts_for`), each given an equal share of one vote.

    Examples
    --------
    >>> from framing import load_lexicon
    >>> lexicon = load_lexicon()
    >>> text_stance({"lna": "favorable", "gna": "unfavorable"}, lexicon)
    'pro_lna'
    >>> text_stance({"lna": "favorable", "gna": "favorable"}, lexicon)
    'neutral'
    >>> text_stance({"turkey": "unfavorable"}, lexicon)
    'pro_lna'
    """
    votes = dict.fromkeys(lexicon.sides, 0.0)
    for party, label in labels.items():
        sides = lexicon.counts_for(party, None if label == NEUTRAL else label)
        for side in sides:
            votes[side] += 1 / len(sides)
    top = max(votes.values())
    leaders = [s for s, v in votes.items() if v == top]
    return f"pro_{leaders[0]}" if top > 0 and len(leaders) == 1 else NEUTRAL


def lean_of(stance: str) -> str | None:
    """The side of a text stance (``pro_lna`` → ``lna``), None for ``neutral``."""
    return None if stance == NEUTRAL else stance.removeprefix("pro_")


# --------------------------------------------------------------------------------------------
# Readings of one text


@dataclass(frozen=True)
class Reading:
    """What one reader (the lexicon scorer, a model ...) made of one text.

    ``stances[party]`` is the reader's label or None where it abstains; ``resolved[party]`` is the
    label counted for macro-F1 (the fallback where it abstains).
    """

    lean: str | None
    stances: dict[str, str | None]
    resolved: dict[str, str]

    @property
    def stance(self) -> str:
        return NEUTRAL if self.lean is None else f"pro_{self.lean}"

    def to_dict(self) -> dict:
        return {"lean": self.lean, "stances": dict(self.stances)}


def _sign(net: float) -> str:
    return "favorable" if net > 0 else "unfavorable" if net < 0 else NEUTRAL


def lexicon_reading(score) -> Reading:
    """The scorer's narrator reading: its lean, and per party its stance (sign of ``net`` where it abstains)."""
    parties = score.parties
    return Reading(score.lean, {p: s.stance for p, s in parties.items()},
                   {p: s.stance or _sign(s.net) for p, s in parties.items()})


def model_reading(predicted: dict[str, dict], lexicon) -> Reading:
    """A stance model's reading (one row of :meth:`framing.model.StanceModel.predict`): its labels,
    and the lean of their text stance."""
    labels = {p: row["label"] for p, row in predicted.items()}
    return Reading(lean_of(text_stance(labels, lexicon)), labels, labels)


def combined_reading(score, predicted: dict[str, dict], lexicon) -> Reading:
    """The combined stance of :func:`framing.combine.combine` (the lexicon where it has strong
    evidence, the classifier otherwise), and the lean of its text stance."""
    from .combine import combine

    labels = {p: c["stance"] for p, c in combine(score, predicted).items()}
    return Reading(lean_of(text_stance(labels, lexicon)), labels, labels)


# --------------------------------------------------------------------------------------------
# One evaluated text


@dataclass(frozen=True)
class Item:
    """One labelled text with every reading of it and where its evidence phrases were matched."""

    id: str
    where: str
    group: str | None
    labels: dict[str, str]
    stance: str
    readings: dict[str, Reading]
    evidence: tuple[str, ...] = ()
    matched: tuple[bool, ...] = ()
    untargeted: tuple[str, ...] = ()

    @property
    def lean(self) -> str | None:
        return lean_of(self.stance)

    def badness(self, reader: str = "lexicon") -> float:
        """How bad the reading is, for ``--misses``: a lean on the wrong side 3, a missed lean or a
        neutral text given one 2, each party read wrong (after the fallback) 1, plus the share of
        evidence phrases no match overlaps."""
        reading = self.readings[reader]
        if reading.lean == self.lean:
            bad = 0.0
        elif reading.lean is not None and self.lean is not None:
            bad = 3.0
        else:
            bad = 2.0
        bad += sum(reading.resolved.get(p) != label for p, label in self.labels.items())
        if self.evidence:
            bad += self.matched.count(False) / len(self.evidence)
        return bad

    def to_dict(self) -> dict:
        return {"id": self.id, "where": self.where, "group": self.group, "labels": dict(self.labels),
                "stance": self.stance, "readings": {k: r.to_dict() for k, r in self.readings.items()},
                "unmatched_evidence": [e for e, hit in zip(self.evidence, self.matched) if not hit],
                "untargeted": list(self.untargeted)}


def _find(phrase: str, text: str, norm=None) -> tuple[int, int] | None:
    """Where ``phrase`` is in ``text``: as written, else normalised (offsets into ``text``)."""
    at = text.find(phrase)
    if at >= 0:
        return at, at + len(phrase)
    wanted = " ".join(normalize(phrase).text.split())
    if not wanted:
        return None
    norm = norm or normalize(text)
    at = norm.text.find(wanted)
    return None if at < 0 else norm.span(at, at + len(wanted))


def _evidence(record, where: str) -> tuple[str, ...]:
    value = record.get("evidence")
    if value is None or value == "":
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: field 'evidence' must be a list of phrases. Got {type(value).__name__} instead")
    return tuple(v for v in value if v.strip())


def _matched(phrases: Sequence[str], text: str, matches) -> tuple[bool, ...]:
    out = []
    for phrase in phrases:
        span = _find(phrase, text)
        out.append(span is not None and any(m.start < span[1] and m.end > span[0] for m in matches))
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class PartyFigures:
    """Per-party agreement: macro-F1 (with the fallback) and the confusion with abstention."""

    party: str
    metrics: Metrics
    confusion: dict[str, dict[str, int]]

    @property
    def macro_f1(self) -> float:
        return self.metrics.macro_f1

    def to_dict(self) -> dict:
        return {"macro_f1": round(self.macro_f1, 4), "n": self.metrics.n,
                "confusion": {gold: dict(row) for gold, row in self.confusion.items()}}


@dataclass(frozen=True)
class Figures:
    """The agreement of one reader with the gold labels on a set of texts."""

    n: int
    sided: int
    lean_right: int
    lean_given: int
    neutral: int
    neutral_given_lean: int
    text_stance: Metrics
    parties: dict[str, PartyFigures]
    evidence: int | None = None
    evidence_matched: int | None = None
    evidence_sided: int | None = None
    evidence_sided_matched: int | None = None

    @property
    def lean_accuracy(self) -> float | None:
        return _ratio(self.lean_right, self.sided)

    @property
    def lean_coverage(self) -> float | None:
        return _ratio(self.lean_given, self.sided)

    @property
    def lean_precision(self) -> float | None:
        return _ratio(self.lean_right, self.lean_given)

    @property
    def neutral_lean_share(self) -> float | None:
        return _ratio(self.neutral_given_lean, self.neutral)

    @property
    def evidence_recall(self) -> float | None:
        """Share of the evidence phrases of sided texts that some match overlaps."""
        return _ratio(self.evidence_sided_matched, self.evidence_sided)

    @property
    def evidence_recall_all(self) -> float | None:
        return _ratio(self.evidence_matched, self.evidence)

    def to_dict(self) -> dict:
        out = {"n": self.n, "sided": self.sided, "neutral": self.neutral}
        for name in ("lean_accuracy", "lean_coverage", "lean_precision", "neutral_lean_share"):
            out[name] = _round(getattr(self, name))
        out["lean_right"], out["lean_given"], out["neutral_given_lean"] = (
            self.lean_right, self.lean_given, self.neutral_given_lean)
        out["text_stance"] = self.text_stance.to_dict()
        out["parties"] = {p: f.to_dict() for p, f in self.parties.items()}
        if self.evidence is not None:
            out["evidence_recall"] = _round(self.evidence_recall)
            out["evidence_recall_all"] = _round(self.evidence_recall_all)
            out["evidence"] = {"sided": self.evidence_sided, "sided_matched": self.evidence_sided_matched,
                               "all": self.evidence, "all_matched": self.evidence_matched}
        return out


def _ratio(a, b) -> float | None:
    return None if a is None or not b else a / b


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def figures(items: Sequence[Item], reader: str, parties: Sequence[str], stances: Sequence[str]) -> Figures:
    """The figures of ``reader`` on ``items`` (definitions in the module docstring).

    ``stances`` are the text-stance classes (``pro_<side>`` ... ``neutral``) in display order.
    """
    readings = [it.readings[reader] for it in items]
    sided = [(it, r) for it, r in zip(items, readings) if it.lean is not None]
    neutral = [r for it, r in zip(items, readings) if it.lean is None]
    per_party = {}
    for party in parties:
        labelled = [(it.labels[party], r) for it, r in zip(items, readings) if party in it.labels]
        if not labelled or party not in readings[0].resolved:
            continue
        gold = [g for g, _ in labelled]
        confusion = {g: dict.fromkeys((*LABELS, ABSTAIN), 0) for g in LABELS if g in gold}
        for g, r in labelled:
            confusion[g][r.stances[party] or ABSTAIN] += 1
        per_party[party] = PartyFigures(party, metrics(gold, [r.resolved[party] for _, r in labelled]), confusion)
    out = {
        "n": len(items), "sided": len(sided),
        "lean_right": sum(r.lean == it.lean for it, r in sided),
        "lean_given": sum(r.lean is not None for _, r in sided),
        "neutral": len(neutral), "neutral_given_lean": sum(r.lean is not None for r in neutral),
        "text_stance": metrics([it.stance for it in items], [r.stance for r in readings], stances),
        "parties": per_party,
    }
    if reader == "lexicon" and any(it.evidence for it in items):
        out.update(evidence=sum(len(it.evidence) for it in items),
                   evidence_matched=sum(sum(it.matched) for it in items),
                   evidence_sided=sum(len(it.evidence) for it, _ in sided),
                   evidence_sided_matched=sum(sum(it.matched) for it, _ in sided))
    return Figures(**out)


@dataclass(frozen=True)
class Evaluation:
    """Everything ``framing evaluate`` reports: figures per reader, per group, and the texts; the
    records left out (``skips``, in file order) are for the caller to report."""

    source: str
    lexicon: str
    sides: tuple[str, ...]
    parties: tuple[str, ...]
    readers: tuple[str, ...]
    figures: dict[str, Figures]
    items: tuple[Item, ...]
    by: str | None = None
    groups: dict[str, dict[str, Figures]] = field(default_factory=dict)
    unlabelled: int = 0
    skips: tuple[Skip, ...] = ()

    @property
    def stances(self) -> tuple[str, ...]:
        return (*(f"pro_{s}" for s in self.sides), NEUTRAL)

    def counts(self) -> dict[str, int]:
        """How many texts have each gold text stance."""
        c = Counter(it.stance for it in self.items)
        return {s: c[s] for s in self.stances}

    def misses(self, n: int, reader: str = "lexicon") -> list[Item]:
        """The ``n`` texts ``reader`` reads worst (see :meth:`Item.badness`); ties in corpus order."""
        ranked = sorted(self.items, key=lambda it: -it.badness(reader))
        return [it for it in ranked if it.badness(reader) > 0][:n]

    def to_dict(self, misses: int = 0) -> dict:
        out = {"source": self.source, "lexicon": self.lexicon, "sides": list(self.sides),
               "parties": list(self.parties), "n": len(self.items), "unlabelled": self.unlabelled,
               "text_stances": self.counts(),
               "figures": {r: f.to_dict() for r, f in self.figures.items()}}
        if self.by is not None:
            out["by"] = self.by
            out["groups"] = {g: {r: f.to_dict() for r, f in fs.items()} for g, fs in self.groups.items()}
        if misses:
            out["misses"] = [it.to_dict() for it in self.misses(misses)]
        return out


# --------------------------------------------------------------------------------------------
# Evaluating a corpus


def evaluate(source, *, lexicon=None, scorer: Scorer | None = None, model=None, by: str | None = None,
             text_field: str = "text", encoding: str = "utf-8", skip_bad: bool = False,
             options: ReaderOptions | None = None) -> Evaluation:
    """Agreement of the scorer (and of ``model``) with the labels of a corpus.

    Parameters
    ----------
    source : str, path or list of them
        A labelled JSONL/CSV corpus or ``"demo"``, or several corpora read in turn as one.
    lexicon : str or path, optional
        Lexicon to score with; ignored when ``scorer`` is given.
    scorer : Scorer, optional
        A configured scorer (e.g. with other thresholds).
    model : StanceModel, optional
        A stance model from ``framing train`` (see :func:`framing.model.load_model`); its labels
        are evaluated as ``model``, and combined with the lexicon's reading as ``framing score
        --model`` combines them (:func:`framing.combine.combine`) as ``combined``.
    by : str, optional
        A field whose values group the texts; figures are given per group too. Groups are named as
        ``compare`` names them (:func:`framing.schema.group_key`): texts without the field, or
        with it empty, form the group «(missing)»; true and false are «true» and «false».
    text_field, encoding, skip_bad
        How to read the corpus (see :class:`framing.corpus.ReaderOptions`); with ``skip_bad``,
        records with bad labels are left out too. Every record left out is in the result's
        ``skips`` (data, for the caller to report).
    options : ReaderOptions, optional
        ``text_field``, ``encoding`` and ``skip_bad`` as one value (it replaces them).

    Raises
    ------
    InputError
        When the corpus has no articles, no record carries a ``stance_<party>`` label of the
        lexicon's parties, or no record has the ``by`` field.
    """
    if options is None:
        options = ReaderOptions(text_field, encoding, skip_bad)
    scorer = scorer or scorer_for(lexicon)
    lex = scorer.lexicon
    sides = lex.sides
    items: list[Item] = []
    skips: list[Skip] = []
    unlabelled = 0
    fields: set[str] = set()
    pending = []

    def flush():
        predicted = model.predict([r.text for r, _ in pending]) if model is not None else [None] * len(pending)
        for (record, labels), row in zip(pending, predicted):
            items.append(_item(record, labels, scorer, row, by))
        pending.clear()

    for record in reading(read_items, source_list(source), options, enabled=False):
        if isinstance(record, Skip):
            skips.append(record)
            continue
        fields.update(record.meta)
        try:
            labels = record_labels(record, lex.parties)
            evidence = _evidence(record.meta, record.where)
        except InputError as exc:
            if not options.skip_bad:
                raise
            skips.append(Skip(record.where, str(exc)))
            continue
        if not labels:
            unlabelled += 1
            continue
        pending.append((record, (labels, evidence)))
        if len(pending) >= BATCH:
            flush()
    flush()
    label = sources_label(source_list(source))
    if not items and not unlabelled:
        raise InputError(f"{label}: no articles")
    if not items:
        wanted = ", ".join(f"{PREFIX}{p}" for p in lex.parties)
        raise InputError(f"{label}: no record has a stance label; evaluate needs at least one of the fields "
                         f"{wanted} (favorable / neutral / unfavorable)")
    if by is not None and by not in fields:
        raise InputError(f"{label}: no record has a field {by!r} to group by; fields: {', '.join(sorted(fields))}",
                         option="by")
    parties = tuple(p for p in lex.parties if any(p in it.labels for it in items))
    readers = ("lexicon",) + (("model", "combined") if model is not None else ())
    stances = (*(f"pro_{s}" for s in sides), NEUTRAL)
    result = {r: figures(items, r, parties, stances) for r in readers}
    groups = {}
    if by is not None:
        for value in sorted({it.group for it in items}, key=str):
            members = [it for it in items if it.group == value]
            groups[value] = {r: figures(members, r, parties, stances) for r in readers}
    return Evaluation(label, lex.name, sides, parties, readers, result, tuple(items), by, groups, unlabelled,
                      tuple(skips))


def _item(record, labels_evidence, scorer, predicted, by) -> Item:
    labels, evidence = labels_evidence
    score = scorer.score(record.text)
    readings = {"lexicon": lexicon_reading(score)}
    if predicted is not None:
        readings["model"] = model_reading(predicted, scorer.lexicon)
        readings["combined"] = combined_reading(score, predicted, scorer.lexicon)
    group = None
    if by is not None:
        group = group_name(group_key(record.meta.get(by)))  # named as compare names it
    untargeted = tuple(f"{m.text} ({m.source})" for m in score.matches
                       if m.kind == "evaluative" and m.target is None)
    return Item(str(record.meta.get("id", record.where)), record.where, group, labels,
                text_stance(labels, scorer.lexicon), readings, evidence,
                _matched(evidence, record.text, score.matches), untargeted)
