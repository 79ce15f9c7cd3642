"""Browser tests: Playwright drives Debian's Chromium (installed by .ci/run with apt; never
a browser download) against pytest-django's live server.

Every test here fails on a browser console error, and can save screenshots under
test-artifacts/ for people (and the user guide) to look at.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.journey import VARIANTS, Journey, Variant

# Playwright's sync API runs an event loop in the test's thread; Django's ORM calls from
# the same thread are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": FLAGS}


@pytest.fixture(autouse=True)
def needs_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail("needs Debian's chromium at /usr/bin/chromium: `make browsers` installs it")


@pytest.fixture
def console_errors(page: Any) -> Iterator[list[str]]:
    """The page's console errors and uncaught exceptions; a test with any fails."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if os.environ.get("DOCS_SCREENSHOTS"):  # `make docs-screenshots` refreshes the guide
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS / f"{name}.png"), full_page=False)
        return path

    return take


@pytest.fixture(params=VARIANTS, ids=lambda variant: variant.name)
def journey(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Iterator[Journey]:
    """A person's browser in one variant (wide, phone, Spanish), watched for what they
    would notice; the test fails at its end on anything found (see journey.py)."""
    variant: Variant = request.param
    context = browser.new_context(
        viewport={"width": variant.width, "height": variant.height},
        locale="es-ES" if variant.spanish else "en-GB",
        extra_http_headers={"Accept-Language": "es-ES,es;q=0.9" if variant.spanish else "en"},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    walk = Journey(page=page, base_url=live_server.url, variant=variant)
    walk.watch()
    try:
        yield walk
        failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failed.png"), full_page=True)
        problems = walk.problems + walk.storms()
        assert not problems, "the journey hit:\n" + "\n".join(problems)
    finally:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
