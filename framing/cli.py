"""The ``framing`` command line.

Each subcommand lives in ``framing/commands/<name>.py`` with ``add_parser(subparsers)`` and
``run(args) -> int``; heavy libraries (scikit-learn, matplotlib, pandas) are imported inside
``run`` so that ``framing --help`` and ``framing score`` start quickly.

Exit codes: 0 success (records skipped with ``--skip-bad`` are reported on stderr), 1 internal
error, 2 bad input or usage, 3 malformed lexicon, 4 unusable model file, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import FramingError

COMMANDS = ("score", "lexicon", "evaluate", "kwic", "train", "predict", "compare", "chart", "report")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="framing", description="Measure partisan framing in Arabic news.")
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"framing.commands.{name}").add_parser(sub)
    return parser


def warn(message: str) -> None:
    print(f"framing: warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        return 0
    except KeyboardInterrupt:
        return 130


def run() -> None:
    sys.exit(main())
