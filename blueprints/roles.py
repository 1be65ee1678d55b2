"""The Peran screen: the people who hold roles, one row per person with their roles in Bahasa
Indonesia (the role rows themselves stay a resource of the API). Roles are given and taken on
the person's edit form, where they are ticked."""
from flask import Blueprint

from app.auth import current_actor, requires
from services.access import STAFF
from services.engine import core, get_resource

from .crud import list_page
from .render import render
from .views import view_for
from .views.accounts import PeopleWithRolesView

bp = Blueprint("roles", __name__, url_prefix="/admin/roles")
PEOPLE = PeopleWithRolesView()


@bp.get("/")
@requires(*STAFF)
def people():
    """Everyone with their roles (whoever may read the role rows sees it); search, a role
    filter and pages like every list, HTMX asking for the list part only."""
    actor = current_actor()
    roles = get_resource("roles")
    core.require(roles, actor, "read")
    return render("roles/index.html", "roles/_list.html", **list_page(PEOPLE, actor),
                  roles_view=view_for(roles),
                  can_change_roles=view_for("users").permits(actor, "update"))
