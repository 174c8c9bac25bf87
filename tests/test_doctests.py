"""The examples in kgraph's docstrings run, against the kgraph that is installed.

pytest's ``--doctest-modules`` collects doctests by file: pointed at
``src/kgraph`` it imports those files, and when kgraph is installed as a copy
(``pip install .``, not ``-e``) the copy and the source are two modules of one
name, so collection stopped with an error per module. Here each module of the
package that ``import kgraph`` finds (the source tree when installed editable,
site-packages otherwise) is imported by name and its examples run through
:mod:`doctest`, one test per module.

Modules are found on disk, so a module added or moved by later work is tested
without being listed here: a module counts as having examples when its source
has a ``>>>`` line, and its test then fails if doctest finds no example in it
(an example doctest cannot see, say in a comment, is a mistake to fix).
Options match what pytest used before: ``ELLIPSIS``; each module's examples
see a copy of the module's globals, as with ``python -m doctest``.
"""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

import kgraph

PACKAGE = Path(kgraph.__file__).resolve().parent
EXAMPLE = re.compile(r"^\s*>>> ", flags=re.MULTILINE)
# Importing ``kgraph.__main__`` runs the command line; it has no examples to run.
NOT_IMPORTED = {"kgraph.__main__"}


def module_name(path: Path) -> str:
    """``…/kgraph/exporters/dot.py`` → ``kgraph.exporters.dot``; a package's ``__init__.py`` → the package."""
    parts = ["kgraph", *path.relative_to(PACKAGE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_with_examples() -> list[str]:
    """The installed package's modules whose source has a docstring example, sorted by name."""
    names = [
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if EXAMPLE.search(path.read_text(encoding="utf-8")) is not None
    ]
    return sorted(name for name in names if name not in NOT_IMPORTED)


MODULES = modules_with_examples()


def test_the_package_docstring_example_is_among_them() -> None:
    # The package docstring's example is the library's front page; a search that missed it would miss others.
    assert "kgraph" in MODULES
    assert len(MODULES) > 1


def test_module_names_follow_the_files() -> None:
    assert module_name(PACKAGE / "__init__.py") == "kgraph"
    assert module_name(PACKAGE / "loader.py") == "kgraph.loader"
    assert module_name(PACKAGE / "cli" / "app.py") == "kgraph.cli.app"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().is_relative_to(PACKAGE), f"{name} was imported from {module.__file__}"
    tests = [test for test in doctest.DocTestFinder().find(module) if test.examples]
    assert tests, f"{name} has a '>>>' line but doctest finds no example in it (not in a docstring?)"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    results = [runner.run(test, out=report.append) for test in tests]
    assert sum(r.attempted for r in results) > 0
    assert sum(r.failed for r in results) == 0, "".join(report)
