"""Development: DEBUG on, local hosts, the SQLite default unless DATABASE_URL is set.

E-mail (password reset links) is printed to the console instead of being sent.
"""

import os

from .base import *  # noqa: F403

DEBUG = True
# Local addresses always; more (a LAN address when serving with HOST=0.0.0.0:8000) from the
# environment, comma separated, as in production.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()
]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
