"""A crashed tab fails with Chromium's own account attached, not only Playwright's message."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

pytestmark = pytest.mark.browser
BROWSER_CONFTEST = Path(__file__).with_name("conftest.py")


def test_a_page_that_runs_out_of_memory_crashes_fast_with_chromiums_log(
    page: Page, page_evidence: Any
) -> None:
    """What issue 15's 'Target crashed' was: the renderer ran out of JavaScript heap."""
    page.set_content("<p>about to run away</p>")
    page.evaluate("() => console.warn('last words')")
    with pytest.raises(PlaywrightError, match="crash"):
        page.evaluate("() => { const hoard = []; for (;;) hoard.push(new Array(1e6).fill(1)); }")

    evidence = page_evidence
    deadline = time.monotonic() + 10  # Chromium may log the crash after Playwright saw it
    while "V8 javascript OOM" not in (report := evidence.render()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert evidence.crashed
    assert "renderer process crashed" in report
    assert "warning: last words" in report
    assert "V8 javascript OOM" in report


def test_a_failed_browser_test_reports_what_chromium_said(pytester: pytest.Pytester) -> None:
    """The report hook, in a session of its own, on a test that fails with evidence stashed."""
    pytester.makeconftest(
        f"""
        import importlib.util
        import sys
        spec = importlib.util.spec_from_file_location("browser_conftest", {str(BROWSER_CONFTEST)!r})
        browser = sys.modules["browser_conftest"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(browser)
        pytest_runtest_makereport = browser.pytest_runtest_makereport

        import pytest

        @pytest.fixture
        def evidence(request, tmp_path):
            log = browser.ChromiumLog(tmp_path / "chromium.log", tmp_path / "launch", "true")
            log.path.write_text("before the test\\n")
            found = browser.PageEvidence(log, log.offset(), console=["error: boom (app.js:3)"])
            request.node.stash[browser.PAGE_EVIDENCE] = found
            return found
        """
    )
    pytester.makepyfile(
        """
        def test_fails(evidence):
            with evidence.log.path.open("a") as log:
                log.write("V8 javascript OOM (Reached heap limit).\\n")
            evidence.crashed = True
            assert False

        def test_passes(evidence):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:asyncio")
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*Captured Chromium call*",
            "*renderer process crashed*",
            "error: boom (app.js:3)",
            "V8 javascript OOM (Reached heap limit).",
        ]
    )
    assert "before the test" not in result.stdout.str()
    assert result.stdout.str().count("Captured Chromium") == 1
