"""How much kgraph will read, and from where: the limits that make a hostile dataset fail fast.

Data files are untrusted input (datasets get shared). Each limit below is well
above what real data needs, the benchmark's generated million-fact dataset
included (16,649 source files of ~24 KB and at most 80 facts each; an
``entities.yaml`` of 8.2 MB holding 50,000 entities, ~400,000 values), and
low enough that a hostile file is refused before it eats the machine: in
milliseconds when its size gives it away (checked with ``fstat`` before a
byte is read), else as soon as the parser reaches the node that goes over.
Going over a limit is a data error (exit code 3) naming the limit, the value
found and the environment variable that raises it (a positive whole number;
anything else is a usage error, exit code 2).

=====================  ==========  ========================================  ==========================
limit                  default     what it bounds                            raise it with
=====================  ==========  ========================================  ==========================
``max_file_bytes``     64 MiB      one YAML file (real: 8.2 MB at 1M facts)  ``KGRAPH_MAX_FILE_BYTES``
``max_text_bytes``     32 MiB      one article text (real: tens of KB)       ``KGRAPH_MAX_TEXT_BYTES``
``max_depth``          32          nesting of lists and mappings (real: 4)   ``KGRAPH_MAX_DEPTH``
``max_scalar_chars``   1 Mi        one value, a quote or a name, in          ``KGRAPH_MAX_SCALAR_CHARS``
                                   characters (real: a few hundred)
``max_items``          500,000     items of one list or keys of one mapping  ``KGRAPH_MAX_ITEMS``
                                   (real: 50,000 entities at 1M facts)
``max_nodes``          2,000,000   values in one YAML file (real: ~400,000)  ``KGRAPH_MAX_NODES``
``max_facts``          10,000,000  facts in the whole dataset                ``KGRAPH_MAX_FACTS``
``max_relation_depth`` 100         ancestors of one relation (real: 3)       ``KGRAPH_MAX_RELATION_DEPTH``
``max_quote_scan``     1,000       characters of article text scanned to     ``KGRAPH_MAX_QUOTE_SCAN``
                                   check quotes, per byte of YAML read (plus
                                   10 MiB worth; real: about 30)
=====================  ==========  ========================================  ==========================

A dataset of several million facts needs some of these raised (its
``entities.yaml`` alone would pass 64 MiB near 8 million facts); the
variables are read at every load. A cached dataset is answered from the cache
without being read again, so lowering a limit does not refuse data that was
already accepted.

YAML anchors, aliases and tags are refused outright (see :mod:`kgraph.yamlread`),
so there is no limit on them to set: an "alias bomb" cannot expand.

Where kgraph reads from: every file it opens for a dataset (``relations.yaml``,
``entities.yaml``, ``sources/*.yaml``, the article texts they name) must,
after symlinks are followed, lie inside the data folder (which may itself be
a symlink); only regular files are read (a FIFO or a device would block or
never end). :func:`inside` is that check.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

from .errors import UsageError

__all__ = ["DEFAULTS", "Limits", "current", "inside", "read_inside"]


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits in force for one load."""

    max_file_bytes: int = 64 << 20
    max_text_bytes: int = 32 << 20
    max_depth: int = 32
    max_scalar_chars: int = 1 << 20
    max_items: int = 500_000
    max_nodes: int = 2_000_000
    max_facts: int = 10_000_000
    max_relation_depth: int = 100
    max_quote_scan: int = 1000

    @staticmethod
    def env_name(field: str) -> str:
        """``max_depth`` → ``KGRAPH_MAX_DEPTH``."""
        return "KGRAPH_" + field.upper()

    def hint(self, field: str, unit: str = "") -> str:
        """What to say after a limit is hit: the limit, and how to raise it.

        >>> DEFAULTS.hint("max_file_bytes", " bytes")
        'the limit is 67,108,864 bytes; set KGRAPH_MAX_FILE_BYTES to raise it'
        """
        return f"the limit is {getattr(self, field):,}{unit}; set {self.env_name(field)} to raise it"


DEFAULTS = Limits()


def current() -> Limits:
    """The limits in force: the defaults, each overridden by its ``KGRAPH_MAX_…`` variable when set.

    >>> current().max_depth
    32
    """
    changed: dict[str, int] = {}
    for field in Limits.__dataclass_fields__:
        raw = os.environ.get(Limits.env_name(field))
        if raw is None or raw.strip() == "":
            continue
        try:
            value = int(raw.strip().replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            raise UsageError(f"{Limits.env_name(field)} must be a positive whole number, not {raw!r}")
        changed[field] = value
    return Limits(**changed) if changed else DEFAULTS


def inside(path: str, real_root: str) -> bool:
    """Whether ``path`` (already resolved with ``os.path.realpath``) lies inside ``real_root`` (resolved too).

    >>> inside("/data/sources/a.txt", "/data"), inside("/etc/passwd", "/data"), inside("/data2/x", "/data")
    (True, False, False)
    """
    return path.startswith(real_root.rstrip(os.sep) + os.sep)


def read_inside(path: str, real_root: str, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``, a regular file inside ``real_root`` of at most ``max_bytes``; OSError for anything else.

    A symlink is followed only when it resolves inside ``real_root``; a FIFO,
    device or socket is refused without blocking (it is opened non-blocking
    and checked before it is read). Costs nothing over a plain ``open`` for
    an ordinary file. Used where a file is read without a report to make
    (the cache's freshness check); the loader does the same with messages.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        if e.errno != errno.ELOOP:
            raise
        if not inside(os.path.realpath(path), real_root):
            raise PermissionError(errno.EACCES, "a symlink that leads outside the data folder", path) from None
        fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        cap = st.st_size if max_bytes is None else max_bytes
        if st.st_size > cap:
            raise OSError(errno.EFBIG, "over the size limit", path)
        data = os.read(fd, st.st_size + 1)  # os.read, not a file object: this runs for every file on a cache hit
        if len(data) != st.st_size:  # short read, or it grew: read on to the end, within the cap
            chunks, size = [data], len(data)
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise OSError(errno.EFBIG, "over the size limit", path)
            data = b"".join(chunks)
        if len(data) > cap and max_bytes is not None:
            raise OSError(errno.EFBIG, "over the size limit", path)
        return data
    finally:
        os.close(fd)
