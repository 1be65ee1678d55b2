"""WSGI entry point: `app = create_app()` (gunicorn wsgi:app, flask --app wsgi)."""
import gc

from app import create_app

app = create_app()

celery = app.extensions["celery"]  # celery -A wsgi.celery worker | beat

# Everything built so far (the app, its declarations, SQLAlchemy's mappers and caches: about
# 200k objects) lives as long as the process: keep it out of the garbage collector's full
# collections, which otherwise walk it all (~100 ms) every few large answers (bench/RESULTS.md)
gc.freeze()
