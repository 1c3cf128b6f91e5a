"""The TwoBo figures' palette and legend names, keyed on the paper's config net labels."""

from __future__ import annotations

from arspin.figures.style import EXTRA

# Okabe-Ito colours (colour-blind safe), one per net; RNN sizes get the remaining ones.
COLORS = {"twobo": "#D55E00", "made": "#0072B2", "rnn": "#009E73", "twobo-frozen": "#CC79A7",
          "exact": "#000000", "gs": "#555555"}
NAMES = {"twobo": "TwoBo", "made": "MADE", "rnn": "RNN", "twobo-frozen": "TwoBo, skip beta = 1",
         "exact": "exact"}
RNN_SHADES = ("#8FD4B5", "#3FB58A", "#009E73", "#006B4E", "#003D2C")  # small -> large RNN


def color(net: str, position: int = 0) -> str:
    """Colour of a net label; unknown labels (e.g. rnn-d4) cycle through style.EXTRA."""
    return COLORS.get(net, EXTRA[position % len(EXTRA)])


def name(net: str) -> str:
    """Legend name of a net label (rnn-d4 -> RNN d4)."""
    if net in NAMES:
        return NAMES[net]
    head, _, tail = net.partition("-")
    return f"{NAMES.get(head, head)} {tail}".strip()
