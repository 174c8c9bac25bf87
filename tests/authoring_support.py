"""A small fictional article dataset for the curating commands' tests (every name in it is invented)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_dataset

ENTITIES = """\
entities:
  - id: alphaland
    name: Alphaland
    type: country
    aliases: [Republic of Alphaland]
    description: A fictional country.
  - id: betaland
    name: Betaland
    type: country
    description: Another fictional country.
  - id: gamma-leader
    name: Gamma Leader
    type: person
    description: President of Alphaland.
  - id: deltaria
    name: Deltaria
    type: country
    aliases: [Republic of Deltaria]
    description: A third fictional country.
  - id: the-isles
    name: The Isles
    type: country
    description: An island state.
  - id: upper-states
    name: Upper States
    type: country
    aliases: [US]
    description: A fictional federation.
"""

# a headline and a photo caption on lines of their own, abbreviations, a quotation that spans a
# paragraph break, a question inside a sentence, possessives ('s and a bare '), a pasted headline
TEXT = """\
Alphaland and Betaland sign border pact
Photo: Gamma Leader at the signing in Port Velm

PORT VELM - Alphaland's president, Gamma Leader, signed a border pact with Betaland on Monday. \
Mr. Oskar Dunmere, the envoy of the Republic of Deltaria, called it "a good day." \
Dr. Ilse Varga said: "The pact is late.

"But it is welcome," she added. "Why now?" asked Oskar Dunmere. The Isles' envoy told us \
nothing, and the US envoy stayed away.
Alphaland and Betaland's trade grew by 5 per cent last year. Betaland's rivals in the Northern League \
said nothing. Deltaria recalls envoy Last year the Northern League had warned Betaland.
"""

SENTENCES = [
    "Alphaland and Betaland sign border pact",
    "Photo: Gamma Leader at the signing in Port Velm",
    "PORT VELM - Alphaland's president, Gamma Leader, signed a border pact with Betaland on Monday.",
    'Mr. Oskar Dunmere, the envoy of the Republic of Deltaria, called it "a good day."',
    'Dr. Ilse Varga said: "The pact is late.',
    '"But it is welcome," she added.',
    '"Why now?" asked Oskar Dunmere.',
    "The Isles' envoy told us nothing, and the US envoy stayed away.",
    "Alphaland and Betaland's trade grew by 5 per cent last year.",
    "Betaland's rivals in the Northern League said nothing.",
    "Deltaria recalls envoy",
    "Last year the Northern League had warned Betaland.",
]

SOURCE = """\
source:
  id: pact
  title: Alphaland and Betaland sign border pact
  published: 2022-03
  text: pact.txt
  publisher: The Fictional Herald

# a comment the curator wrote
facts:
  - subject: gamma-leader
    relation: leads
    object: alphaland
    quote: "Alphaland's president, Gamma Leader"
  - subject: alphaland
    relation: partners_with
    object: betaland
    quote: signed a border pact with Betaland on Monday
    date: 2022-02
  - subject: betaland
    relation: cooperates
    object: alphaland
    quote: Betaland's trade grew by 5 per cent last year. Betaland's rivals
    date: 2021
{skips}"""


def pact_dataset(root: Path, skips: str = "") -> Path:
    """The fictional dataset: the default relations, :data:`ENTITIES`, and the one source ``pact``."""
    return write_dataset(
        root,
        entities=ENTITIES,
        source=SOURCE.replace("{skips}", skips),
        text=TEXT,
        source_id="pact",
    )
