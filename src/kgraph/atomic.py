"""Writes that cannot leave half a file: a temporary file in the target's folder, then ``os.replace``.

Every file kgraph writes (exports, pictures, the view page, datasets) goes
through here. The data is given whole, or as chunks of bytes that are
written as they come (a large export never holds its whole document); it is
written to
``.<name>.<random>.tmp`` beside the target, flushed to disk, and renamed
over the target, so the target is at every moment either its old content
or the complete new one. On a failure (disk full, permission denied) the
temporary file is removed, the target is untouched, and
:class:`~kgraph.errors.ExportError` (exit code 6) says why. A replaced file
keeps its permissions; a new one gets the umask's.

A writer killed before its rename cannot clean up: the next write of the
same name removes such leftovers once they are :data:`STALE_TEMP_S` old (a
younger one may belong to a writer still at work).

:func:`replace_bytes` is the bare step (raises ``OSError``, optionally
without fsync) for callers with error handling of their own, such as a cache
that falls back silently when it cannot write.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from .errors import ExportError

__all__ = [
    "STALE_TEMP_S",
    "Chunks",
    "Target",
    "is_stream",
    "remove_stale_temps",
    "replace_bytes",
    "file_mode",
    "temp_prefix",
    "write_bytes",
    "write_folder",
    "write_stream",
    "write_target",
    "write_text",
    "write_zip",
    "zip_bytes",
]

Target = str | os.PathLike[str] | IO[str] | IO[bytes]
"""Where a document goes: a path (written atomically) or an open stream."""

Chunks = bytes | Iterable[bytes]
"""A file's content: all of it, or its pieces in order (read once, as they are written)."""

STALE_TEMP_S = 3600
"""A temporary file of ours older than this (seconds) was left by a killed writer: the next write removes it."""


def temp_prefix(name: str) -> str:
    """The prefix of the temporary files written for the file ``name`` (short enough for any file system)."""
    return f".{name[:100]}."


