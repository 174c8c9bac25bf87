"""The CI skip guard (tests/ci_skips.py), run on small test files in a pytest of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parent

SKIPPING = """
import pytest

def test_runs():
    pass

def test_missing_reader():
    pytest.skip("Node.js (node) is not available")

def test_sandbox():
    pytest.skip("this machine refuses to mount a tmpfs: permission denied")

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_failure():
    assert False
"""

SKIPPED_MODULE = """
import pytest
pytest.importorskip("a_module_nobody_installed")

def test_never_collected():
    pass
"""


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: bool, source: str) -> pytest.RunResult:
    """Run a test file with the guard loaded, with or without CI set."""
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    pytester.makepyfile(test_file=source)
    return pytester.runpytest_subprocess("-p", "ci_skips", "-p", "no:randomly", "-p", "no:cacheprovider", "-rA")


def test_under_ci_a_skip_fails_with_its_reason(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(pytester, monkeypatch, True, SKIPPING)
    result.assert_outcomes(passed=1, failed=1, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(["*skipped under CI: Node.js (node) is not available*"])
    result.stdout.fnmatch_lines(["SKIPPED*this machine refuses to mount a tmpfs*"])


def test_under_ci_a_skipped_module_is_a_collection_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(pytester, monkeypatch, True, SKIPPED_MODULE)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*skipped under CI: could not import 'a_module_nobody_installed'*"])


@pytest.mark.parametrize("source", [SKIPPING, SKIPPED_MODULE], ids=["tests", "module"])
def test_elsewhere_a_skip_stays_a_skip(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    result = run(pytester, monkeypatch, False, source)
    if source == SKIPPING:
        result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    else:
        result.assert_outcomes(skipped=1)
