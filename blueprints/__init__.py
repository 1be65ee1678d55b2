"""HTML screens of the admin face, one blueprint per screen family."""


def register_blueprints(app):
    """Register the admin blueprints and the uploads route."""
    from . import account, crud, dashboard, uploads
    from .navigation import install as install_navigation

    app.register_blueprint(account.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(crud.bp)
    app.register_blueprint(uploads.bp)
    install_navigation(app)
    account.install_login(app)
