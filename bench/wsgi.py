"""WSGI entry point for `make bench`: the site, and under /__bare__/ the bare view beside it.

One gunicorn serves both, so a real page and its bare twin run in the same workers with the
same settings, interleaved in one run; the only difference left is the work the site does.
Outside the benchmark nothing imports this module.
"""

from django.core.wsgi import get_wsgi_application

site = get_wsgi_application()

from bench.bare import PREFIX, BareHandler  # noqa: E402 (Django must be set up first)

bare = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(PREFIX):
        return bare(environ, start_response)
    return site(environ, start_response)
