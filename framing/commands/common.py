"""Options and helpers shared by subcommands that read articles."""

from __future__ import annotations

import argparse
import gc
import json
import sys

from ..corpus import (
    CORPUS_FILES,
    ReaderOptions,
    check_source,
    is_corpus,
    is_scores,
    read_items,
    report_skips,
    sources_label,
)
from ..errors import InputError, escape, plural

LEXICON_HELP = "lexicon name or directory (default: libya-2019-2020)"


def add_input_options(parser, corpus_only: bool = False, lexicon_help: str = LEXICON_HELP) -> None:
    what = f"a corpus: {CORPUS_FILES}" if corpus_only else f"a text file, `-` for stdin, or a corpus: {CORPUS_FILES}"
    parser.add_argument("input", metavar="INPUT", help=what)
    parser.add_argument("--text-field", default="text", help="corpus field holding the article (default: text)")
    parser.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    parser.add_argument("--skip-bad", action="store_true",
                        help="report malformed corpus records on stderr and go on instead of stopping")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar on standard error (default: only on a terminal)")
    parser.add_argument("--lexicon", default=None, help=lexicon_help)


def add_more_inputs(parser, what: str = "read after the first, in order, as one corpus") -> None:
    """The ``more`` positional: files after ``input``, read in turn as one corpus (:func:`sources`)."""
    parser.add_argument("more", nargs="*", default=(), metavar="INPUT", help=f"more files, {what}")


def check_sources(args) -> None:
    """Refuse, before any work, what reading the inputs after the first would refuse (a missing
    file, an empty directory: the first is reported when it is read), and a table of scores among
    several inputs: a command reading several files in turn checks them all before it scores the
    first. Every other input is read as articles (a corpus, or a text file as one article)."""
    more = getattr(args, "more", ())
    stdin = sources(args).count("-")
    if stdin > 1:  # the second read would find it empty, after the first's output was written
        raise InputError(f"`-` (standard input, read once) must be given once. Got it {stdin} times instead")
    for source in more:
        check_source(source)
    for source in sources(args) if more else ():
        if is_scores(source):
            raise InputError(f"{source}: a table of scores is read alone, not with other inputs")


def add_jobs_option(parser) -> None:
    parser.add_argument("--jobs", type=int_at_least(1, also=(-1, "every core")), default=-1, metavar="N",
                        help="processes scoring a corpus (default: -1, every core; 1 scores in this process). "
                             "The output is the same, in the same order, whatever N")


PERIODS = ("week", "month", "quarter", "year")


