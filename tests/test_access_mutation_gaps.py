"""Details of the access policy that mutation testing found no test for.

`@access` stores its rule when a view is decorated at run time, not only at import; the
patterns walk keeps the namespaces it passes through (the admin is recognised by its own);
a refused unruled view is logged by name, so the forgotten rule can be found; an anonymous
visitor sent to sign in comes back to the page they asked for.
"""

from __future__ import annotations

import logging

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse

from edu.access import (
    AccessPolicyMiddleware,
    Rule,
    access,
    patterns_without_rule,
    rule_for,
    walk_patterns,
)


def plain(request):
    return HttpResponse("plain")


@pytest.mark.parametrize("rule", list(Rule), ids=lambda rule: rule.name)
def test_access_stores_the_rule_on_the_view_it_decorates(rule):
    def view(request):
        return HttpResponse("x")

    assert access(rule)(view) is view
    assert view.access_rule is rule
    assert rule_for(view) is rule


def test_a_view_without_the_decorator_has_no_rule():
    assert rule_for(plain) is None


inner_patterns = [path("leaf/", plain, name="leaf")]
urlpatterns = [
    path("plain/", include(inner_patterns)),
    path("named/", include((inner_patterns, "named"), namespace="named")),
    path("staff/", include((inner_patterns, "admin"), namespace="admin")),
]


def test_walking_the_patterns_keeps_each_routes_namespaces():
    from django.urls import get_resolver

    walked = {route: namespaces for route, namespaces, _ in walk_patterns(get_resolver(__name__))}
    assert walked == {
        "plain/leaf/": (),
        "named/leaf/": ("named",),
        "staff/leaf/": ("admin",),
    }
    # The admin guards itself; the other two routes lack a rule.
    assert patterns_without_rule(get_resolver(__name__)) == ["plain/leaf/", "named/leaf/"]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_refused_unruled_view_is_logged_by_name(client, caplog):
    with caplog.at_level(logging.ERROR, logger="edu.access"):
        assert client.get("/plain/leaf/").status_code == 403
    assert [record.getMessage() for record in caplog.records if record.name == "edu.access"] == [
        f"View {plain!r} has no access rule; refusing."
    ]


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get(reverse("cohorts:index"), {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next=/cohorts/%3Fpage%3D2"


def test_the_middleware_passes_the_request_through_to_the_site():
    seen = []

    def site(request):
        seen.append(request)
        return HttpResponse("page")

    middleware = AccessPolicyMiddleware(site)
    request = object()
    assert middleware(request).content == b"page"
    assert seen == [request]
