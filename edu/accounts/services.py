"""Writes on accounts, shared by the sign-up view and the demo seeding command."""

from .models import Role, User


def ensure_account(*, username: str, password: str, role: Role, **fields) -> tuple[User, bool]:
    """Create the account if missing; never reset an existing password. Returns (user, new)."""
    user, created = User.objects.get_or_create(username=username, defaults={"role": role, **fields})
    if created:
        user.set_password(password)
        user.full_clean()
        user.save()
    return user, created
