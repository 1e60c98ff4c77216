"""The ``framing`` command line.

Each subcommand lives in ``framing/commands/<name>.py`` with ``HELP`` (its line in ``framing
--help``), ``add_parser(subparsers)`` and ``run(args) -> int``; heavy libraries (scikit-learn,
matplotlib, pandas) are imported inside ``run`` so that ``framing --help`` and ``framing score``
start quickly.

Exit codes: 0 success (records skipped with ``--skip-bad`` are reported on stderr), 1 internal
error, 2 bad input or usage, 3 malformed lexicon, 4 unusable model file, 5 a library framing needs
is missing or too old, 130 interrupted.

Library messages name parameters, not flags; an error that a parameter would fix names it
(``FramingError.option``) and the message here ends with the flag that sets it (:data:`FLAGS`).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from .errors import FramingError, escape


class Parser(argparse.ArgumentParser):
    """The command line's parser, and each command's (``add_subparsers`` makes them of its own
    class): a usage error is one line naming the command it concerns, ``framing train: error:
    argument --cv: ...``, exit code 2.

    An unknown option is reported by the command's parser, where argparse would leave it to the
    top one (``framing: error: unrecognized arguments``, under the top-level usage)."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        more = getattr(namespace, "more", None)
        if extras and more is not None and not any(e.startswith("-") and e != "-" for e in extras):
            # argparse takes a command's inputs in one run of words: in `score a.jsonl --json
            # b.jsonl` it leaves b.jsonl over. A word left over where more inputs are welcome is one.
            namespace.more, extras = [*more, *extras], []
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {escape(message)}\n")


COMMANDS = ("score", "lexicon", "evaluate", "kwic", "train", "predict", "compare", "chart", "report")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given ``command`` (one of :data:`COMMANDS`), only that command's
    options are added; the others are listed by name and help line alone, as ``framing --help``
    shows them: every command's options (some 150, each formatted once by argparse to check it)
    were added at each start-up, to be read by one command."""
    from . import __version__

    parser = Parser(prog="framing", description="Measure partisan framing in Arabic news.")
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"framing.commands.{name}")
        if command in (None, name):
            module.add_parser(sub)
        else:
            sub.add_parser(name, help=module.HELP)
    return parser


def command_named(argv: list[str]) -> str | None:
    """The command ``argv`` runs: its first word not an option (the top level's options take no
    value), when that is one of :data:`COMMANDS`; else None (``framing --help``, a mistyped
    command: the whole parser reports it)."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def warn(message: str) -> None:
    print(f"framing: warning: {escape(message)}", file=sys.stderr)


#: The flag that sets each library parameter an error may name (FramingError.option), where they differ
#: from ``--`` and the parameter's name with dashes.
FLAGS = {"folds": "--cv"}


def flag_hint(exc) -> str:
    """`` (--flag)`` for an error that names the parameter that would fix it, else nothing."""
    option = getattr(exc, "option", None)
    if not option:
        return ""
    return f" ({FLAGS.get(option, '--' + option.replace('_', '-'))})"


def main(argv: list[str] | None = None) -> int:
    """Run a command; the exit code. The garbage collector is as it was when it returns (a
    command runs it less often, and a corpus command sets objects aside for it: see
    :func:`framing.commands.common.items`)."""
    threshold = gc.get_threshold()
    try:
        return _command(argv)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def _command(argv: list[str] | None) -> int:
    # What a command makes is freed as it goes (an article's Score and its hundred matches, as
    # soon as they are written), cycles aside: the collector's youngest generation runs every
    # 50,000 objects rather than 700, so that it does not walk the article in hand, or the
    # lexicon being built, over and over.
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    if sys.stderr is None:  # started with stderr closed: nowhere to explain, the exit code still tells
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    if sys.stdout is None:
        print("framing: error: standard output is closed; redirect it to a file or /dev/null", file=sys.stderr)
        return 2
    parser = build_parser(command_named(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    try:
        code = args.run(args)
        sys.stdout.flush()  # a full disk shows here, not as a traceback at exit
        return code
    except FramingError as exc:
        problems = list(getattr(exc, "errors", None) or (str(exc),))  # a lexicon reports each problem: one line each
        problems[-1] += flag_hint(exc)
        for problem in problems:
            print(f"framing: error: {escape(problem)}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        _discard_stdout()
        return 0  # the reader went away (e.g. `| head`): not an error
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # writing standard output or a file failed: full disk, I/O error
        _discard_stdout()
        where = f"{exc.filename}: " if exc.filename else "cannot write the output: "
        print(f"framing: error: {escape(where)}{(exc.strerror or str(exc)).lower()}", file=sys.stderr)
        return 2


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so the text still buffered does not fail again at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor (e.g. captured output)
        pass


def run() -> None:
    # The process ends: what a command set aside for the garbage collector is not walked at exit.
    sys.exit(_command(None))
