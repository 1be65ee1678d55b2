"""The Celery application a real worker process of the Redis test runs:
`celery -A tests.jobs.redis_worker_app worker`. It is the project's own (create_app and
services.jobs) in the testing configuration — pushes go through the push gateway's offline
stand-in into the outbox table — on the test's database (WORKER_DATABASE_URL) and broker
(CELERY_BROKER_URL)."""
import os

from app import create_app
from app.config import TestingConfig

flask_app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=os.environ["WORKER_DATABASE_URL"],
                       CELERY_BROKER_URL=os.environ["CELERY_BROKER_URL"])
celery = flask_app.extensions["celery"]
