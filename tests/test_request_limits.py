"""Every form and upload is bounded in size, and past a bound the person is told so in words.

Three layers, each tested: the request (DATA_UPLOAD_MAX_MEMORY_SIZE, the number of fields and
files, set in edu/settings/base.py and refused with the site's 413 page on every POST URL of the
URL conf); each text field of every form of the site (a maximum length, checked by the form
before anything uses the value, passwords included, which would otherwise be hashed at any
length); and the import page's upload (10 MB) and pasted text, refused on the page itself.
"""

from __future__ import annotations

import inspect
from importlib import import_module

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator
from django.test import Client
from django.urls import get_resolver

from edu.access import walk_patterns
from edu.authoring.forms import MOST_PASTED_CHARS
from edu.authoring.services import MOST_UPLOAD_BYTES
from edu.authoring.views import PASTE_TOO_BIG
from edu.settings import base
from edu.views import TOO_BIG_MESSAGE
from tests.factories import CohortFactory, InstructorFactory, LearnerFactory, ProgramAdminFactory
from tests.test_csrf_and_session_fixation import SITE_POST_ENDPOINTS

IMPORT_URL = "/authoring/import/"

# The request ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "FILE_UPLOAD_MAX_MEMORY_SIZE",
        "DATA_UPLOAD_MAX_NUMBER_FIELDS",
        "DATA_UPLOAD_MAX_NUMBER_FILES",
    ],
)
def test_the_request_limits_are_set_by_the_project_not_left_to_djangos_defaults(name):
    assert name in vars(base), f"{name} is not set in edu/settings/base.py"
    assert getattr(settings, name) == getattr(base, name) and getattr(base, name) > 0


def test_the_largest_form_fits_the_request_limit():
    # Pasted text at its longest, at 4 bytes a character, still reaches the form's own message.
    assert MOST_PASTED_CHARS * 4 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.fixture
def admin_browser(db):
    """A program admin's browser that checks CSRF, so the body is read at the door."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ProgramAdminFactory(is_author=True))
    client.get("/")  # its CSRF cookie, so the check goes on to read the body
    return client


def assert_refused_in_words(response, message=TOO_BIG_MESSAGE):
    html = response.content.decode()
    assert response.status_code == 413, response.status_code
    assert message in html and "Traceback" not in html


@pytest.mark.parametrize(
    "name,path", SITE_POST_ENDPOINTS, ids=[name for name, _ in SITE_POST_ENDPOINTS]
)
def test_an_oversize_post_to_any_url_is_refused_with_the_sites_page(admin_browser, name, path):
    body = {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    message = PASTE_TOO_BIG if path == IMPORT_URL else TOO_BIG_MESSAGE
    assert_refused_in_words(admin_browser.post(path, body), message)


def test_a_post_with_too_many_fields_is_refused_with_the_sites_page(admin_browser):
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = admin_browser.post("/cohorts/new/", fields)
    assert_refused_in_words(response)


def test_an_oversize_htmx_post_reloads_the_page_with_the_message(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(LearnerFactory())
    client.get("/")
    body = {"option": "1" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = client.post(
        "/quizzes/attempts/1/1/answer/",
        body,
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/quizzes/",
    )
    assert response["HX-Redirect"] == "/quizzes/"
    assert TOO_BIG_MESSAGE in client.get("/quizzes/").content.decode()


# Every text field of every form --------------------------------------------------------------


def project_form_classes() -> set[type[forms.BaseForm]]:
    """The forms the site's views use: every form class in the apps' forms modules, and the
    forms Django's class-based views in the URL conf are given (sign-in, password pages)."""
    found = set()
    for app in ("edu.accounts", "edu.authoring", "edu.cohorts", "edu.quizzes", "cases"):
        module = import_module(f"{app}.forms")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.add(value)
    for _route, namespaces, pattern in walk_patterns(get_resolver()):
        view_class = getattr(pattern.callback, "view_class", None)
        if "admin" in namespaces or view_class is None:
            continue
        # A LoginView uses its authentication_form when it has one, else its form_class.
        form = getattr(view_class, "authentication_form", None) or getattr(
            view_class, "form_class", None
        )
        if form is not None:
            found.add(form)
    return found


