"""The one render helper: a full page normally, the partial for an HTMX request."""
import json

from flask import make_response, redirect, render_template, url_for

from app.extensions import htmx


def render(page: str, partial: str | None = None, status: int = 200, trigger: dict | None = None,
           **context):
    """Render `page`, or `partial` when HTMX asks; always `Vary: HX-Request`."""
    template = partial if (partial and htmx) else page
    response = make_response(render_template(template, **context), status)
    response.headers["Vary"] = "HX-Request"
    if trigger:
        response.headers["HX-Trigger"] = json.dumps(trigger)
    return response


def go(endpoint: str, **values):
    """Redirect; for HTMX an `HX-Redirect` header instead of a 302."""
    target = url_for(endpoint, **values)
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def toast(message: str, level: str = "success") -> dict:
    """The HX-Trigger payload that shows a toast."""
    return {"toast": {"message": message, "level": level}}
