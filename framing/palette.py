"""Colours of the sides, shared by the charts and the HTML reports (so a side looks the same in both)."""

from __future__ import annotations

#: Colours of the first and second side, then further sides (eight, apart from one another, from the
#: greys and from SEVERAL's ochre; a lexicon of more sides than that would repeat them).
SIDE_COLORS = ("#c0392b", "#2166ac", "#1b7837", "#762a83", "#c51b7d", "#35978f", "#56b4e9", "#4d4d00")
NEUTRAL = "#9a9a9a"
#: Evidence that counts for several sides (against one party of three sides or more), split between them.
SEVERAL = "#bf812d"  # ochre: apart from every side's colour and from the greys


def side_colors(sides) -> dict[str, str]:
    """A colour for each side id, in order."""
    return {s: SIDE_COLORS[i % len(SIDE_COLORS)] for i, s in enumerate(sides)}
