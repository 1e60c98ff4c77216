"""Subcommands of the ``framing`` CLI, one module each (see :mod:`framing.cli`)."""
