"""The colours of every picture and export: one per entity type and one per fact polarity.

``kgraph draw``, ``kgraph view`` and the exports that carry colours (GEXF,
GraphML, Cytoscape, DOT) share these, so an entity type looks the same
wherever it is shown. Entity types of the bundled data get fixed colours
(Tableau 10); any other type gets one picked by a hash of its name, so
colours never depend on the order of the data.

>>> entity_colour("country"), hex_colour(polarity_colour(-1))
((31, 119, 180), '#d62728')
"""

from __future__ import annotations

import hashlib

__all__ = ["entity_colour", "hex_colour", "polarity_colour"]

_TYPE_COLOURS: dict[str, tuple[int, int, int]] = {
    "country": (31, 119, 180),
    "person": (255, 127, 14),
    "organisation": (44, 160, 44),
    "group": (148, 103, 189),
    "event": (140, 86, 75),
    "initiative": (227, 119, 194),
    "place": (188, 189, 34),
    "document": (23, 190, 207),
}
_PALETTE = list(_TYPE_COLOURS.values()) + [(127, 127, 127), (174, 199, 232), (255, 187, 120), (152, 223, 138)]

_POLARITY_COLOURS: dict[int, tuple[int, int, int]] = {
    1: (44, 160, 44),  # cooperative: green
    -1: (214, 39, 40),  # conflictual: red
    0: (127, 127, 127),  # structural / commentary: grey
}


def entity_colour(entity_type: str) -> tuple[int, int, int]:
    """The (r, g, b) colour of an entity type."""
    if entity_type in _TYPE_COLOURS:
        return _TYPE_COLOURS[entity_type]
    digest = hashlib.sha256(entity_type.encode("utf-8")).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def polarity_colour(polarity: int) -> tuple[int, int, int]:
    """The (r, g, b) colour of a fact's polarity (an unknown one is grey)."""
    return _POLARITY_COLOURS.get(polarity, _POLARITY_COLOURS[0])


def hex_colour(rgb: tuple[int, int, int]) -> str:
    """``#rrggbb``."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)
