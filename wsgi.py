"""WSGI entry point: `app = create_app()` (gunicorn wsgi:app, flask --app wsgi)."""
from app import create_app

app = create_app()

celery = app.extensions["celery"]  # celery -A wsgi.celery worker | beat
