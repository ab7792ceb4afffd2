"""WSGI entry point for gunicorn: `gunicorn edu.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edu.settings.prod")
application = get_wsgi_application()
