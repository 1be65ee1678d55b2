"""HTML screens of the admin face, one blueprint per screen family."""


def register_blueprints(app):
    """Register the admin blueprints and the uploads route."""
    from . import (account, appointments, consultations, crud, dashboard, doctors, gallery,
                   orders, patients, payments, recovery, reports, roles, stores, today,
                   uploads,
                   users)

    app.register_blueprint(account.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(today.bp)
    app.register_blueprint(users.bp)
    for module in (stores, doctors, patients, appointments, orders, consultations, gallery,
                   roles, reports):
        app.register_blueprint(module.bp)
    app.register_blueprint(crud.bp)
    app.register_blueprint(uploads.bp)
    app.register_blueprint(payments.bp)
    app.register_blueprint(recovery.bp)
    account.install_login(app)

    from flask import redirect, url_for

    app.add_url_rule("/", "home", lambda: redirect(url_for("dashboard.index")))
    app.add_url_rule("/favicon.ico", "favicon",
                     lambda: redirect(url_for("static", filename="favicon.svg"), 301))
