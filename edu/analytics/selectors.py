"""Read-only figures for the program admin's pages; aggregates, never loops of queries."""

from django.contrib.auth import get_user_model
from django.db.models import Count


def accounts_by_role() -> dict[str, int]:
    rows = get_user_model().objects.values("role").annotate(n=Count("id"))
    return {row["role"]: row["n"] for row in rows}
