"""A real Redis server (scripts/redis.sh) and a real Celery worker process deliver a
notification written by an order's checkout, through the push gateway's stand-in (the outbox
table, as `make run` does offline)."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kombu import Connection
from sqlalchemy import select

from models import DeviceToken, Notification, NotificationDelivery, OutboxMessage, db
from services import jobs
from services.orders.flow import OrderFlow
from tests.factories.accounts import make_user
from tests.factories.orders import make_stocked_cart

ROOT = Path(__file__).resolve().parents[2]
REDIS_SCRIPT = ROOT / "scripts" / "redis.sh"


@pytest.fixture(scope="module")
def redis_url():
    """TEST_REDIS_URL, or a throwaway server started (and stopped) by scripts/redis.sh."""
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        yield given
        return
    started = subprocess.run(["bash", str(REDIS_SCRIPT), "start"], capture_output=True,
                             text=True, timeout=60)
    assert started.returncode == 0, (
        "could not start redis-server (install it: apt-get install redis-server; `make test` "
        f"does): {started.stderr}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(REDIS_SCRIPT), "stop"], capture_output=True, timeout=60)


@pytest.fixture
def worker(redis_url, database_url, tmp_path):
    """A Celery worker process on that broker and the test's database."""
    env = {**os.environ, "CELERY_BROKER_URL": redis_url, "WORKER_DATABASE_URL": database_url,
           "APP_ENV": "testing", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.jobs.redis_worker_app", "worker",
         "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield process
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output[-4000:])


def wait_for(check, seconds=45):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    return check()


def test_a_worker_delivers_a_notification_through_redis(app, worker, redis_url):
    process = worker
    customer = make_user()
    db.session.add(DeviceToken(id_users=customer.id, device_token="redis-phone"))
    db.session.commit()
    order, _item, _row = make_stocked_cart(customer)
    OrderFlow(order, customer).checkout()  # writes the notification and its outbox row
    note_id = db.session.execute(select(Notification.id)).scalar_one()

    with Connection(redis_url) as connection:
        # what the after-commit hook sends, here onto the Redis broker; twice, as a duplicate
        # message would be: the row is sent once
        for _ in range(2):
            jobs.deliver_notification.apply_async((note_id,), connection=connection,
                                                  queue="colederma")

    def sent():
        db.session.rollback()  # a fresh look at what the worker committed
        status = db.session.execute(select(NotificationDelivery.status)).scalar_one()
        return status == "sent"

    assert wait_for(sent), f"not delivered; worker alive: {process.poll() is None}"
    time.sleep(1)  # give the duplicate message its turn
    db.session.rollback()
    pushes = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.channel == "push")).scalars().all()
    assert len(pushes) == 1
    assert pushes[0].recipient == "redis-phone"
    assert pushes[0].subject == f"Menunggu pembayaran: {order.order_code}"
    assert pushes[0].data["id_orders"] == str(order.id)
