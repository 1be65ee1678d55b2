"""The one render helper: a full page normally, the partial for an HTMX request; and the one
way a refused change (a DomainError) reaches the screen."""
import json

from flask import flash, make_response, redirect, render_template, request, url_for

from app.extensions import htmx
from models import db
from services.errors import DomainError

# Refusals shown beside the form or as a toast; any other (401 sign in, 404 unknown) goes to
# the application's error handler, which answers with the login or the error page.
INLINE_STATUSES = frozenset({400, 403, 409, 413, 422})


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


def inline_refusal(error: DomainError) -> DomainError:
    """A refusal the screen shows itself (beside the form, in a toast): the session is rolled
    back and the error returned. Any other refusal is raised again for the error page."""
    if error.status not in INLINE_STATUSES:
        raise error
    db.session.rollback()
    return error


def refusal_text(error: DomainError) -> str:
    """The message of a refusal with its first field's reason when that adds something."""
    detail = next((value for value in error.fields.values() if isinstance(value, str)), None)
    if detail and detail not in error.message:
        return f"{error.message} {detail}"
    return error.message


def toast_refusal(error: DomainError, back_to: str | None = None):
    """Answer a refused HTMX action with its own 4xx status and a red toast (htmx reads the
    HX-Trigger of any answer and swaps nothing of a 4xx), leaving the page as it was.
    Without HTMX: flash the refusal and redirect to `back_to` when given, else raise the
    refusal for the error page."""
    if not request.headers.get("HX-Request"):
        if back_to is None:
            raise error
        inline_refusal(error)
        flash(refusal_text(error), "danger")
        return redirect(back_to)
    inline_refusal(error)
    response = render("crud/_nothing.html", status=error.status,
                      trigger=toast(refusal_text(error), "danger"))
    response.headers["HX-Reswap"] = "none"
    return response
