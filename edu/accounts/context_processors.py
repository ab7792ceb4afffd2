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
    path = request.path
    nav = []
    for label, name in items:
        url = reverse(name)
        nav.append({"label": label, "url": url, "current": path.startswith(url)})
    return {"nav_items": nav}
