"""The "Import a document" page: upload or paste, preview, publish. Thin: the work is in
`services`; every step is a plain form post, and with htmx the preview swaps in alone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from edu.access import Rule, access
from edu.lessons.importer import ImportFailed
from edu.lessons.importer.pipeline import KIND_LABELS, layout_label
from edu.lessons.rendering import render_lesson

from .forms import PublishForm, UploadForm
from .services import (
    MOST_UPLOAD_BYTES,
    PublishRefused,
    preview_document,
    publish_document,
    suggested_topic,
)
from .uploads import SizeLimitedUpload

PASTE_TOO_BIG = (
    "The pasted text is too long to send in a form (at most 500,000 characters); nothing was "
    "read. Upload the document as a file instead."
)


def _authors_only(request) -> None:
    # Instructors reach the page by rule; only those marked as authors (and admins) may use it.
    if not request.user.can_import_documents:
        raise PermissionDenied("Only program admins and instructors marked as authors may import.")


@access(Rule.INSTRUCTOR)
@csrf_exempt  # only so the size limit is in place before the body is read; checked below
def import_document(request):
    _authors_only(request)
    limited = SizeLimitedUpload(request, limit=MOST_UPLOAD_BYTES)
    request.upload_handlers.insert(0, limited)
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 - parsed here, under the limits, to answer in words
        except RequestDataTooBig:
            # Pasted text past DATA_UPLOAD_MAX_MEMORY_SIZE: the page again, nothing read or kept.
            context = {"form": UploadForm(), "error": PASTE_TOO_BIG}
            if request.htmx:  # htmx swaps in only a success, as for a file past the limit
                return render(request, "authoring/import.html#import-result", context)
            return render(request, "authoring/import.html", context, status=413)
    return _import_document(request, limited)


@csrf_protect
def _import_document(request, limited: SizeLimitedUpload):
    context: dict = {"form": UploadForm()}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if limited.too_big:
            context["error"] = "The file is larger than 10 MB; nothing was read."
        elif form.is_valid():
            upload = form.cleaned_data["document"]
            if upload:
                data, name = upload.read(), upload.name
                topic = form.cleaned_data["topic"] or suggested_topic(name)
            else:
                # No name: Markdown if it has '#' headings, else a web-page copy.
                text = form.cleaned_data["text"]
                data, name = text.encode("utf-8"), "pasted text"
                topic = form.cleaned_data["topic"] or suggested_topic(_first_line(text))
            try:
                preview = preview_document(data=data, name=name, topic=topic, user=request.user)
            except ImportFailed as failure:
                context["error"] = str(failure)
            else:
                context.update(_preview_context(preview))
        if request.htmx:
            return render(request, "authoring/import.html#import-result", context)
    return render(request, "authoring/import.html", context)


@require_POST
@access(Rule.INSTRUCTOR)
def publish(request):
    _authors_only(request)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a topic: lowercase words joined by hyphens.")
        return redirect("authoring:import")
    try:
        plan, outcomes, _ = publish_document(
            token=form.cleaned_data["token"], topic=form.cleaned_data["topic"], user=request.user
        )
    except PublishRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("authoring:import")
    written = outcomes.count("written")
    if written:
        messages.success(
            request,
            f"Published {len(plan.lessons)} lesson(s) in '{plan.topic}': {written} file(s) "
            "written. Draft questions wait for approval in the admin.",
        )
    else:
        messages.info(request, "Nothing changed: this document is already published as it is.")
    return redirect("lessons:topic", topic_slug=plan.topic)


def _first_line(text: str) -> str:
    return next((line.strip("# \t") for line in text.splitlines() if line.strip()), "")


def _preview_context(preview) -> dict:
    plan = preview.plan
    lessons = [
        {"title": lesson.title, "html": render_lesson(lesson.text.split("+++", 2)[2])[0]}
        for lesson in plan.lessons
    ]
    dropped = [
        {"where": f"line {r.line}" if r.line else "", "why": r.why, "text": r.excerpt}
        for r in plan.document.furniture
    ]
    return {
        "plan": plan,
        "layout": layout_label(plan.document.layout),
        "kind": KIND_LABELS.get(plan.kind, plan.kind),
        "lessons": lessons,
        "dropped": dropped,
        "notices": [str(notice).split(": ", 1)[-1] for notice in plan.notices],
        "publish_form": PublishForm(initial={"token": preview.token, "topic": plan.topic}),
    }
