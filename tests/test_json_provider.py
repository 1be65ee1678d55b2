"""The orjson JSON provider writes what Flask's own provider wrote (the same values, read back
by the standard library), only faster."""
import dataclasses
import json
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

import pytest
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from app.json_provider import OrjsonProvider


@dataclasses.dataclass
class Pair:
    left: int
    right: str


VALUES = [
    {"a": Decimal("1.50"), "b": date(2026, 1, 2), "c": datetime(2026, 1, 2, 3, 4, 5)},
    {"nested": [{"x": [1, 2.5, None, True, False]}, ("tuple", 1)]},
    {"text": "é ✓ \u2028 \U0001f600 \"quoted\" <script>"},
    {1: "integer key", "uuid": UUID(int=7)},
    Pair(1, "two"),
    Markup("<b>bold</b>"),
    2 ** 70,  # past 64 bits: orjson refuses, the provider falls back to the standard library
    {"deep": [[[[[[[[[[{"k": "v"}]]]]]]]]]]},
]


@pytest.mark.parametrize("value", VALUES)
def test_same_values_as_flask(app, value):
    flask = DefaultJSONProvider(app)
    flask.sort_keys = False  # as the app sets it (create_app)
    flask_text = flask.dumps(value)
    ours = OrjsonProvider(app)
    ours.sort_keys = False
    assert json.loads(ours.dumps(value)) == json.loads(flask_text)
    with app.app_context():
        response = ours.response(value)
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data()) == json.loads(flask_text)


def test_unknown_types_are_still_a_type_error(app):
    with pytest.raises(TypeError):
        OrjsonProvider(app).dumps({"at": time(10, 30)})
    with pytest.raises(TypeError):
        OrjsonProvider(app).dumps({"thing": object()})


def test_sort_keys_and_indent_are_honoured(app):
    ours = OrjsonProvider(app)
    assert ours.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a":2,"b":1}'
    assert ours.dumps({"b": 1, "a": 2}, sort_keys=False) == '{"b":1,"a":2}'
    assert ours.dumps({"a": [1]}, indent=2) == '{\n  "a": [\n    1\n  ]\n}'


def test_the_app_answers_with_it(app, client):
    assert isinstance(app.json, OrjsonProvider)
    answer = client.get("/api/menus/999999")
    assert answer.status_code == 404 and answer.is_json and answer.get_json()


def test_templates_tojson_stays_html_safe(app):
    with app.test_request_context():
        rendered = app.jinja_env.from_string("{{ value|tojson }}").render(
            value={"html": "</script><b>&'"})
    assert "</script>" not in rendered and "<b>" not in rendered
    assert json.loads(rendered) == {"html": "</script><b>&'"}


def test_the_collector_is_paused_inside_the_block_and_runs_again_after():
    import gc
    import threading

    from app.json_provider import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested (another answer of the same request)
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    # two threads' blocks overlap: the collector stays off until the last one ends
    first_in, first_may_leave = threading.Event(), threading.Event()

    def first():
        with collector_paused():
            first_in.set()
            first_may_leave.wait(5)

    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(5)
    with collector_paused():
        first_may_leave.set()
        worker.join(5)
        assert not gc.isenabled()  # the first block ended, this one has not
    assert gc.isenabled()

    # an error inside still lets the collector run again
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    import gc

    from app.json_provider import collector_paused

    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
