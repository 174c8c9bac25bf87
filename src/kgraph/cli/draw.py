"""`kgraph draw` (issue 7): being written; registers no command yet."""
