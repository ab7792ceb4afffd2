"""Site-wide pages: the home page and the friendly error pages."""

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from edu.access import Rule, access, page_to_return_to
from edu.home import home_page


@access(Rule.PUBLIC)
def home(request):
    context = {}
    if request.user.is_authenticated:
        page = home_page(request.user)
        context = {"page": page, "review_due": page.review_due}
    return render(request, "home.html", context)


def _error_page(request, status: int, title: str, message: str, **extra):
    context = {"title": title, "message": message, "status": status, **extra}
    back = page_to_return_to(request)
    if back and back != request.get_full_path():
        context["back"] = back
    return render(request, "error.html", context, status=status)


TOO_BIG_MESSAGE = (
    "That was more than this site accepts in one form, so nothing was saved. Go back and send "
    "less; a long document can be uploaded as a file on the import page."
)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Past the settings' limits Django refuses the body before any view reads it.
        if getattr(request, "htmx", False):  # htmx would swap nothing in on a 413
            messages.error(request, TOO_BIG_MESSAGE)
            return HttpResponseClientRedirect(page_to_return_to(request) or reverse("home"))
        return _error_page(request, 413, "Too much sent at once", TOO_BIG_MESSAGE)
    return _error_page(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request, exception=None):
    return _error_page(
        request, 403, "Not for this account", "Your account does not have access to this page."
    )


CSRF_HTMX_MESSAGE = (
    "That click was not saved because the page had expired (it was open a long time, or you "
    "signed out in another tab). The page has been reloaded: sign in if asked, then try again."
)


def csrf_failure(request, reason=""):
    if getattr(request, "htmx", False):
        # htmx swaps nothing on a 403, so the click would seem to do nothing: reload the page
        # the learner is on (with a fresh token, or the sign-in page) and say why.
        messages.error(request, CSRF_HTMX_MESSAGE)
        return HttpResponseClientRedirect(page_to_return_to(request) or reverse("home"))
    return _error_page(
        request,
        403,
        "This form has expired",
        "The page was open too long or was opened in another tab. Go back, reload the page "
        "and send the form again.",
    )


def method_not_allowed(request):
    """A GET (or other method) on a URL that only a button may send: a case's start, sign-out,
    an answer. Served by edu.errors in place of Django's empty 405."""
    return _error_page(
        request,
        405,
        "This address is for a button",
        "This address is where a button on the site sends its form (starting a case, "
        "answering, signing out), so it cannot be opened as a page. Go back to the page you "
        "came from and use the button there.",
        # Someone who typed the sign-out address wants to sign out: offer the button here.
        offer_sign_out=request.path == reverse("accounts:sign-out")
        and request.user.is_authenticated,
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
