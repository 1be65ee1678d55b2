"""API actions of categories, products and promotions beyond CRUD: none so far — every
documented endpoint is generated from the declarations (the public and customers reach only
current promotions through `Promotions.visible_rows`). `menus/prescriptions/requests`
belongs to the consultations feature."""
from . import bp  # noqa: F401
