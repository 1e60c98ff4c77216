"""Colours of the sides, shared by the charts and the HTML reports (so a side looks the same in both)."""

from __future__ import annotations

#: Colours of the first and second side, then further sides (eight, apart from one another, from the
#: greys and from SEVERAL's ochre; a lexicon of more sides gets more from :func:`side_colors`).
SIDE_COLORS = ("#c0392b", "#2166ac", "#1b7837", "#762a83", "#c51b7d", "#35978f", "#56b4e9", "#4d4d00")
NEUTRAL = "#9a9a9a"
#: Evidence that counts for several sides (against one party of three sides or more), split between them.
SEVERAL = "#bf812d"  # ochre: apart from every side's colour and from the greys


def side_colors(sides) -> dict[str, str]:
    """A colour for each side id, in order: :data:`SIDE_COLORS`, then as many more as there are
    sides, each its own (:func:`_further_colors`)."""
    further = _further_colors()
    return {side: SIDE_COLORS[i] if i < len(SIDE_COLORS) else next(further) for i, side in enumerate(sides)}


def _further_colors():
    """Colours after :data:`SIDE_COLORS`, without end and never the same twice: hues a golden angle
    apart (no two close however many are taken), saturated and mid-dark so that none is a grey or
    too light for the page's highlight, in two shades taken in turn; none in the band of
    :data:`SEVERAL`'s ochre."""
    from colorsys import hsv_to_rgb, rgb_to_hsv

    ochre = rgb_to_hsv(*(int(SEVERAL[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]
    seen = {NEUTRAL, SEVERAL, *SIDE_COLORS}
    k = 0
    while True:
        hue = (0.68 + k * 0.381966) % 1.0  # from indigo, which SIDE_COLORS lack; 1 - 1/phi of a turn
        red, green, blue = hsv_to_rgb(hue, 0.7, 0.6 if k % 2 else 0.78)
        color = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        k += 1
        if abs(hue - ochre) > 0.06 and color not in seen:
            seen.add(color)
            yield color
