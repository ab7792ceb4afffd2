"""Who may use each page: every URL pattern states its rule, and unstated means refused.

A view is marked with `@access(Rule.X)`. The middleware enforces the rule before the view runs,
and a system check (run by `manage.py check`, `runserver` and the test suite) lists any URL
pattern whose view carries no rule, so a new page cannot ship without one. Object-level
questions ("is this the learner's own attempt?", "does this instructor teach this cohort?")
are answered by the selectors that fetch the object, which return 404 for anyone else's.
"""

import enum
import logging
from collections.abc import Callable, Iterator

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver

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
        if allowed(request.user, rule):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
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
