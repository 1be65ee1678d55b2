"""Property-based fuzzing of the whole API over its own OpenAPI document (Schemathesis): as
an owner and as a customer, every operation gets generated requests of any shape the
document allows and some it does not; none may answer a 5xx, and every answer must match
the document (a status it lists, JSON of the declared shape). The number of examples is
bounded (FUZZ_EXAMPLES) and the generation derandomized, so `make test` stays within its
time and a failure reproduces."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from ..conftest import PASSWORD, make_user

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


from app import create_app  # noqa: E402
from app.config import TestingConfig  # noqa: E402

# The document is read once from an app of its own (no data needed to describe the API);
# the requests go to the app under test (see `callers`).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", create_app(
    TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://"))


@pytest.fixture
def callers(client):
    """Bearer headers of an owner and of a customer (fresh for each operation)."""
    headers = []
    for username, roles in (("fuzzowner", ("OWNER", "ADMIN", "USERS")),
                            ("fuzzcustomer", ("CUSTOMER",))):
        user = make_user(roles=roles, username=username)
        login = client.post("/api/users/login", json={"username": user.username,
                                                      "password": PASSWORD, "app": "mobile"})
        headers.append({"Authorization": f"Bearer {login.get_json()['bearer']}"})
    return headers


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error_or_an_undocumented_answer(case, app, callers):
    for headers in callers:  # the generated requests go to the app under test
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)
