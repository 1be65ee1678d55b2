"""Application factory: extensions, blueprints, CLI, error handlers and security headers."""
from pathlib import Path

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import config_for
from .database import configure_engine, prepare_connections
from .json_provider import OrjsonProvider
from .extensions import cache, csrf, db, htmx, limiter, login_manager, migrate

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'nonce-{nonce}'; "
       "script-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
       "base-uri 'self'; form-action 'self'; object-src 'none'")


# MariaDB client errors of a server that is gone or cannot be reached: can't connect (local
# socket, TCP), server has gone away, lost connection during a query
UNREACHABLE_CODES = frozenset({2002, 2003, 2006, 2013})


def create_app(config=None, **overrides):
    """Build the application. `config` is a config class or APP_ENV name."""
    app = Flask(__name__, instance_relative_config=False)
    app.json = OrjsonProvider(app)
    config_class = config if isinstance(config, type) else config_for(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    app.json.sort_keys = False
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set outside development (see README).")
    if app.config.get("TRUST_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    configure_engine(app)
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    htmx.init_app(app)
    cache.init_app(app)
    prepare_connections(app)

    from services.features import load_declarations

    load_declarations()
    from api import bp as api_bp
    from blueprints import register_blueprints

    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
    register_blueprints(app)

    from .templating import register_template_helpers

    register_template_helpers(app)

    from services import jobs

    jobs.init_app(app)

    from .cli import register_cli

    register_cli(app)
    _error_handlers(app)
    _security_headers(app)
    return app


def wants_json() -> bool:
    """True for the JSON face (/api)."""
    return request.path.startswith("/api")


def error_body(status, code, message, fields=None):
    """The API error envelope."""
    return jsonify({"status": "error", "exception": {
        "error_code": code, "message": message, "fields": fields or {}}}), status


def _error_handlers(app):
    from flask import render_template

    from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

    from services.errors import DomainError

    messages = {400: "Permintaan tidak valid.", 401: "Silakan masuk terlebih dahulu.",
                403: "Anda tidak memiliki akses.", 404: "Halaman atau data tidak ditemukan.",
                405: "Metode tidak diizinkan.", 413: "Permintaan terlalu besar.",
                429: "Terlalu banyak percobaan. Coba lagi nanti.",
                500: "Terjadi kesalahan pada server.",
                503: "Layanan sedang tidak tersedia sebentar. Coba lagi dalam beberapa detik."}

    @app.errorhandler(DomainError)
    def _domain(error):
        if wants_json():
            return error_body(error.status, error.error_code, error.message, error.fields)
        if error.status == 401:
            return _to_login()
        return render_template("errors/error.html", status=error.status,
                               message=error.message), error.status

    def _to_login():
        from flask import redirect, url_for

        target = url_for("account.login", next=request.path)
        if request.headers.get("HX-Request"):
            return "", 204, {"HX-Redirect": target}
        return redirect(target)

    def _refused(status, code, message):
        db.session.rollback()
        if wants_json():
            return error_body(status, code, message)
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(IntegrityError)
    def _duplicate(error):
        """A constraint the database caught (a duplicate, two creates racing): 409."""
        app.logger.info("constraint refused a change: %s", error.orig)
        return _refused(409, "conflict", "Data bertentangan dengan data yang sudah ada.")

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def _out_of_range(error):
        """A number or text beyond what a column holds: 422."""
        app.logger.info("value out of range: %s", error)
        return _refused(422, "invalid_fields", "Nilai di luar jangkauan yang diizinkan.")

    @app.errorhandler(HTTPException)
    def _http(error):
        status = error.code or 500
        message = messages.get(status, error.description)
        if status == 429 and getattr(error, "description", None):
            message = f"{messages[429]} ({error.description})"
        if status == 400 and "CSRF" in (error.description or ""):
            message = "Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."
        if wants_json():
            return error_body(status, error.name.lower().replace(" ", "_"), message)
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(Exception)
    def _unexpected(error):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
            raise error
        if wants_json():
            return error_body(500, "server_error", messages[500])
        return render_template("errors/error.html", status=500, message=messages[500]), 500

    @app.errorhandler(DBAPIError)
    def _database_away(error):
        """The database dropped the connection or could not be reached (a restart, the
        network): 503 with Retry-After, for the app or the browser to try again; any other
        database error is unexpected (500)."""
        code = error.orig.args[0] if error.orig is not None and error.orig.args else None
        if not (error.connection_invalidated
                or (isinstance(code, int) and code in UNREACHABLE_CODES)):
            return _unexpected(error)
        app.logger.warning("database unreachable: %s", error.orig)
        try:
            db.session.rollback()
        except DBAPIError:
            db.session.close()
        if wants_json():
            response = app.make_response(error_body(503, "database_unavailable",
                                                    messages[503]))
        else:
            response = app.make_response((render_template(
                "errors/error.html", status=503, message=messages[503]), 503))
        response.headers["Retry-After"] = "2"
        return response


def csp_nonce() -> str:
    """This response's nonce for the <style> a vendored library injects (FullCalendar reads
    it from <meta name="csp-nonce">); no inline style of our own uses it."""
    from flask import g
    import secrets

    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _security_headers(app):
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Content-Security-Policy", CSP.format(nonce=csp_nonce()))
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith(("/api/", "/admin")):
            # tokens and personal data are never kept by a browser or a proxy cache
            response.headers.setdefault("Cache-Control", "no-store")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

