"""Rewrite the shown output of the page examples that no longer match what kgraph prints.

    python tests/update_examples.py              # README.md and every page under docs/
    python tests/update_examples.py README.md    # one page

For maintainers, after a change that alters answers on purpose: each example
that :mod:`test_readme` would fail is run the same way (its block as one
session, the page's data) and the lines under its ``$ kgraph`` line are
replaced by what it printed (JSON re-indented as shown). Examples that pass
are left exactly as written, so abridged outputs stay abridged. Read the diff
before committing: the point of the examples is that a person checked them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_readme import BLOCK, ROOT, Example, check, examples_of, new_session, pages, run  # noqa: E402


def _printed(example: Example, stdout: str, stderr: str) -> list[str]:
    shown = [line for line in example.expected if line.strip()]
    if shown and shown[0].lstrip().startswith(("{", "[")):
        return json.dumps(json.loads(stdout), indent=2, ensure_ascii=False).splitlines()
    return [line.rstrip() for line in (stdout + stderr).splitlines()]


def update(page: Path) -> int:
    """Rewrite the failing examples of one page; returns how many changed."""
    text = page.read_text(encoding="utf-8")
    replacements: dict[int, list[str]] = {}  # command's line number -> new output lines
    with tempfile.TemporaryDirectory() as tmp:
        sessions: dict[int, object] = {}
        for example in examples_of(page, text):
            if example.block not in sessions:
                sessions[example.block] = new_session(example.data, Path(tmp) / f"block{example.block}")
            done = run(example.command, sessions[example.block])  # type: ignore[arg-type]
            try:
                check(example, done)
            except AssertionError:
                replacements[example.lineno] = _printed(example, done.stdout, done.stderr)
    if not replacements:
        return 0
    lines = text.split("\n")
    out: list[str] = []
    skipping = False
    block_ends = {text[: m.end()].count("\n") for m in BLOCK.finditer(text)}  # 0-based line of each closing ```
    for i, line in enumerate(lines):
        number = i + 1
        if skipping and (line.startswith("$ ") or i in block_ends):
            skipping = False
        if skipping:
            continue
        out.append(line)
        if number in replacements:
            out.extend(replacements[number])
            skipping = True
    page.write_text("\n".join(out), encoding="utf-8")
    return len(replacements)


def main(argv: list[str]) -> int:
    chosen = [Path(a).resolve() for a in argv] or pages()
    for page in chosen:
        changed = update(page)
        if changed:
            print(f"{page.relative_to(ROOT)}: {changed} example(s) rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
