"""Editing a dataset from the command line: facts, entities and relations, written safely.

Reading stays with the strict loader; every edit is built as new file text in
memory, checked with the loader's every rule on the whole dataset with those
files replaced (:func:`kgraph.loader.check`'s ``overlay``), and written only
then, atomically and all-or-nothing (:mod:`kgraph.authoring.edit`). Edits
splice text at the positions the YAML parser reports
(:mod:`kgraph.authoring.yamltree`), so every other byte of a file stays as
the curator wrote it.
"""
