"""Every page of every role works under the site's CSP, which allows nothing inline.

One browser walks the site as each demo account: from the home page it follows every link of
the site it finds (one URL per URL pattern, so a thousand lessons cost one visit), and it does
the htmx interactions on the way (a case action, a quiz answer, a sort of the progress grid).
The browser reports each thing the policy blocked (`securitypolicyviolation`, or a console
error naming the Content Security Policy); there must be none. A template that brings back a
`style=` attribute or an inline `<script>` fails here, as does htmx injecting its indicator
`<style>` (kept off by the htmx-config meta in base.html).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from edu.accounts.management.commands.seed_demo import DEMO_ACCOUNTS
from tests.browser.conftest import sign_in
from tests.browser.test_cases import click_step

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""
# Downloads (CSV, xAPI) are not pages; signing out would end the walk.
NOT_PAGES = re.compile(r"(\.csv$|/csv/|/export/|^/admin/logout/)")
MOST_PAGES_PER_ROLE = 80


@pytest.fixture
def watched_page(page):
    """The browser page, and the list each CSP complaint it makes lands in."""
    complaints: list[str] = []
    page.expose_function("reportCspViolation", lambda text: complaints.append(text))
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        if "Content Security Policy" in message.text:
            complaints.append(message.text)

    page.on("console", on_console)
    return page, complaints


def pattern_of(path: str) -> str | None:
    """The URL pattern a path is of; Django's admin pages by their kind (changelist, change
    form, add form...), since each kind is one template whatever the model."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace == "admin" and "_" in match.url_name:
        return "admin:" + match.url_name.rsplit("_", 1)[1]
    return match.view_name


def site_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def walk(page, origin: str, complaints: list[str], start=("/",)) -> dict[str, str]:
    """Visit one URL of every pattern reachable by links from the home page.

    Returns {pattern name: path visited}; a page that blocked anything is named in the
    complaint, so the failure says where.
    """
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < MOST_PAGES_PER_ROLE:
        path = queue.pop(0)
        name = pattern_of(urlsplit(path).path)
        if name is None or name in seen or NOT_PAGES.search(urlsplit(path).path):
            continue
        seen[name] = path
        before = len(complaints)
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} did not open"
        page.wait_for_load_state("load")
        complaints[before:] = [f"{path}: {c}" for c in complaints[before:]]
        queue.extend(site_links(page, origin))
    return seen


@pytest.fixture
def demo_site(transactional_db):
    call_command("load_content", verbosity=0)
    call_command("seed_demo", verbosity=0)


def play_a_case_step(page) -> None:
    page.goto("/cases/")
    page.locator("form[action$='/start/'] button").first.click()
    click_step(page, page.locator("button.action-button").first)


def answer_a_quiz_question(page) -> None:
    page.goto("/quizzes/")
    page.get_by_role("button", name="Practice").first.click()
    page.locator("input[name=option]").first.check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".feedback, .answer-feedback, [role=status]").first).to_be_visible()


def sort_the_progress_grid(page) -> None:
    page.goto("/cohorts/")
    cohort = page.locator("main a[href^='/cohorts/']").filter(
        has_text=re.compile(r"^(?!New cohort|Join)")
    )
    cohort.first.click()
    page.get_by_role("link", name="Progress grid").first.click()
    page.get_by_role("link", name="Done", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=total"))


INTERACTIONS = {
    "learner": [play_a_case_step, answer_a_quiz_question],
    "instructor": [sort_the_progress_grid],
    "admin": [],
}


@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_runs_without_a_csp_violation(
    watched_page, live_server, demo_site
):
    page, complaints = watched_page
    origin = live_server.url
    walked = {"anonymous": walk(page, origin, complaints)}
    for username, password, *_ in DEMO_ACCOUNTS:
        page.context.clear_cookies()
        sign_in(page, username, password)
        start = ("/", "/admin/") if username == "admin" else ("/",)
        walked[username] = walk(page, origin, complaints, start)
        for interaction in INTERACTIONS[username]:
            before = len(complaints)
            interaction(page)
            complaints[before:] = [f"{interaction.__name__}: {c}" for c in complaints[before:]]
    # The walk reached the pages that matter for each role (not just the home page).
    assert {"lessons:lesson", "cases:library", "quizzes:index"} <= set(walked["anonymous"])
    assert {"cases:debrief", "quizzes:result", "quizzes:progress"} <= set(walked["learner"])
    assert {"cohorts:progress", "cohorts:insight", "cohorts:learner"} <= set(walked["instructor"])
    admin_pages = {"analytics:index", "analytics:case", "authoring:import", "admin:index"}
    admin_pages |= {"admin:changelist", "admin:change", "admin:add"}
    assert admin_pages <= set(walked["admin"])
    assert complaints == []


def test_the_policy_header_reaches_the_browser(page, live_server, transactional_db):
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
