"""Catalog rules that read: what a product costs now, which promotions are current, the
category slots of a product, how many products a category holds, and the form choices."""
from sqlalchemy import and_, false, func, or_, select, union_all

from models import Menu, MenuCategory, Promotion, clinic_now, db
from services.engine.filters import INT_MAX

CATEGORY_SLOTS = ("id_menu_categories_1", "id_menu_categories_2", "id_menu_categories_3")


# ---- prices ------------------------------------------------------------------------------
def promotion_active(menu, now=None) -> bool:
    """True while the promotion price applies (between its start and end, clinic time)."""
    if not menu.harga_promosi or not menu.mulai_harga_promosi or not menu.selesai_harga_promosi:
        return False
    now = now or clinic_now()
    return menu.mulai_harga_promosi <= now <= menu.selesai_harga_promosi


def effective_price(menu, now=None) -> int:
    """The price a customer pays now: the promotion price inside its window, else harga."""
    return menu.harga_promosi if promotion_active(menu, now) else menu.harga


# ---- categories of a product -------------------------------------------------------------
def categories_of(menu) -> list:
    """The product's categories, in slot order."""
    return [category for category in (menu.category_1, menu.category_2, menu.category_3)
            if category is not None]


def category_names(menu) -> list[str]:
    """Names of the product's categories, in slot order."""
    return [category.menu_categories for category in categories_of(menu)]


def category_name_expr(slot):
    """The name of the category in one slot of a product row (a correlated subquery)."""
    def expression():
        return (select(MenuCategory.menu_categories)
                .where(MenuCategory.id == getattr(Menu, slot))
                .correlate(Menu).scalar_subquery())
    return expression


def _category_id(value) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    number = int(str(value).strip())
    if not 0 <= number <= INT_MAX:
        raise ValueError(value)
    return number


def slot_filter(slot):
    """One category slot: an id (or a list of ids); 0 means "no category in this slot"."""
    column = getattr(Menu, slot)

    def apply(stmt, value):
        values = value if isinstance(value, list) else [value]
        ids = [_category_id(item) for item in values]
        if not ids:
            return stmt.where(false())
        conditions = [column.is_(None) if number == 0 else column == number for number in ids]
        return stmt.where(or_(*conditions))
    return apply


def any_category_filter(stmt, value):
    """Products with any of the ids in any of the three category slots."""
    values = value if isinstance(value, list) else [value]
    ids = [_category_id(item) for item in values if item not in (None, "")]
    ids = [number for number in ids if number]
    if not ids:
        return stmt if not values else stmt.where(false())
    return stmt.where(or_(*[getattr(Menu, slot).in_(ids) for slot in CATEGORY_SLOTS]))


def product_counts(category_ids) -> dict[int, int]:
    """Live products per category (any of the three slots), in one query."""
    ids = list(category_ids)
    if not ids:
        return {}
    slots = union_all(*[
        select(getattr(Menu, slot).label("category"), Menu.id.label("menu"))
        .where(getattr(Menu, slot).in_(ids), Menu.deleted_at.is_(None))
        for slot in CATEGORY_SLOTS
    ]).subquery()
    return dict(db.session.execute(select(slots.c.category, func.count(func.distinct(
        slots.c.menu))).group_by(slots.c.category)).all())


def live_products_in(category_id: int) -> int:
    """How many live products use the category in any slot."""
    return product_counts([category_id]).get(category_id, 0)


# ---- promotions --------------------------------------------------------------------------
def current_condition(now=None):
    """Promotions valid now (start ≤ now ≤ end, clinic time)."""
    now = now or clinic_now()
    return and_(Promotion.start_datetime <= now, Promotion.expired_datetime >= now)


def current_filter(stmt, value):
    """aktif=1: only promotions valid now; aktif=0: only those that are not."""
    wanted = str(value).strip().lower()
    if wanted in ("1", "true", "yes"):
        return stmt.where(current_condition())
    if wanted in ("0", "false", "no"):
        return stmt.where(~current_condition())
    raise ValueError(value)


def promotion_status(promotion, now=None) -> str:
    """berjalan / terjadwal / berakhir, by the clinic clock."""
    now = now or clinic_now()
    if promotion.start_datetime and now < promotion.start_datetime:
        return "terjadwal"
    if promotion.expired_datetime and now > promotion.expired_datetime:
        return "berakhir"
    return "berjalan"


def product_name(menu_id) -> str:
    """The name of a product by id ("" for none or an unknown id)."""
    menu = db.session.get(Menu, menu_id) if menu_id else None
    return menu.nama_menus if menu is not None else ""


# ---- choices of the forms ----------------------------------------------------------------
def category_choices():
    """Categories as (id, name) for selects."""
    return [(row.id, row.menu_categories) for row in db.session.execute(
        select(MenuCategory).order_by(MenuCategory.menu_categories)).scalars()]


def menu_choices():
    """Live products as (id, name) for selects."""
    return [(row.id, row.nama_menus) for row in db.session.execute(
        select(Menu).where(Menu.deleted_at.is_(None)).order_by(Menu.nama_menus)).scalars()]
