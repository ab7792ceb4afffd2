"""Development: DEBUG on, local hosts, the SQLite default unless DATABASE_URL is set."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
