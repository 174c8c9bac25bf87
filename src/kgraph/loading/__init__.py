"""Reading a dataset folder into a :class:`~kgraph.knowledge.KnowledgeGraph`, one module per concern.

- :mod:`~kgraph.loading.files`: reading files safely (inside the data folder,
  regular files only, within the limits) and parsing their YAML;
- :mod:`~kgraph.loading.vocabulary`: ``relations.yaml``, the relation vocabulary;
- :mod:`~kgraph.loading.entities`: ``entities.yaml``;
- :mod:`~kgraph.loading.sources` and :mod:`~kgraph.loading.facts`: each
  ``sources/<id>.yaml``, its article text and its facts;
- :mod:`~kgraph.loading.quotes`: how quotes and texts are compared
  (:func:`~kgraph.loading.quotes.normalise_text`), the sentences a text is
  split into (:func:`~kgraph.loading.quotes.split_sentences`), quote checks;
- :mod:`~kgraph.loading.dataset`: the whole folder: ``load``, ``check``, ``data_dir``.

The rules and the report problems are recorded in are :mod:`kgraph.validate`'s,
YAML reading is :mod:`kgraph.yamlread`'s. ``kgraph.loader`` re-exports the
entry points, and ``kgraph.load``/``kgraph.check`` are the same functions.
Nothing is imported here, so that ``kgraph.loading.quotes`` can be used alone.
"""
