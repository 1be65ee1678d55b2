"""The resource engine: declarations (resource.py), access and reading (core.py), writes
(writing.py) and paging (paging.py)."""
from . import core, paging, writing  # noqa: F401
from .resource import REGISTRY, Resource, get_resource, register  # noqa: F401


def brief(name: str, obj, actor=None) -> dict | None:
    """The brief shape of an object of the resource `name`, as nested in other answers."""
    return REGISTRY[name].brief(obj, actor)
