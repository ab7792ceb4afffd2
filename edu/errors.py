"""Dress Django's bare refusals as the site's error page.

Django answers a method a view does not accept (a GET on a button's URL: a case's start link,
sign-out, an answer) with an empty 405, which the browser shows as a blank "HTTP ERROR 405".
This middleware gives it the site's page, with a way back, keeping the status and its Allow
header.
"""

from django.http import HttpResponseNotAllowed

from edu import views


class FriendlyMethodNotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            friendly = views.method_not_allowed(request)
            friendly["Allow"] = response["Allow"]
            return friendly
        return response
