"""The features of the clinic; importing their declarations registers every API resource."""


def load_declarations():
    """Register the declarations of every feature (called once by the application factory)."""
    from services.accounts import declarations as accounts  # noqa: F401
    from services.appointments import declarations as appointments  # noqa: F401
    from services.catalog import declarations as catalog  # noqa: F401
    from services.content import declarations as content  # noqa: F401
    from services.doctors import declarations as doctors  # noqa: F401
    from services.notifications import declarations as notifications  # noqa: F401
    from services.notifications import receivers  # noqa: F401  (connects the event receivers)
    from services.messages import declarations as messages  # noqa: F401
    from services.orders import declarations as orders  # noqa: F401
    from services.orders import points, ratings  # noqa: F401
    from services.patients import declarations as patients  # noqa: F401
    from services.stores import declarations as stores  # noqa: F401
    from services.threads import declarations as threads  # noqa: F401
    from services.treatments import declarations as treatments  # noqa: F401
