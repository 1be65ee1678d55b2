"""Benchmark of the engine's list endpoints (explore, search, table) on a filled database.

Run: `make bench` (or .venv/bin/python bench/bench_lists.py [rows]). Prints the median time
and the SQL statements per request; nothing here is asserted, it is for comparing changes."""
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from app import create_app  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from models import Department, Role, User, UserDepartment, db  # noqa: E402
from services.accounts.operations import hash_password  # noqa: E402


def main(rows: int = 3000, repeats: int = 15):
    """Fill `rows` users with roles and departments, then time the list endpoints."""
    folder = tempfile.mkdtemp(prefix="colederma-bench-")
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.db",
                     UPLOAD_DIR=folder, ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024)
    with app.app_context():
        upgrade()
        password = hash_password("bench-password")
        departments = [Department(department_name=f"Dept {n}", department_codes=f"D{n}")
                       for n in range(10)]
        db.session.add_all(departments)
        db.session.flush()
        owner = User(username="owner", users_fullname="Owner", password_hash=password)
        owner.roles = [Role(rolecodes="OWNER")]
        db.session.add(owner)
        for number in range(rows):
            user = User(username=f"user{number}", users_fullname=f"Pengguna {number}",
                        users_email=f"user{number}@example.com", password_hash=password)
            user.roles = [Role(rolecodes="CUSTOMER")]
            user.departments = [UserDepartment(id_departments=departments[number % 10].id)]
            db.session.add(user)
        db.session.commit()
    client = app.test_client()
    token = client.post("/api/users/login", json={"username": "owner",
                                                  "password": "bench-password"}).get_json()["bearer"]
    headers = {"Authorization": f"Bearer {token}"}
    cases = {
        "users/explore length=100": lambda: client.post(
            "/api/users/explore?page=3&length=100", headers=headers, json={}),
        "users/search role filter": lambda: client.post(
            "/api/users/search", headers=headers, json={"role_codes": "CUSTOMER", "limit": 100}),
        "users/table search+order": lambda: client.post("/api/users/table", headers=headers, data={
            "draw": "1", "start": "200", "length": "100", "search[value]": "pengguna 1",
            "order[0][column]": "2", "order[0][dir]": "desc"}),
    }
    print(f"{rows} users, {repeats} runs each")
    for name, call in cases.items():
        timings, statements = [], []

        def count(*_args):
            statements.append(1)

        for _ in range(repeats):
            statements.clear()
            event.listen(Engine, "before_cursor_execute", count)
            start = time.perf_counter()
            response = call()
            timings.append((time.perf_counter() - start) * 1000)
            event.remove(Engine, "before_cursor_execute", count)
            assert response.status_code == 200, response.get_data(as_text=True)
        print(f"  {name:28s} median {statistics.median(timings):7.1f} ms   "
              f"{len(statements)} SQL statements")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
