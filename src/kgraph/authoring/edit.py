"""One edit of a data folder: locked, checked before it is written, written all-or-nothing.

Every editing command runs inside an :class:`Edit`:

1. it takes the folder's lock (``fcntl.flock`` on the folder itself), so two
   commands editing the same data run one after the other: both land, neither
   overwrites the other's file with a stale copy;
2. it refuses data that does not validate (:func:`baseline`): an edit is
   checked against every rule, which only means something on valid data;
3. the command reads files (:meth:`Edit.read`) and stages their new text
   (:meth:`Edit.stage`);
4. :meth:`Edit.check` runs the loader on the whole folder with the staged
   texts in place of the files (nothing written yet) and refuses the edit on
   any error, and on any warning the edit brings that the command does not
   expect (a fact dated after its article, a fact relating an entity to
   itself);
5. :meth:`Edit.commit` writes: it refuses if a file changed on disk since it
   was read (an editor saved it meanwhile: its change would be lost), writes
   every new text to a temporary file beside its target, then renames them
   into place; if a rename fails, the files already renamed get their
   original bytes back. A full disk or a refused permission is one line,
   exit code 6, and no file changed.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import DataError, ExitCode, KGraphError, Problem

__all__ = ["Edit", "EditError", "baseline"]

LOCK_WAIT = 60.0  # seconds a command waits for another one editing the same folder


class EditError(KGraphError):
    """The edit could not be written (disk full, permission, a file changed meanwhile); nothing changed."""

    exit_code = ExitCode.EXPORT


def _reason(e: OSError) -> str:
    return (e.strerror or os.strerror(e.errno or 0) or type(e).__name__).lower()


def baseline(root: Path, *, cache: bool = True) -> Any:
    """The folder's graph, read with every rule; DataError when it does not validate.

    An editing command refuses invalid data: an edit checked against broken
    data proves nothing, and the errors would be blamed on the edit. ``cache``:
    whether the compiled cache may answer (``kgraph --no-cache`` says no).
    """
    from ..loader import load

    try:
        return load(root, cache=cache)
    except DataError as e:
        raise DataError(f"refusing to edit data that does not validate: {e}", e.problems) from None


class Edit:
    """A transaction over the files of one data folder (see the module's docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.original: dict[str, bytes] = {}  # relative path -> the bytes read
        self.staged: dict[str, bytes] = {}  # relative path -> the bytes to write
        self._lock_fd: int | None = None

    # -- the lock -------------------------------------------------------------------------------

    def __enter__(self) -> Edit:
        import fcntl

        try:  # the lock is taken on the folder itself: nothing is left behind in it
            fd = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise DataError(f"{self.root}: no such data folder (give --data PATH or set KGRAPH_DATA)") from None
        except OSError as e:
            raise DataError(f"{self.root}: cannot read the data folder: {_reason(e)}") from None
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise EditError(
                        f"another kgraph command has been editing {self.root} for {LOCK_WAIT:.0f} s; "
                        "nothing was written (run the command again)"
                    ) from None
                time.sleep(0.05)
        self._lock_fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # (closing releases the lock)
            self._lock_fd = None

    # -- reading and staging --------------------------------------------------------------------

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        """The text of a data file (UTF-8), remembered so that commit can tell whether it changed."""
        if rel in self.staged:
            return self.staged[rel].decode("utf-8")
        try:
            data = self.path(rel).read_bytes()
        except OSError as e:
            raise EditError(f"cannot read {self.path(rel)}: {_reason(e)}") from None
        self.original[rel] = data
        return data.decode("utf-8")

    def stage(self, rel: str, text: str) -> None:
        """Set the new text of a file already read; nothing is written before :meth:`commit`."""
        assert rel in self.original, f"{rel} must be read before it is staged"
        self.staged[rel] = text.encode("utf-8")

    @property
    def changed(self) -> list[str]:
        """The files whose staged text differs from what was read."""
        return [rel for rel, data in self.staged.items() if data != self.original[rel]]

    # -- checking -------------------------------------------------------------------------------

    def check(self, expected: Callable[[Problem], bool] = lambda p: False) -> Any:
        """The graph of the data with the staged texts, after every rule; DataError on any new problem.

        A warning already present before the edit is not the edit's doing;
        ``expected`` lets a command accept a warning it brings on purpose (a
        new entity is in no fact yet).
        """
        from ..loader import check

        overlay = {str(self.path(rel)): data for rel, data in self.staged.items()}
        kg, report = check(self.root, overlay=overlay)
        if report.errors:
            raise DataError(
                f"the edit would make the data invalid, so nothing was written: {report.errors[0].brief()}",
                report.errors,
            )
        before: Counter[tuple[str, str]] = Counter()
        if report.warnings:
            _, old = check(self.root)
            before.update(_key(p) for p in old.warnings)
        for p in report.warnings:
            key = _key(p)
            if before[key]:
                before[key] -= 1
            elif not expected(p):
                raise DataError(f"nothing was written: the edit brings a warning: {p.brief()}", [*report.warnings])
        return kg

    # -- writing --------------------------------------------------------------------------------

    def commit(self) -> list[str]:
        """Write every changed file, all or nothing; the relative paths written."""
        todo = self.changed
        for rel in todo:
            try:
                now = self.path(rel).read_bytes()
            except OSError as e:
                raise EditError(f"cannot read {self.path(rel)} again before writing it: {_reason(e)}") from None
            if now != self.original[rel]:
                raise EditError(
                    f"{self.path(rel)} changed on disk while the edit was prepared (another editor?); "
                    "nothing was written (run the command again)"
                )
        with _temps(self.root, [(self.path(rel), self.staged[rel]) for rel in todo]) as temps:
            done: list[str] = []
            try:
                for rel, tmp in zip(todo, temps, strict=True):
                    os.replace(tmp, _target(self.path(rel)))
                    done.append(rel)
            except OSError as e:
                failed = self.path(todo[len(done)])
                self._roll_back(done)
                raise EditError(f"cannot write {failed}: {_reason(e)}; no file was changed") from None
        return todo

    def _roll_back(self, done: list[str]) -> None:
        """Put back the original bytes of the files already replaced (best effort, each atomically)."""
        for rel in reversed(done):
            path = self.path(rel)
            try:
                with _temps(self.root, [(path, self.original[rel])]) as (tmp,):
                    os.replace(tmp, _target(path))
            except OSError:  # pragma: no cover - a second failure while undoing the first
                with open(_target(path), "wb") as fh:
                    fh.write(self.original[rel])


def _key(p: Problem) -> tuple[str, str]:
    """A warning as it reads whatever lines an edit moved: its file and its message without numbers."""
    return p.path, re.sub(r"\d+", "#", p.message)


def _target(path: Path) -> str:
    """Where a data file really is (a symlink inside the folder is followed, not replaced)."""
    return os.path.realpath(path)


@contextmanager
def _temps(root: Path, files: list[tuple[Path, bytes]]) -> Iterator[list[str]]:
    """Each file's new bytes in a temporary file beside it (flushed to disk, same mode); removed on the way out.

    Written before anything is renamed, so a full disk fails here with no file changed.
    """
    made: list[str] = []
    try:
        for path, data in files:
            target = _target(path)
            folder = os.path.dirname(target)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
            except OSError as e:
                raise EditError(f"cannot write {path}: {_reason(e)}; no file was changed") from None
            made.append(tmp)
            try:
                with open(fd, "wb") as fh:
                    view = memoryview(data)
                    while view:
                        n = os.write(fh.fileno(), view)
                        if n <= 0:  # pragma: no cover - os.write raises rather than writing nothing
                            raise OSError(errno.EIO, "short write")
                        view = view[n:]
                    os.fsync(fh.fileno())
                mode = os.stat(target).st_mode & 0o7777 if os.path.exists(target) else 0o644
                os.chmod(tmp, mode)
            except OSError as e:
                raise EditError(f"cannot write {path}: {_reason(e)}; no file was changed") from None
        yield made
    finally:
        for tmp in made:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            except OSError:  # pragma: no cover - left for `kgraph validate`-free cleanup by hand
                pass
