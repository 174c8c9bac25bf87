"""Commands registered by this module (see kgraph.cli)."""
