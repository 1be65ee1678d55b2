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
