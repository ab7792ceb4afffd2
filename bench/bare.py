"""The bare Django view each page is measured beside: the same bytes, no middleware.

`BareHandler` is Django's own WSGI handler with an empty middleware chain and this module as
its URLconf; its one view answers with a body captured from the real site (a file in
BENCH_BARE_DIR, read once per worker). What is left is what any Django response costs: the
request object, the request_started/finished signals (which close stale database
connections), URL resolution, an HttpResponse. bench/wsgi.py serves it from the same gunicorn
workers as the site, so both share one server, one configuration and one warm process.
"""

import os
from pathlib import Path

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import Http404, HttpResponse
from django.urls import path

PREFIX = "/__bare__/"
_bodies: dict[str, bytes] = {}


def captured(request, name: str):
    """The captured body called `name`, whatever the method (the action is a POST)."""
    body = _bodies.get(name)
    if body is None:
        file = Path(os.environ["BENCH_BARE_DIR"]) / f"{name}.html"
        if not file.is_file():
            raise Http404(name)
        body = _bodies[name] = file.read_bytes()
    return HttpResponse(body)


def idle(request):
    """Answers at once: bench/run.py asks it to know when gunicorn has no queue left."""
    return HttpResponse(status=204)


urlpatterns = [
    path(f"{PREFIX.strip('/')}/idle/", idle),
    path(f"{PREFIX.strip('/')}/<slug:name>/", captured),
]


class BareHandler(WSGIHandler):
    """Django's WSGI handler with no middleware at all and this module's URLconf."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)

    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)
