"""Small factories `make_<entity>(**kw)`, one module per domain.

Each module registers, per resource name, FACTORIES[name]() -> a row a manager may delete,
and VALID_CREATE[name]() -> a valid create body (creating the rows it refers to). The generic
engine tests and the conformance walk run over every declared resource with these."""
FACTORIES = {}
VALID_CREATE = {}

from . import (accounts, appointments, catalog, doctors, patients, stores,  # noqa: E402,F401
               treatments)  # they register
