"""A pytest plugin (loaded by conftest.py): under ``CI`` a skipped test fails, with its reason.

CI installs everything the README names (the ``test`` extra, the JavaScript
readers, Graphviz, Chromium), so a test that skips there is a test that did
not run while the run looks green: a missing install, or a skip added by
mistake. Elsewhere skips stay skips, so a developer without, say, Chromium
can still run the rest.

One kind of skip is kept in CI: a reason starting with ``this machine`` says
the machine itself cannot do the check (a sandbox that refuses to mount a
tmpfs or to drop a capability), which no install can change. Tests that
``pytest.skip`` for such a reason should word it that way.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

MACHINE = "this machine"


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str | None:
    """Why a report was skipped, or None when it was not (an expected failure is not a skip)."""
    if not report.skipped or hasattr(report, "wasxfail"):
        return None
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def fail_skip_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    reason = skip_reason(report)
    if reason is None or not os.environ.get("CI") or reason.startswith(MACHINE):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI: {reason}\n"
        "CI installs everything the README names, so this skip would hide a test (tests/ci_skips.py)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    fail_skip_in_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report: pytest.CollectReport = yield
    fail_skip_in_ci(report)
    return report
