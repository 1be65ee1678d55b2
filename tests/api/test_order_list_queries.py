"""The order lists run the same number of statements for 2 orders as for 12 (no N+1): every
consultation line's doctor with its account and its consultation service, every product
line's product and pictures, come in a fixed number of statements."""
from models import db
from tests.conftest import count_queries
from tests.factories.orders import add_consultation, add_item, make_cart
from tests.factories.doctors import make_doctor
from tests.factories.treatments import make_service


def _orders(count):
    for _ in range(count):
        order = make_cart(order_type="C", cart_key=None, status="PAID", is_paid=True)
        add_consultation(order, make_doctor(id_services=make_service().id))
        add_item(order)
    db.session.expunge_all()


def _statements(client, headers, path, body):
    with count_queries() as statements:
        answer = client.post(path, json=body, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return len(statements), answer.get_json()


def test_order_lists_are_flat(client, owner_headers):
    client.get("/api/users/data", headers=owner_headers)  # the token's first use writes it
    _orders(2)
    few = [_statements(client, owner_headers, "/api/orders/explore?page=1&length=100", {}),
           _statements(client, owner_headers, "/api/orders/table",
                       {"draw": 1, "start": 0, "length": 100})]
    _orders(10)
    many = [_statements(client, owner_headers, "/api/orders/explore?page=1&length=100", {}),
            _statements(client, owner_headers, "/api/orders/table",
                        {"draw": 1, "start": 0, "length": 100})]
    assert few[0][1]["totaldata"] == 2 and many[0][1]["totaldata"] == 12
    doctors = [line["items"]["doctors"] for order in many[0][1]["data"]
               for line in order["details"] if "items" in line]
    assert len(doctors) == 12 and all(doctor["services_name"] for doctor in doctors)
    assert [count for count, _ in many] == [count for count, _ in few]


def test_lines_and_ratings_of_a_deleted_order_are_nobodys(client, auth, owner_headers):
    """The office lists the lines and ratings of every live order and none of a deleted one
    (read as "not among the deleted orders"); a customer only those of their own live
    orders."""
    from models import Rating, clinic_now
    from tests.conftest import make_user

    customer = make_user()
    mine = make_cart(customer, status="DONE", cart_key=None)
    gone = make_cart(customer, status="CANCEL", cart_key=None)
    other = make_cart(status="DONE", cart_key=None)
    lines = {order.id: add_item(order).id for order in (mine, gone, other)}
    ratings = {}
    for order in (mine, gone, other):
        rating = Rating(id_orders=order.id, id_users=order.id_member, ratings=5)
        db.session.add(rating)
        db.session.flush()
        ratings[order.id] = rating.id
    gone.deleted_at = clinic_now()
    db.session.commit()

    table = {"draw": 1, "start": 0, "length": 10}
    office = client.post("/api/order_items/table", json=table, headers=owner_headers).get_json()
    assert {row[0] for row in office["data"]} == {lines[mine.id], lines[other.id]}
    assert office["recordsTotal"] == 2
    office = client.post("/api/ratings/table", json=table, headers=owner_headers).get_json()
    assert {row[0] for row in office["data"]} == {ratings[mine.id], ratings[other.id]}
    headers = auth.headers(customer)
    own = client.post("/api/order_items/table", json=table, headers=headers).get_json()
    assert {row[0] for row in own["data"]} == {lines[mine.id]}
    explored = client.post("/api/ratings/explore?page=1&length=10", json={},
                           headers=headers).get_json()
    assert [row["id"] for row in explored["data"]] == [ratings[mine.id]]


def _sqlite_plan(statement, parameters) -> str:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        return " | ".join(str(row[3]) for row in cursor.fetchall())
    finally:
        raw.close()


def test_the_admin_list_of_one_type_reads_the_type_listing_index(monkeypatch):
    """The page's ids and the count of one order type come from ix_orders_type_listing alone;
    the unfiltered list keeps ix_orders_listing (MariaDB's plans at bench size: migration
    6b1d0e93c4a7 and bench/RESULTS.md)."""
    import pytest
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from services.orders import board

    if db.engine.dialect.name != "sqlite":
        pytest.skip("MariaDB's choice on a few rows says nothing of its choice on many")
    _orders(3)
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        typed = board.search_orders(board.Filters(order_type="C"))
        every = board.search_orders(board.Filters())
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert typed.total == 3 and every.total == 3
    plans = [_sqlite_plan(statement, parameters) for statement, parameters in seen
             if statement.lstrip().upper().startswith("SELECT")]
    # the page's ids are picked before its rows are read (SCAN page_ids): that part is judged
    inner = [plan.split("SCAN page_ids")[0] for plan in plans]
    typed_plans, every_plans = inner[:2], inner[2:4]
    assert all("COVERING INDEX ix_orders_type_listing" in plan for plan in typed_plans), plans
    assert all("TEMP B-TREE" not in plan for plan in typed_plans), plans
    assert "ix_orders_listing" in every_plans[1] and "TEMP B-TREE" not in every_plans[1], plans
