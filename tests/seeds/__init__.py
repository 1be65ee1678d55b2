"""Seeds for the conformance walk: per resource, what an endpoint needs before it is called.

Each domain module registers SEEDS[resource] = function(kind, path, caller) -> Seed, may add
MISSING_EXAMPLES (bodies for endpoints the document shows no request for) and ID_KEYS
(example fields whose documented ids are replaced by real ones)."""
SEEDS = {}
MISSING_EXAMPLES = {}


ID_KEYS = {"id_users", "iduser", "id_departments"}  # modules add theirs


def substitute_ids(value, ids):
    """Replace the documented example ids by real ones (keeping string or number form)."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key in ids:
                result[key] = _real_ids(item, ids[key])
            else:
                result[key] = substitute_ids(item, ids)
        return result
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            # a list of rows (bulk create): row i takes the i-th id when there is one per row
            return [substitute_ids(item, {key: (real[index:index + 1] if len(real) == len(value)
                                                else real) for key, real in ids.items()})
                    for index, item in enumerate(value)]
        return [substitute_ids(item, ids) for item in value]
    return value


def _real_ids(documented, real):
    real = list(real)
    if isinstance(documented, list):
        assert len(real) >= len(documented), "seed has too few objects for the example"
        return [_same_form(item, number) for item, number in zip(documented, real)]
    return _same_form(documented, real[0])


def _same_form(documented, number):
    return str(number) if isinstance(documented, str) else number


class Seed:
    """What one endpoint needs: the `{?}` object, ids to put in the example, the body."""

    def __init__(self, target=None, ids=None, path_values=None):
        self.target = target
        self.ids = ids or {}
        # what fills the path's {?} in order, where it is not the target's id (an e-mail
        # address and a recovery hash)
        self.path_values = path_values



from . import (accounts, appointments, catalog, doctors, notifications,  # noqa: E402,F401
               orders, patients, reports, stores, treatments)  # they register
from . import shipping  # noqa: E402,F401  (it wraps the orders and deliveries seeds)
from . import payments  # noqa: E402,F401  (last: it wraps the orders seed for invoices)
from . import threads  # noqa: E402,F401  (it wraps the menus seed for prescription requests)
