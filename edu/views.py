"""Site-wide pages: the home page and the friendly error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from edu.access import Rule, access
from edu.home import home_page


@access(Rule.PUBLIC)
def home(request):
    context = {}
    if request.user.is_authenticated:
        page = home_page(request.user)
        context = {"page": page, "review_due": page.review_due}
    return render(request, "home.html", context)


def _error_page(request, status: int, title: str, message: str):
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def bad_request(request, exception=None):
    return _error_page(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request, exception=None):
    return _error_page(
        request, 403, "Not for this account", "Your account does not have access to this page."
    )


def csrf_failure(request, reason=""):
    return _error_page(
        request,
        403,
        "This form has expired",
        "The page was open too long or was opened in another tab. Go back, reload the page "
        "and send the form again.",
    )


def page_not_found(request, exception=None):
    return _error_page(
        request,
        404,
        "Page not found",
        "There is nothing here. It may have moved, or never existed.",
    )


def server_error(request):
    # Rendered without the request's context: the navigation reads the session and user, and
    # whatever broke (often the database) must not break the error page too.
    return HttpResponseServerError(loader.get_template("500.html").render())
