"""Small factories `make_<entity>(**kw)`, one module per domain.

Each module registers, per resource name, FACTORIES[name]() -> a row a manager may delete,
and VALID_CREATE[name]() -> a valid create body (creating the rows it refers to). Where only
some callers may write a resource whatever their roles (a medical record: the doctor treating
the patient), WRITER[name](user, row or body) makes a manager such a caller. The generic
engine tests and the conformance walk run over every declared resource with these."""
FACTORIES = {}
VALID_CREATE = {}
WRITER = {}


def make_writer(name, user, row_or_body):
    """Make `user` one who may write this row (or create this body) of resource `name`."""
    if name in WRITER:
        WRITER[name](user, row_or_body)

from . import (accounts, appointments, catalog, doctors, orders, patients,  # noqa: E402,F401
               stores, threads, treatments)  # they register
