"""Who may use each page: every URL pattern states its rule, and unstated means refused.

A view is marked with `@access(Rule.X)`. The middleware enforces the rule before the view runs,
and a system check (run by `manage.py check`, `runserver` and the test suite) lists any URL
pattern whose view carries no rule, so a new page cannot ship without one. Object-level
questions ("is this the learner's own attempt?", "does this instructor teach this cohort?")
are answered by the selectors that fetch the object, which return 404 for anyone else's.

Someone signed out is sent to sign in with `next` set to a page they can come back to: the page
they were on for an htmx request (its `HX-Current-URL`, followed by the browser through
`HX-Redirect` rather than swapped into the page) or a plain form post (its referrer), and never
a URL that only accepts POST. A request with a method its view refuses (a GET on a button's
URL) is answered 405 here, before any sign-in detour, and `edu.errors` dresses it as a page.
"""

import enum
import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

log = logging.getLogger(__name__)


class Rule(enum.Enum):
    PUBLIC = "anyone, signed in or not"
    SIGNED_IN = "any signed-in account (learners, instructors and admins all learn)"
    INSTRUCTOR = "instructors and program admins; cohort membership checked by the selector"
    PROGRAM_ADMIN = "program admins only"


# URL namespaces that enforce their own access: Django's admin requires is_staff everywhere.
SELF_GUARDED_NAMESPACES = frozenset({"admin"})


def access(rule: Rule) -> Callable:
    """Mark a view (function or class-based) with the rule the middleware enforces."""

    def mark(view):
        view.access_rule = rule
        return view

    return mark


def rule_for(view_func) -> Rule | None:
    rule = getattr(view_func, "access_rule", None)
    if rule is None and hasattr(view_func, "view_class"):
        rule = getattr(view_func.view_class, "access_rule", None)
    return rule


@functools.lru_cache(maxsize=1024)  # views are made once, when the URLconf loads
def accepted_methods(view_func) -> frozenset[str] | None:
    """The HTTP methods a view answers, or None when it takes any.

    Read from a class-based view's handlers, or from the list that Django's
    `require_http_methods` (`require_POST`, `require_safe`) keeps in its wrapper's closure;
    tests/test_sessions_and_errors.py pins this against Django's own decorators.
    """
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        methods = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        if "GET" in methods:
            methods.add("HEAD")  # View.setup answers HEAD with get()
        return frozenset(methods)
    func = view_func
    while func is not None:
        try:
            closure = inspect.getclosurevars(func).nonlocals if func.__closure__ else {}
        except (TypeError, ValueError):
            closure = {}
        allowed_list = closure.get("request_method_list")
        if allowed_list is not None:
            return frozenset(m.upper() for m in allowed_list)
        func = getattr(func, "__wrapped__", None)
    return None


def accepts_get(path: str) -> bool:
    """Whether a GET on this site path reaches a page (False for POST-only URLs and unknowns)."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    methods = accepted_methods(match.func)
    return methods is None or "GET" in methods


def page_to_return_to(request) -> str | None:
    """The site page the browser was showing when it sent this request, if one can be trusted.

    htmx names it in HX-Current-URL; a plain form post has its referrer. Only a URL of this
    site that answers GET qualifies, given back as path and query.
    """
    candidates = [request.headers.get("HX-Current-URL"), request.headers.get("Referer")]
    for url in candidates:
        if not url or not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            continue
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if accepts_get(parts.path):
            return path
    return None


SIGNED_OUT_MESSAGE = (
    "You were signed out (from another tab, or after a long pause), so that last step was not "
    "saved. Sign in to carry on where you were."
)


def send_to_sign_in(request):
    """Send someone signed out to sign in, and back afterwards to a page they can open."""
    if request.method in ("GET", "HEAD") and not request.htmx:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if request.method not in ("GET", "HEAD"):
        messages.info(request, SIGNED_OUT_MESSAGE)
    back = page_to_return_to(request)
    if back is None and request.method in ("GET", "HEAD"):
        back = request.get_full_path()
    response = redirect_to_login(back, settings.LOGIN_URL) if back else redirect(settings.LOGIN_URL)
    if request.htmx:
        # A redirect would be followed by the XMLHttpRequest and the sign-in page swapped into
        # the play area; HX-Redirect makes the browser itself go there.
        return HttpResponseClientRedirect(response["Location"])
    return response


def is_self_guarded(namespaces) -> bool:
    return bool(SELF_GUARDED_NAMESPACES.intersection(namespaces))


def allowed(user, rule: Rule) -> bool:
    if rule is Rule.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if rule is Rule.SIGNED_IN:
        return True
    if rule is Rule.INSTRUCTOR:
        return user.is_instructor
    return user.is_program_admin


class AccessPolicyMiddleware:
    """Refuses any request whose view has no rule, or whose user the rule does not admit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_self_guarded(request.resolver_match.namespaces):
            return None
        rule = rule_for(view_func)
        if rule is None:
            log.error("View %r has no access rule; refusing.", view_func)
            raise PermissionDenied("This page has no access rule.")
        methods = accepted_methods(view_func)
        if methods is not None and request.method not in methods:
            # Refused whoever asks, so that no sign-in page ever offers to come back here.
            return HttpResponseNotAllowed(sorted(methods))
        if allowed(request.user, rule):
            return None
        if not request.user.is_authenticated:
            return send_to_sign_in(request)
        raise PermissionDenied("Your account does not have access to this page.")


def walk_patterns(
    resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...], URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk_patterns(entry, route, inner)
        else:
            yield route, namespaces, entry


def patterns_without_rule(resolver: URLResolver | None = None) -> list[str]:
    """Routes whose view states no access rule (empty when the policy is complete)."""
    resolver = resolver or get_resolver()
    return [
        route
        for route, namespaces, pattern in walk_patterns(resolver)
        if not is_self_guarded(namespaces) and rule_for(pattern.callback) is None
    ]


@checks.register(checks.Tags.security)
def check_every_url_has_a_rule(app_configs, **kwargs):
    return [
        checks.Error(
            f"URL pattern '{route}' has no access rule.",
            hint="Decorate its view with @access(Rule.…) from edu.access.",
            id="edu.E001",
        )
        for route in patterns_without_rule()
    ]
