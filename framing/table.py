"""Corpus tables: every article's scores in a DataFrame, one row per article.

:func:`score_corpus` composes the layers below it: read the articles
(:func:`read_articles`: records, and skips as data), score them into flat rows
(:func:`framing.rows.score_rows`, with the columns :class:`framing.schema.Schema` names), and,
when a stance model is given, join its predictions (:func:`predictions`). Group statistics and
their JSON contract (:func:`compare`, :func:`to_records`) live in :mod:`framing.groups` and are
re-exported here.

Column names follow the paths of :meth:`framing.results.Score.to_dict` joined with dots, so
``sides.lna`` is the narrator's pro-LNA framing per 1,000 words and ``parties.gna.net`` the net
(favorable − unfavorable) evidence about the GNA.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .corpus import (
    RawLine,
    ReaderOptions,
    Record,
    Skip,
    parse_lines,
    read_items,
    read_lines,
    report_skips,
    source_list,
    sources_label,
)
from .errors import InputError
from .groups import (
    MIN_N,
    PERIODS,
    compare,
    group_keys,
    mean_slant_by,
    records_frame,
    slant_values,
    statistics_columns,
    to_records,
)
from .parallel import chunks, ordered_map, resolve_jobs
from .rows import score_rows
from .schema import VOICES, Keep, Schema, check_voice, field_columns, model_column, parties_in, sides_in
from .scorer import Scorer

__all__ = ["MIN_N", "PERIODS", "VOICES", "check_voice", "compare", "field_names", "group_keys", "long_matches",
           "mean_slant_by",
           "parties_of", "predictions", "read_articles", "score_corpus", "sides_of", "slant_values", "statistics_columns",
           "to_records"]


# --------------------------------------------------------------------------------------------
# Scoring a corpus


def score_corpus(source, *, lexicon=None, scorer: Scorer | None = None, model=None, text_field: str = "text",
                 encoding: str = "utf-8", skip_bad: bool = False, on_skip=None,
                 progress: bool | None = None, voice: str = "narrator",
                 options: ReaderOptions | None = None, n_jobs: int | None = None, keep=None) -> pd.DataFrame:
    """Score every article of a corpus into a DataFrame, one row per article.

    Parameters
    ----------
    source : str, path, list of them, or pandas.DataFrame
        A JSONL/CSV corpus, ``"demo"`` (the bundled demo corpus), a single text file, several of
        them (read in turn as one corpus, each record named by its own file and line), or a
        DataFrame with one article per row.
    lexicon : str, path or Lexicon, optional
        Lexicon to score with (default ``libya-2019-2020``); ignored when ``scorer`` is given.
    scorer : Scorer, optional
        A configured scorer (e.g. with other lean thresholds).
    model : StanceModel or path, optional
        A stance model from ``framing train``; adds its probabilities as ``model.<party>.<class>``
        columns and its labels as ``model.<party>.label``.
    text_field : str, default="text"
        The field (or column) holding the article; the text is kept under that name.
    encoding : str, default="utf-8"
        Encoding of a corpus file.
    skip_bad : bool, default=False
        Skip malformed records (reporting each through ``on_skip``) instead of raising.
    on_skip : callable, optional
        Called with a one-line message for every skipped record.
    options : ReaderOptions, optional
        ``text_field``, ``encoding`` and ``skip_bad`` as one value (it replaces them).
    progress : bool, optional
        Show a progress bar; None shows one when standard error is a terminal.
    voice : {"narrator", "reading", "all"}, default="narrator"
        Whose words the ``lean``, ``sides.*`` and ``parties.*`` columns count: the outlet's own
        (``narrator``), the article's reading (``reading``: ``Score.lean``, with one-sided sourcing
        at half weight), or quoted statements too (``all``: whom an outlet quotes, and how much, is
        framing as well; comparing both shows how much of an outlet's slant is in its sources).
    n_jobs : int, optional
        Processes scoring the articles: None or 1 in this process, -1 every core. The table is the
        same whatever ``n_jobs``, in the corpus's order.
    keep : list of str, optional
        Keep only these columns: corpus fields, ``where``, the text field, ``matches``, score
        columns, and patterns such as ``sides.*`` or ``parties.*.net`` (:mod:`fnmatch`). Every other
        value of an article is dropped as soon as it is scored, so a table for statistics costs a few
        hundred bytes per article instead of its text and matches (:func:`statistics_columns` names
        what :func:`compare` needs). A name without a wildcard that no article has is an error
        (a misspelt field).

    Returns
    -------
    pandas.DataFrame
        Every corpus field, ``where`` (``file:line`` or ``row N``), the text, ``words``, ``lean``
        (narrator voice; missing, i.e. NaN, when it abstains), ``sides.<side>`` (framing per 1,000 words),
        ``parties.<party>.{favorable, unfavorable, net, mentions, stance}`` and ``matches`` (the
        tuple of :class:`~framing.results.Match` of each article; :func:`long_matches` gives them
        one per row). ``df.attrs`` records its :class:`~framing.schema.Schema` (lexicon, text field,
        voice) for a notebook; pandas drops ``attrs`` in most operations, so pass ``schema=``
        (``Schema(lexicon, text_field, voice)``) to what reads the table later.

    Raises
    ------
    InputError
        For an empty corpus or a malformed record (naming its file and line, or row).
    """
    from .progress import wanted

    check_voice(voice)
    if scorer is None:
        scorer = Scorer(lexicon)
    if model is not None and isinstance(model, (str, Path)):
        from .model import load_model

        model = load_model(model, lexicon=scorer.lexicon)
    if options is None:
        options = ReaderOptions(text_field, encoding, skip_bad)
    text_field = options.text_field
    if progress is None:
        progress = wanted()
    items = report_skips(_articles(source, options, progress), on_skip)
    schema = Schema(scorer.lexicon, text_field, voice)
    kept = None if keep is None else Keep(keep)
    tracked = chunks(items, _CHUNK if model is None else _MODEL_CHUNK)
    blocks, rows, fields = [], [], {}  # fields: the corpus fields seen, in order (for a message)
    state = (scorer, schema, model, kept, options)
    for part, seen, skipped in ordered_map(_score_chunk, tracked, state, resolve_jobs(n_jobs)):
        for skip in skipped:  # records a worker parsed and left out (skip_bad), reported in order
            if on_skip is not None:
                on_skip(skip.message)
        rows.extend(part)
        fields.update(seen)
        if len(rows) >= _BLOCK:  # a DataFrame block now: a list of dicts costs far more than its columns
            blocks.append(records_frame(rows))
            rows = []
    if rows:
        blocks.append(records_frame(rows))
    if not blocks:
        raise InputError(f"{_name(source)}: no articles")
    df = blocks[0] if len(blocks) == 1 else pd.concat(blocks, ignore_index=True)
    del blocks, rows
    if kept is not None:
        kept.check(df.columns, fields)
    df.attrs.update(schema.to_attrs())
    return df


_CHUNK = 64  # articles scored together by a worker process
_MODEL_CHUNK = 512  # with a model: articles predicted together (one call per article is ~10x slower)
_BLOCK = 8192  # rows gathered into one DataFrame block


def _score_chunk(state, items) -> tuple[list[dict], dict, list[Skip]]:
    """:func:`framing.rows.score_rows` of a chunk (in a worker process when ``n_jobs`` > 1), with the
    model's predictions, cut down to the kept columns; the corpus fields the chunk had; and the
    records of its JSON Lines it left out (``skip_bad``)."""
    scorer, schema, model, kept, options = state
    records, skipped = [], []
    for item in parse_lines(items, options):  # JSON Lines parsed here, in the worker (see read_lines)
        (skipped if isinstance(item, Skip) else records).append(item)
    rows = list(score_rows(records, scorer, schema))
    if model is not None:
        for row, extra in zip(rows, predictions([r.text for r in records], model).to_dict("records")):
            row.update(extra)
    if kept is None:
        return rows, {}, skipped
    return kept.rows(rows), dict.fromkeys(k for r in records for k in r.meta), skipped


def predictions(texts, model, index=None) -> pd.DataFrame:
    """A stance model's labels and probabilities for ``texts``: columns ``model.<party>.label`` and
    ``model.<party>.<class>``, one row per text (join it to a table of scores)."""
    rows = []
    for pred in model.predict(list(texts)):  # one call: StanceModel.predict splits it in chunks itself
        row = {}
        for pid, out in pred.items():
            row[model_column(pid, "label")] = out["label"]
            for cls, prob in out["proba"].items():
                row[model_column(pid, cls)] = prob
        rows.append(row)
    return pd.DataFrame.from_records(rows, index=index)


def _name(source) -> str:
    return "the DataFrame" if isinstance(source, pd.DataFrame) else sources_label(source_list(source))


def _articles(source, options: ReaderOptions, progress: bool) -> Iterator[Record | Skip | RawLine]:
    """:func:`read_articles`, the lines of a JSON Lines corpus left as :class:`RawLine` for the
    workers to parse, behind a progress bar if ``progress``."""
    from .progress import reading, track

    if isinstance(source, pd.DataFrame):
        return track(_frame_articles(source, options), len(source), "scoring", enabled=progress)
    return reading(read_lines, source_list(source), options, "scoring", enabled=progress)


def read_articles(source, options: ReaderOptions | None = None) -> Iterator[Record | Skip]:
    """The articles of a corpus path, ``demo`` or a DataFrame (one article per row) as
    :class:`~framing.corpus.Record`, and with ``options.skip_bad`` each bad one as a
    :class:`~framing.corpus.Skip`, in order (see :func:`framing.corpus.read_items`)."""
    options = ReaderOptions() if options is None else options
    if isinstance(source, pd.DataFrame):
        return _frame_articles(source, options)
    return read_items(str(source), options)


def _frame_articles(frame: pd.DataFrame, options: ReaderOptions):
    text_field = options.text_field
    if text_field not in frame.columns:
        raise InputError(f"the DataFrame has no {text_field!r} column; columns are {', '.join(map(str, frame.columns))}")
    for label, row in zip(frame.index, frame.to_dict("records")):
        where = f"row {label}"
        text = row.pop(text_field)
        if not isinstance(text, str):
            problem = f"{where}: column {text_field!r} must be a string. Got {type(text).__name__} instead"
        elif not text.strip():
            problem = f"{where}: column {text_field!r} is empty"
        else:
            yield Record(text, row, where)
            continue
        if not options.skip_bad:
            raise InputError(problem)
        yield Skip(where, problem)


def long_matches(df: pd.DataFrame, keep=None) -> pd.DataFrame:
    """The matches of every article of ``score_corpus``, one row per match.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`score_corpus`.
    keep : list of str, optional
        Article columns to repeat on each match row (default: every corpus field but the text).

    Returns
    -------
    pandas.DataFrame
        ``article`` (the row label in ``df``), the kept fields, then the fields of
        :class:`~framing.results.Match` (``start``, ``end``, ``text``, ``term``, ``kind``,
        ``target``, ``polarity``, ``category``, ``weight``, ``voice``, ``rule``, ``speaker``,
        ``source``). Offsets index each article's original text.
    """
    if keep is None:
        keep = field_names(df)  # a frame without its attrs: the text field is taken to be "text"
    fields = ("start", "end", "text", "term", "kind", "target", "polarity", "category", "weight", "voice",
              "rule", "speaker", "source")
    rows = []
    kept = df[list(keep)].to_dict("records") if keep else [{}] * len(df)
    for label, meta, matches in zip(df.index, kept, df["matches"]):
        for m in matches:
            rows.append({"article": label, **meta, **{f: getattr(m, f) for f in fields}})
    return pd.DataFrame.from_records(rows, columns=["article", *keep, *fields])


def field_names(df: pd.DataFrame, text_field: str | None = None) -> list[str]:
    """The corpus fields of a ``score_corpus`` frame (what ``--by`` may name): no scores, no text."""
    return field_columns(df, text_field or df.attrs.get("text_field", "text"))


def sides_of(df: pd.DataFrame) -> list[str]:
    """Side ids of a ``score_corpus`` frame, in lexicon order."""
    return sides_in(df)


def parties_of(df: pd.DataFrame) -> list[str]:
    """Party ids of a ``score_corpus`` frame, in lexicon order."""
    return parties_in(df)
