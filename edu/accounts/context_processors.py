"""The header's navigation, chosen by the signed-in user's role."""

from django.urls import reverse


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items = [
        ("Lessons", "lessons:index"),
        ("Cases", "cases:library"),
        ("Quizzes", "quizzes:index"),
    ]
    if user is not None and user.is_authenticated:
        items.append(("My progress", "quizzes:progress"))
        if user.is_instructor:
            items.append(("Cohorts", "cohorts:index"))
        if user.is_program_admin:
            items.append(("Analytics", "analytics:index"))
        if user.can_import_documents:
            items.append(("Import a document", "authoring:import"))
    path = request.path
    urls = [(label, reverse(name)) for label, name in items]
    # The longest matching prefix wins, so /quizzes/progress/ marks "My progress", not "Quizzes".
    current = max((url for _, url in urls if path.startswith(url)), key=len, default=None)
    return {
        "nav_items": [
            {"label": label, "url": url, "current": url == current} for label, url in urls
        ]
    }
