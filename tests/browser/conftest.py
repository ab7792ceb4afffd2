"""Browser tests: Debian's Chromium driven by Playwright (its own browser download cannot work
here). Where Chromium is missing they are skipped LOUDLY, unless EDU_REQUIRE_BROWSER=1 (CI),
where a missing browser fails the run."""

import os
import shutil
import warnings
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        message = f"!!! Chromium not found at {CHROMIUM}: BROWSER TESTS SKIPPED !!!"
        if os.environ.get("EDU_REQUIRE_BROWSER") == "1":
            pytest.fail(message.replace("SKIPPED", "REQUIRED BY CI"))
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


# axe-core ---------------------------------------------------------------------------------------
# The accessibility tests inject axe-core (tests/browser/package.json, installed by `make
# browser-deps` with `npm ci`) into pages whose CSP would refuse it: their browser contexts bypass
# the CSP, which is why only those contexts do (every other browser test keeps the CSP on).
BROWSER_TESTS = Path(__file__).resolve().parent
AXE = BROWSER_TESTS / "node_modules" / "axe-core" / "axe.min.js"


def install_axe() -> str | None:
    """Run `npm ci` when `make browser-deps` has not; returns why it could not, or None."""
    import fcntl
    import subprocess

    npm = shutil.which("npm")
    if npm is None:
        return "npm is missing (Debian's npm package)"
    with open(BROWSER_TESTS / ".npm-ci.lock", "w") as lock:  # two xdist workers, one install
        fcntl.flock(lock, fcntl.LOCK_EX)
        if AXE.exists():
            return None
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=BROWSER_TESTS,
            capture_output=True,
            text=True,
            timeout=300,
        )
    if done.returncode != 0 or not AXE.exists():
        return f"npm ci failed: {done.stderr.strip()[-500:]}"
    return None


@pytest.fixture(scope="session")
def axe_script() -> Path:
    problem = None if AXE.exists() else install_axe()
    if problem:
        message = f"!!! axe-core could not be installed ({problem}): AXE TESTS SKIPPED !!!"
        if os.environ.get("EDU_REQUIRE_BROWSER") == "1":
            pytest.fail(message.replace("SKIPPED", "REQUIRED BY CI"))
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    return AXE


@pytest.fixture
def axe_context(chromium, live_server, axe_script):
    """A browser context for axe: the CSP is bypassed so that axe's script tag may run."""
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()