def replace_bytes(path: Path, data: Chunks, *, fsync: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it and ``os.replace``; OSError on failure.

    The temporary file is removed on any failure. ``fsync=False`` skips the
    flush to disk (for files whose damage by a power loss is detected and
    harmless, such as checksummed cache entries). The file gets ``mode``, or
    else keeps the permissions of the file it replaces (the umask's when new).
    """
    import tempfile  # (here, not at the top: reading the cache imports this module and never writes)

    if mode is None:
        mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    try:
        _fill(fd, data, fsync=fsync)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


def write_bytes(path: Path, data: Chunks) -> None:
    """Write ``data`` to ``path`` atomically (see the module's docstring); ExportError on failure."""
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {str(path)!r}: folder {str(folder)!r} does not exist")
    if path.is_dir():
        raise ExportError(f"cannot write {str(path)!r}: it is a folder")
    try:
        replace_bytes(path, data)
    except OSError as e:
        raise ExportError(f"cannot write {str(path)!r}: {e.strerror or e}") from e
    remove_stale_temps(folder, [path.name])


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, as UTF-8 (line ends as they are)."""
    write_bytes(path, text.encode("utf-8"))


def write_folder(folder: Path, files: Mapping[str, Chunks], what: str) -> None:
    """Write several files into ``folder`` (created if missing), all or none.

    Every file is first written to a temporary name in the folder; only when
    all are written are they renamed into place, so a failure while writing
    (disk full, permission denied) leaves the folder as it was. (Each rename
    is atomic, the set of them is not: a rename failing half-way, which a
    folder that took the temporary files hardly does, would leave some files
    new.) Files already in the folder that are not in ``files`` are left
    alone. ``what`` names the export in the message when ``folder`` is a file.
    """
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"cannot export {what} to {str(folder)!r}: it is a file; give a folder or a .zip")
    if not folder.parent.is_dir():
        raise ExportError(f"cannot write {str(folder)!r}: folder {str(folder.parent)!r} does not exist")
    import tempfile

    made = not folder.exists()
    temps: dict[str, str] = {}
    try:
        folder.mkdir(exist_ok=True)
        for name in sorted(files):
            fd, temps[name] = tempfile.mkstemp(prefix=temp_prefix(name), suffix=".tmp", dir=folder)
            _fill(fd, files[name], fsync=True)
            os.chmod(temps[name], file_mode(folder / name))
        for name in sorted(files):
            os.replace(temps[name], folder / name)
            del temps[name]
    except BaseException as e:
        for tmp in temps.values():
            _remove(tmp)
        if not isinstance(e, OSError):
            raise
        if made:
            _rmdir(folder)
        raise ExportError(f"cannot write {str(folder)!r}: {e.strerror or e}") from e
    remove_stale_temps(folder, files)


def zip_bytes(files: Mapping[str, Chunks]) -> bytes:
    """A deterministic zip of ``files``: sorted names, fixed timestamps and permissions."""
    buffer = io.BytesIO()
    write_zip(buffer, files)
    return buffer.getvalue()


def write_zip(out: IO[bytes], files: Mapping[str, Chunks]) -> None:
    """Write the zip :func:`zip_bytes` makes to ``out`` (seekable), each file's chunks compressed as they come."""
    import zipfile  # (here: reading the cache, which writes through this module, needs no zip)

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            data = files[name]
            if isinstance(data, bytes):
                z.writestr(info, data)
            else:
                with z.open(info, "w") as member:
                    for chunk in data:
                        member.write(chunk)


def is_stream(target: object) -> bool:
    """Whether ``target`` is an open stream (anything with ``write``) rather than a path."""
    return hasattr(target, "write")


def write_stream(stream: Any, data: bytes, *, binary: bool = False) -> None:
    """Write to an open stream: bytes to a binary one, or to a text stream's buffer when it has one.

    ``binary`` data (a zip, a PNG) cannot go to a text stream without a
    buffer: ExportError.
    """
    if isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding"):
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        elif binary:
            raise ExportError("a zip needs a binary stream (or a path), not a text stream")
        else:
            stream.write(data.decode("utf-8"))
    else:
        stream.write(data)


def write_target(data: Chunks, target: Target, *, binary: bool = False) -> None:
    """Write one document to a path (atomically) or to an open stream (each chunk as it comes)."""
    if is_stream(target):
        for chunk in [data] if isinstance(data, bytes) else data:
            write_stream(target, chunk, binary=binary)
    else:
        write_bytes(Path(os.fspath(target)), data)  # type: ignore[arg-type]  # not a stream: a path


def remove_stale_temps(folder: Path, names: Iterable[str]) -> None:
    """Remove our temporary files for ``names`` in ``folder`` older than STALE_TEMP_S (a killed writer's)."""
    prefixes = tuple(temp_prefix(n) for n in names)
    limit = time.time() - STALE_TEMP_S
    with contextlib.suppress(OSError), os.scandir(folder) as it:  # an unreadable folder: nothing to tidy
        for entry in it:
            if entry.name.startswith(prefixes) and entry.name.endswith(".tmp"):
                _remove_if_older(entry, limit)


def file_mode(path: Path) -> int:
    """The permissions ``path`` has (kept when it is replaced), or the umask's for a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fill(fd: int, data: Chunks, *, fsync: bool) -> None:
    """Write ``data`` to the new temporary file ``fd`` and close it (flushed to disk with ``fsync``)."""
    with os.fdopen(fd, "wb") as out:
        for chunk in [data] if isinstance(data, bytes) else data:
            out.write(chunk)
        out.flush()
        if fsync:
            os.fsync(out.fileno())


def _remove_if_older(entry: os.DirEntry[str], limit: float) -> None:
    with contextlib.suppress(OSError):  # gone already, or not ours to remove: leave it
        if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
            os.unlink(entry.path)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):  # a failed clean-up must not hide the real outcome
        os.unlink(path)


def _rmdir(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()
