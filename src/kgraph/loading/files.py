"""Reading the files of one dataset safely: inside its folder, regular files only, within the limits.

Data files are untrusted input. Every file read must lie inside the data
folder once symlinks are followed (the folder itself may be a symlink), must
be a regular file (a FIFO would block forever), and must be within the size
limits of :mod:`kgraph.limits`, checked with ``fstat`` before a byte is read.
A file that cannot be read is reported (why, and what to do) on the report
of the file that names it, and reads as None.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from ..limits import Limits, inside
from ..validate import FileReport, Report
from ..yamlread import Value, YList, read_yaml
from .quotes import QuoteAllowance

__all__ = ["DataFolder", "reason"]


def reason(e: OSError) -> str:
    """Why a file could not be read, in words: ``PermissionError`` → ``"permission denied"``."""
    return (e.strerror or type(e).__name__).lower()


class DataFolder:
    """The data folder of one load, and the one way its files are read."""

    __slots__ = ("limits", "overlay", "quotes", "real_root", "report", "root")

    def __init__(self, root: Path, report: Report, limits: Limits, overlay: Mapping[str, bytes] | None = None) -> None:
        self.root = root
        self.overlay = dict(overlay or {})  # path -> the bytes read instead of the file's (see dataset.check)
        self.real_root = os.path.realpath(root)
        self.report = report
        self.limits = limits
        self.quotes = QuoteAllowance(limits)  # grows with each YAML file read

    def outside(self, path: str, at: FileReport, pos: tuple[int, int] | None = None) -> str | None:
        """The resolved ``path``, or None (and an error reported at ``at``) when it lies outside the data folder."""
        real = os.path.realpath(path)
        if inside(real, self.real_root):
            return real
        at.error(
            pos,
            f"{os.path.relpath(path, self.root)} is a symlink to {real}, outside the data "
            "folder; kgraph reads only files inside it (copy the file in instead)",
        )
        return None

    def read(
        self,
        path: str,
        missing: str,
        *,
        text: bool = False,
        at: FileReport | None = None,
        pos: tuple[int, int] | None = None,
        hint: str | None = None,
    ) -> bytes | None:
        """The bytes of a regular file within its size limit; None once the reason it cannot be read is reported.

        Problems go on ``at``:``pos`` (the ``text:`` field of a source) when given, else on the file
        itself; ``missing`` (with ``hint``) is the message for a file that does not exist. ``text`` says
        the file is an article text (its own size limit), not YAML.
        """
        staged = self.overlay.get(path)
        if staged is not None:
            if not text:
                self.quotes.credit(len(staged))
            return staged
        where = at if at is not None else self.report.file(path)
        max_bytes, limit = (
            (self.limits.max_text_bytes, "max_text_bytes") if text else (self.limits.max_file_bytes, "max_file_bytes")
        )
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            where.error(pos, missing, hint)
            return None
        except OSError as e:
            where.error(pos, f"cannot read {os.path.basename(path)}: {reason(e)}")
            return None
        try:
            data, problem = self._read_open(fd, os.path.basename(path), max_bytes, limit)
        finally:
            os.close(fd)
        if problem is not None:
            where.error(pos, problem)
            return None
        assert data is not None
        if not text:
            self.quotes.credit(len(data))
        if len(data) > max_bytes:
            where.error(
                pos, f"{os.path.basename(path)} is more than {max_bytes:,} bytes, too big to read ({self._hint(limit)})"
            )
            return None
        return data

    def _hint(self, limit: str) -> str:
        return self.limits.hint(limit, " bytes")

    def _read_open(self, fd: int, name: str, max_bytes: int, limit: str) -> tuple[bytes | None, str | None]:
        """The bytes of the open file (at most one over ``max_bytes``), or what stops it being read."""
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a FIFO, device or socket)"
                return None, f"{name} is {kind}; kgraph reads regular files only"
            if st.st_size > max_bytes:
                return None, f"{name} is {st.st_size:,} bytes, too big to read ({self._hint(limit)})"
            with open(fd, "rb", closefd=False) as fh:
                data = fh.read(st.st_size + 1)  # (a buffer of the file's size, not of the limit)
                if len(data) > st.st_size:  # it grew, or its size lied (a /proc file): read on, to the limit
                    data += fh.read(max_bytes + 1 - len(data))
            return data, None
        except OSError as e:
            return None, f"cannot read {name}: {reason(e)}"

    def document(self, path: str, missing: str) -> tuple[FileReport, Value]:
        """One YAML file read and parsed, with its report; the value is None once why is reported."""
        file = self.report.file(path)
        data = self.read(path, missing)
        if data is None:
            return file, None
        doc, problems = read_yaml(data, path, self.limits)
        self.report.extend(problems)
        return file, doc

    def top_list(self, file: Path, key: str) -> tuple[FileReport, YList | None]:
        """The list under ``key``, the one field of a file such as ``relations.yaml``; None once why is reported."""
        p = str(file)
        at = self.report.file(p)
        if os.path.islink(p) and self.outside(p, at) is None:
            return at, None
        at, doc = self.document(p, f"missing file: the dataset needs {file.name}")
        if doc is None:
            return at, None
        top = at.mapping(doc, (1, 1), "the file")
        if top is None or not at.fields(top, "the file", (key,), ()):
            return at, None
        return at, at.sequence(top[key], top.value_at(key), f"{key!r}")

    def source_files(self, src_dir: Path) -> list[tuple[Path, str]]:
        """The ``sources/*.yaml`` files in name order, each with its resolved path; problems reported."""
        at = self.report.file(str(src_dir))
        if not os.path.isdir(src_dir):
            what = "sources is not a folder" if os.path.lexists(src_dir) else "no sources/ folder"
            at.error(None, f"{what}: each article goes in sources/<id>.yaml with its <id>.txt")
            return []
        real_dir = self.outside(at.path, at) if os.path.islink(src_dir) else os.path.join(self.real_root, "sources")
        if real_dir is None:
            return []
        try:
            with os.scandir(src_dir) as it:
                entries = sorted((e.name, e.is_symlink()) for e in it if e.name.endswith((".yaml", ".yml")))
        except OSError as e:
            at.error(None, f"cannot read the sources folder: {reason(e)}")
            return []
        out = []
        for name, link in entries:
            file = src_dir / name
            if name.endswith(".yml"):
                self.report.warn(
                    str(file), None, "not read: source files must end in .yaml", repr(file.with_suffix(".yaml").name)
                )
                continue
            real = self.outside(str(file), self.report.file(str(file))) if link else os.path.join(real_dir, name)
            if real is not None:
                out.append((file, real))
        return out
