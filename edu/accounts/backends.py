"""Signing in as Django's ModelBackend does, with the signed-in user read from the cache.

Every request of a signed-in learner loads their user row; on the case action's hot path that
is the only query besides the attempt's own. With `USER_CACHE_SECONDS` set (production with a
shared cache: Redis), the row is kept in the cache by id and dropped whenever the user is saved
or deleted (a password change, a new role, deactivation, even a new last-login time), so every
check Django makes on the user still sees what the database holds: the session's auth hash is
compared with the cached row's password hash, and an inactive user is still refused. A cache
private to one process (locmem) cannot be told of a save in another process, so there the
setting stays 0 and every request reads the row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save


def cache_key(user_id) -> str:
    return f"accounts:user:{user_id}"


class CachedUserBackend(ModelBackend):
    def get_user(self, user_id):
        seconds = getattr(settings, "USER_CACHE_SECONDS", 0)
        if not seconds:
            return super().get_user(user_id)
        key = cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(key, user, seconds)
        return user if self.user_can_authenticate(user) else None


def forget_user(sender, instance, **kwargs) -> None:
    cache.delete(cache_key(instance.pk))


def connect() -> None:
    user_model = get_user_model()
    post_save.connect(forget_user, sender=user_model, dispatch_uid="accounts-forget-user-save")
    post_delete.connect(forget_user, sender=user_model, dispatch_uid="accounts-forget-user-del")
