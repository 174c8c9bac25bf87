"""Curating a dataset from the command line: reading an article for facts, and editing facts, entities, relations.

Reading (``kgraph sources``, ``sentences``, ``mentions``, ``coverage``): :mod:`.sources` lists and adds
sources (``sources add`` writes two new files and never replaces one), :mod:`.sentences` numbers an
article's sentences with the quote checker's splitting, :mod:`.mentions` finds the known and the
candidate names in them, :mod:`.coverage` says which sentences facts quote or ``skip:`` entries leave out.

Editing (``kgraph add``, ``entities``, ``relations``): reading stays with the strict loader; every edit is
built as new file text in memory, checked with the loader's every rule on the whole dataset with those
files replaced (:func:`kgraph.loader.check`'s ``overlay``), and written only then, atomically and
all-or-nothing (:mod:`kgraph.authoring.edit`). Edits splice text at the positions the YAML parser reports
(:mod:`kgraph.authoring.yamltree`), so every other byte of a file stays as the curator wrote it.
"""