def int_at_least(minimum: int, also: tuple[int, str] | None = None):
    """An argparse ``type`` for an integer option of at least ``minimum``; ``also``: one more value
    allowed and what it means, ``(-1, "every core")``."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer. Got {value!r} instead") from None
        if n < minimum and (also is None or n != also[0]):
            extra = "" if also is None else f", or {also[0]} for {also[1]}"
            raise argparse.ArgumentTypeError(f"must be at least {minimum}{extra}. Got {n} instead")
        return n

    return parse


def score_args(args, scorer, model=None, keep=None):
    """Score the corpus the command's input options name; the skipped records are reported.
    ``keep``: the only columns to keep (see :func:`framing.table.score_corpus`)."""
    from ..export import read_scores
    from ..table import score_corpus

    if is_scores(args.input):  # from `score --format parquet` or `--engine dask`; alone (check_sources)
        return read_scores(args.input, args.voice, keep)
    skips = SkipCounter()
    df = score_corpus(sources(args), scorer=scorer, model=model, options=reader_options(args), on_skip=skips,
                      voice=args.voice, progress=args.progress, n_jobs=getattr(args, "jobs", None), keep=keep)
    skips.summary(len(df))
    return df


def note_undated(settings, date_field: str) -> None:
    """Say on standard error how many articles a table by period left out for want of a date
    (``settings``: the table's :class:`~framing.groups.CompareSettings`)."""
    undated = settings.undated
    if undated:
        print(f"framing: note: {undated} article{'s' if undated != 1 else ''} with no {date_field!r} left out of "
              f"the periods ({settings.articles} placed)", file=sys.stderr)


def add_slant_option(parser) -> None:
    parser.add_argument("--slant", nargs=2, metavar=("FIRST", "SECOND"), default=None,
                        help="the two sides of the slant, FIRST minus SECOND (default: the lexicon's sides when it has "
                             "exactly two)")


def add_voice_option(parser) -> None:
    parser.add_argument("--voice", choices=("narrator", "reading", "all"), default="narrator",
                        help="count the outlet's own words (narrator, the default), the article's reading (reading: "
                             "one-sided sourcing at half weight, as `framing score` reads it) or quoted statements too (all)")


class SkipCounter:
    """Reports each skipped record on stderr and counts them."""

    def __init__(self):
        self.count = 0

    def __call__(self, message: str) -> None:
        self.count += 1
        print(f"framing: skipped: {escape(message)}", file=sys.stderr)

    def report(self, skips) -> None:
        """Report skips returned as data (:class:`~framing.corpus.Skip` values)."""
        for skip in skips:
            self(skip.message)

    def summary(self, done: int) -> None:
        if self.count:
            print(f"framing: {plural(done, 'article')} processed, {self.count} skipped", file=sys.stderr)

    def finish(self, done: int, args) -> None:
        """:meth:`summary`, and an InputError when the input gave no article: an empty corpus (or
        one of bad records only) is a mistake to report, not an empty result to write, as
        :func:`framing.table.score_corpus` has it. Called before any output is put in place."""
        self.summary(done)
        if not done:
            raise InputError(f"{sources_label(sources(args))}: no articles")


class ArticleWarnings:
    """Reports the warnings of scored articles on stderr: the first ``each`` articles of each
    warning by name, then how many more had it. A crawl that left HTML tags in every article
    warns once per article; a million lines on stderr would hide everything else there.

    Parameters
    ----------
    warn : callable
        Prints one warning line (:func:`framing.cli.warn`).
    each : int, default=5
        How many articles of one warning are named.
    """

    def __init__(self, warn, each: int = 5):
        self.warn, self.each = warn, each
        self.counts: dict[str, int] = {}

    def __call__(self, where: str, message: str) -> None:
        n = self.counts[message] = self.counts.get(message, 0) + 1
        if n <= self.each:
            self.warn(f"{where}: {message}")

    def finish(self) -> None:
        for message, n in self.counts.items():
            if n > self.each:
                self.warn(f"{plural(n - self.each, 'more article')}: {message}")


def reader_options(args) -> ReaderOptions:
    """The reader options of the command's input options (--text-field, --encoding, and --skip-bad
    where the command has it)."""
    return ReaderOptions(args.text_field, args.encoding, getattr(args, "skip_bad", False))


def input_files(args) -> list:
    """The files a command reads (article or corpus, model, lexicon), which no output may replace."""
    from ..lexicon import resolve_lexicon

    files = [*sources(args), getattr(args, "model", None)]
    lexicon = resolve_lexicon(args.lexicon)
    return files + [lexicon / "parties.tsv", lexicon / "terms.tsv"]


def records(args, skips: SkipCounter, desc: str | None = None, read=read_items):
    """The records of the command's input, each skipped one reported; with ``desc``, behind a progress
    bar (see :mod:`framing.progress`). ``read`` as in :func:`items`."""
    return report_skips(items(args, desc, read), skips)


def one_article(args):
    """The one article a command such as ``report`` or ``chart --kind article`` shows: the record
    whose id is ``--id`` among every input (a text file's id is its name), or, without ``--id``, the
    article of a single text file (or standard input). Several articles of that id are refused,
    naming where each is, rather than one of them shown as if it were the only one."""
    skips = SkipCounter()
    # A record without an id, or with a null one, has no id to name: not the one of --id None.
    found = [r for r in records(args, skips)
             if args.id is None or (r.meta.get("id") is not None and str(r.meta["id"]) == args.id)]
    where = sources_label(sources(args))
    if not found:
        raise InputError(f"{where}: no articles" if args.id is None else f"{where}: no article with id {args.id!r}")
    if len(found) > 1:
        shown = ", ".join(r.where for r in found[:3]) + (", ..." if len(found) > 3 else "")
        named = f"with id {args.id!r}" if args.id is not None else "and no --id to pick one"
        raise InputError(f"{where}: {len(found)} articles {named} ({shown})")
    return found[0]


def items(args, desc: str | None = None, read=read_items):
    """The records of the command's input and its skips as data (:func:`framing.corpus.read_items`,
    or ``read``: :func:`framing.corpus.read_lines` leaves JSON Lines records to be parsed where they
    are scored); with ``desc``, behind a progress bar (see :mod:`framing.progress`).

    What the command built before it reads (the lexicon, the automaton, a model: hundreds of
    thousands of objects) lives as long as it runs: they are set aside for the garbage collector
    (:func:`gc.freeze`), whose passes over each article's objects then do not walk them again, and
    whose pages stay shared with the worker processes forked after (:func:`framing.cli.main`
    gives them back)."""
    gc.freeze()
    options = reader_options(args)
    from ..progress import reading, wanted

    if desc is None:
        return reading(read, sources(args), options, enabled=False)

    # By default only when the results go elsewhere: a bar between reports printed on the terminal is noise.
    show = args.progress if args.progress is not None else wanted() and not sys.stdout.isatty()
    if not reads_corpus(args):  # one article: nothing to show
        show = False
    return reading(read, sources(args), options, desc, enabled=show)


def reads_corpus(args) -> bool:
    """Whether the command's inputs are a corpus: a corpus file or directory, or several inputs
    (several text files are several articles); else one article, a text file or standard input."""
    return bool(getattr(args, "more", None)) or is_corpus(args.input)


def sources(args) -> list[str]:
    """The command's inputs in the order they are read: ``input``, then ``more`` (every command
    that reads a corpus takes several files, each read in turn as if they were one corpus)."""
    return [args.input, *getattr(args, "more", ())]


def print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
