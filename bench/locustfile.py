"""Locust users for `make bench-load` (bench/load.py sets the environment):

    LOAD_TARGET=app|bare   the app (bearer token of LOAD_TOKEN) or bench/bare_app.py
    LOAD_SCENARIO=menu|mix menus/{id} of a random product, or the list mix: a random page
                           (1–20, length 10) of one of MIX's lists
    LOAD_PRODUCTS=300      how many products there are

No waiting between requests: each user sends its next request as soon as it has the
answer, so a few dozen users keep every worker thread busy."""
import os
import random

from locust import FastHttpUser, constant, task

TARGET = os.environ.get("LOAD_TARGET", "app")
SCENARIO = os.environ.get("LOAD_SCENARIO", "menu")
PRODUCTS = int(os.environ.get("LOAD_PRODUCTS") or 300)
MIX = ("menus", "users", "patients", "user_schedules", "brandstore_menus")


class Caller(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.headers = {"Authorization": f"Bearer {os.environ.get('LOAD_TOKEN', '')}"}

    @task
    def call(self):
        if SCENARIO == "menu":
            menu = random.randint(1, PRODUCTS)
            if TARGET == "app":
                self.client.get(f"/api/menus/{menu}", headers=self.headers, name="menus/{id}")
            else:
                self.client.get(f"/menus/{menu}", name="menus/{id}")
            return
        table = random.choice(MIX)
        page = random.randint(1, 20)
        if TARGET == "app":
            self.client.post(f"/api/{table}/explore?page={page}&length=10", json={},
                             headers=self.headers, name=f"{table}/explore")
        else:
            self.client.get(f"/explore/{table}?page={page}&length=10", name=f"{table}/explore")