def a_form(form_class, data=None):
    """An instance of the form as its view makes one (some need a user or a cohort)."""
    parameters = {
        name
        for klass in form_class.__mro__
        if "__init__" in vars(klass)
        for name in inspect.signature(vars(klass)["__init__"]).parameters
    }
    if "cohort" in parameters:
        return form_class(data, cohort=CohortFactory(instructors=[InstructorFactory()]))
    if "user" in parameters:
        return form_class(LearnerFactory(), data)
    return form_class(data=data)


FORMS = sorted(project_form_classes(), key=lambda f: f.__name__)


def test_the_forms_found_include_the_ones_people_type_into():
    names = {form.__name__ for form in FORMS}
    assert {"SignInForm", "SignUpForm", "BoundedPasswordChangeForm", "BoundedSetPasswordForm"} <= (
        names
    )
    assert {"UploadForm", "AddLearnersForm", "CohortForm", "ActForm"} <= names
    assert "AuthenticationForm" not in names, "sign-in uses Django's unbounded form again"


def text_fields(form) -> list[tuple[str, forms.CharField]]:
    return [(n, f) for n, f in form.fields.items() if isinstance(f, forms.CharField)]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_every_text_field_has_a_maximum_length(form_class):
    form = a_form(form_class)
    for name, field in text_fields(form):
        assert field.max_length, f"{form_class.__name__}.{name} takes text of any length"
        assert any(isinstance(v, MaxLengthValidator) for v in field.validators), name


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_every_text_field_refuses_one_character_too_many(form_class):
    fields = text_fields(a_form(form_class))
    data = {name: "a" * (field.max_length + 1) for name, field in fields}
    form = a_form(form_class, data)
    form.is_valid()
    for name, _field in fields:
        assert name in form.errors, f"{form_class.__name__}.{name} took an oversize value"


@pytest.mark.django_db
def test_an_overlong_password_is_refused_before_it_is_hashed(client, monkeypatch):
    from django.contrib.auth import hashers

    learner = LearnerFactory()
    calls = []
    real_check = hashers.check_password
    monkeypatch.setattr(
        hashers, "check_password", lambda *a, **k: calls.append(1) or real_check(*a, **k)
    )
    response = client.post(
        "/accounts/sign-in/", {"username": learner.username, "password": "p" * 1_000_000}
    )
    assert response.status_code == 200 and "at most 128 characters" in response.content.decode()
    assert calls == []


# The import page's upload and paste ----------------------------------------------------------


@pytest.fixture
def content_dir(tmp_path, settings):
    settings.IMPORT_STAGING_DIR = tmp_path / "staging"
    return tmp_path


def test_an_oversize_upload_is_refused_on_the_page_and_nothing_is_staged(
    admin_browser, content_dir
):
    token = admin_browser.cookies["csrftoken"].value
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (MOST_UPLOAD_BYTES + 1))
    # The token comes first, as in the page's form: the upload is cut off where it passes 10 MB.
    response = admin_browser.post(IMPORT_URL, {"csrfmiddlewaretoken": token, "document": big})
    html = response.content.decode()
    assert response.status_code == 200 and "larger than 10 MB; nothing was read" in html
    assert not (content_dir / "staging").exists() or not any((content_dir / "staging").iterdir())


def test_pasted_text_past_the_request_limit_is_refused_on_the_page(admin_browser):
    response = admin_browser.post(
        IMPORT_URL, {"text": "é" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2 + 1)}
    )
    assert_refused_in_words(response, PASTE_TOO_BIG)
    assert 'name="document"' in response.content.decode()  # the form, to try again


def test_pasted_text_past_the_forms_limit_gets_the_forms_message(admin_browser, content_dir):
    token = admin_browser.cookies["csrftoken"].value
    text = "# Title\n\n" + "a" * MOST_PASTED_CHARS
    response = admin_browser.post(IMPORT_URL, {"text": text, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "longer than 500,000 characters" in response.content.decode()


def test_two_files_at_once_are_refused_in_words(admin_browser):
    files = [SimpleUploadedFile(f"{n}.txt", b"Text") for n in "ab"]
    response = admin_browser.post(IMPORT_URL, {"document": files})
    assert response.status_code == 413 and "Traceback" not in response.content.decode()
