"""`make bench`: the site under gunicorn and wrk, each page beside a bare Django view."""
