"""One exception hierarchy for kgraph, and the exit code each kind maps to.

Library code raises these; only the CLI edge (``kgraph.cli``) turns them into
a line on stderr and an exit code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

__all__ = [
    "DataError",
    "ExitCode",
    "ExportError",
    "KGraphError",
    "MissingDependency",
    "NoPath",
    "Problem",
    "StoreError",
    "UnknownEntity",
    "UnknownName",
    "UnknownRelation",
    "UnknownSource",
    "UsageError",
]


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    INTERNAL = 1  # a bug: please report it (run again with --traceback)
    USAGE = 2  # bad command-line usage (same code Typer/Click use)
    DATA = 3  # the dataset is invalid or missing
    UNKNOWN_NAME = 4  # an entity or relation named on the command line does not exist
    NO_PATH = 5  # `path`: the two entities are not connected
    EXPORT = 6  # an export could not be written
    MISSING_DEPENDENCY = 7  # an optional dependency is not installed
    STORE = 8  # a SPARQL store could not be reached, refused the credentials, or failed a request
    CACHE = 9  # a cache entry was found damaged while a command read it (it is removed: run again)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the loader: where it is, what is wrong, what was probably meant."""

    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    message: str
    severity: str = "error"  # "error" or "warning"
    suggestion: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.suggestion:
            text += f" (did you mean {self.suggestion}?)"
        return text

    def brief(self) -> str:
        """``file:line:column: message (did you mean …?)``, without the severity."""
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        hint = f" (did you mean {self.suggestion}?)" if self.suggestion else ""
        return f"{where}: {self.message}{hint}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
        }


class KGraphError(Exception):
    """Base of every error kgraph reports to a user."""

    exit_code: ExitCode = ExitCode.INTERNAL


class UsageError(KGraphError):
    """The request itself is malformed (bad option value, conflicting options)."""

    exit_code = ExitCode.USAGE


class DataError(KGraphError):
    """The dataset is invalid; ``problems`` holds every finding, in file order."""

    exit_code = ExitCode.DATA

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])


class UnknownName(KGraphError):
    """A name given by the user matches nothing; ``suggestions`` holds the closest known ids.

    ``notes`` may say what each suggestion is (an entity's type and
    description), shown after it so that look-alike names can be told apart.
    """

    exit_code = ExitCode.UNKNOWN_NAME
    kind = "name"

    def __init__(self, name: str, suggestions: list[str] | None = None, notes: Mapping[str, str] | None = None) -> None:
        self.name = name
        self.suggestions: list[str] = list(suggestions or [])
        text = f"unknown {self.kind} {name!r}"
        if self.suggestions:
            notes = notes or {}
            text += (
                "; did you mean "
                + " or ".join(f"{s!r} ({notes[s]})" if s in notes else repr(s) for s in self.suggestions)
                + "?"
            )
        super().__init__(text)


class UnknownEntity(UnknownName):
    """No entity has this id, name or alias."""

    kind = "entity"


class UnknownRelation(UnknownName):
    """No relation has this id (or inverse name)."""

    kind = "relation"


class UnknownSource(UnknownName):
    """No source has this id."""

    kind = "source"


class NoPath(KGraphError):
    """Two entities are not connected (within the limits asked for)."""

    exit_code = ExitCode.NO_PATH


class ExportError(KGraphError):
    """An export could not be written; nothing was left behind."""

    exit_code = ExitCode.EXPORT


class MissingDependency(KGraphError):
    """An optional dependency is needed; the message names the extra to install."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class StoreError(KGraphError):
    """A SPARQL store could not be reached or answered with an error; the message never holds credentials."""

    exit_code = ExitCode.STORE
