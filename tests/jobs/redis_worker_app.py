"""The Celery application a real worker process of the Redis test runs:
`celery -A tests.jobs.redis_worker_app worker`. The app is the project's own (create_app and
services.jobs), on the test's database (WORKER_DATABASE_URL) and broker (CELERY_BROKER_URL);
only the push gateway is a recorder that appends each push as a JSON line to PUSH_LOG."""
import json
import os
import sys
from collections import namedtuple
from types import ModuleType

import services.gateways
from app import create_app
from app.config import TestingConfig

PushResult = namedtuple("PushResult", "ok invalid_token retry detail")


def _send_push(token, title, body, data):
    with open(os.environ["PUSH_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"token": token, "title": title, "body": body, "data": data,
                              "pid": os.getpid()}) + "\n")
    return PushResult(True, False, False, "recorded")


_push = ModuleType("services.gateways.push")
_push.send_push = _send_push
_push.PushResult = PushResult
sys.modules["services.gateways.push"] = _push
services.gateways.push = _push

flask_app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=os.environ["WORKER_DATABASE_URL"],
                       CELERY_BROKER_URL=os.environ["CELERY_BROKER_URL"])
celery = flask_app.extensions["celery"]
