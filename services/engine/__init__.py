"""The resource engine: declarations (resource.py) and the operations on them (core.py)."""
from . import core  # noqa: F401
from .resource import REGISTRY, Resource, get_resource, register  # noqa: F401
