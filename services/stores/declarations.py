"""Declarations of stores (brandstore), the products each sells (brandstore_menus) and stock:
the API contract. How they look on the staff screens is blueprints/views/stores.py.

The document's examples come from another product (a bakery); the keys are kept and filled
from the clinic's models: `nama`/`brief`/`harga`/`pajak`/`img` from the product, `kategori`
its first category, `buffertime` 0 and bundles (`idbundlemenus`, `codebundle`) empty."""

from sqlalchemy.orm import joinedload

from models import Menu, MenuCategory, Store, StoreMenu, StoreMenuStock
from services.access import OFFICE, is_office
from services.engine.fields import Decimal
from services.engine.gallery import primary_image
from services.engine.filters import custom, eq
from services.engine.resource import PUBLIC, Resource, format_value, register
from services.errors import Invalid
from services.format import idr
from services.uploads import public_url

from . import queries

NO_CATEGORY = "Tanpa kategori"


@register
class Stores(Resource):
    """A branch: address, opening hours, coordinates; hidden stores (is_show=0) are seen by
    staff only. Search can sort by distance and group by city."""

    name = "brandstore"
    model = Store
    label = "Toko"
    endpoints = ("create", "search", "table", "get", "update", "delete")  # no explore documented
    inputs = ("nama", "alamat", "notelp", "opentime", "closetime", "city", "lat", "lng",
              "is_show", "groupname")
    required = ("nama", "alamat", "city")
    phone_inputs = ("notelp",)
    extra_inputs = {"lat": Decimal(allow_none=True), "lng": Decimal(allow_none=True)}  # blank: 0
    outputs = ("id", "nama", "alamat", "notelp", "opentime", "closetime", "city", "lat", "lng",
               "is_show", "groupname")
    brief_fields = outputs
    filters = {"city": custom(queries.city_filter), "kota": custom(queries.city_filter),
               "is_show": eq(Store.is_show), "groupname": eq(Store.groupname),
               "latlng": custom(queries.nearest_first)}
    table_columns = outputs
    order_by = (Store.nama.asc(), Store.id.asc())
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}

    def visible_rows(self, stmt, actor):
        """The app's public and customers see only the stores shown in the app."""
        if queries.sees_hidden_stores(actor):
            return stmt
        return stmt.where(Store.is_show.is_(True))

    def describe(self, obj):
        """The store's name."""
        return obj.nama

    def validate(self, data, actor, obj=None):
        """Closing after opening, coordinates on the globe (the phone number is a Phone input)."""
        problems = {}
        opening = data.get("opentime", obj.opentime if obj is not None else None)
        closing = data.get("closetime", obj.closetime if obj is not None else None)
        if opening is not None and closing is not None and closing <= opening:
            problems["closetime"] = "Jam tutup harus setelah jam buka."
        if data.get("lat") is not None and not -90 <= data["lat"] <= 90:
            problems["lat"] = "Lintang harus antara -90 dan 90."
        if data.get("lng") is not None and not -180 <= data["lng"] <= 180:
            problems["lng"] = "Bujur harus antara -180 dan 180."
        if problems:
            raise Invalid(fields=problems)
        for name in ("lat", "lng"):
            if name in data and data[name] is None:
                data[name] = 0.0
        return data

    def search_answer(self, rows, actor, body):
        """Nearest first with `meter_in_distance` when `latlng` is sent; `groupby: "city"`
        answers an object keyed by city (groups in the order of their first store)."""
        grouping = body.get("groupby")
        if grouping not in (None, "", "city"):
            raise Invalid("Pengelompokan tidak dikenal.", fields={"groupby": 'Gunakan "city".'})
        items = [self.serialize(row, actor, "list") for row in rows]
        pairs = list(zip(rows, items))
        if body.get("latlng") not in (None, ""):
            pairs = queries.with_distances(rows, items, body["latlng"])
        if grouping == "city":
            grouped = {}
            for row, item in pairs:
                grouped.setdefault(row.city, []).append(item)
            return {self.envelope("search"): grouped}
        return {self.envelope("search"): [item for _row, item in pairs]}


PRODUCT_KEYS = ("nama", "brief", "img", "img_path", "harga", "pajak", "buffertime")


@register
class StoreMenus(Resource):
    """A product offered at a store, with its stock row. Stock is changed only by the
    domain operations set_stock/adjust_stock (services/stores/operations.py)."""

    name = "brandstore_menus"
    model = StoreMenu
    label = "Produk toko"
    envelopes = {"create": "brandstoremenus", "get": "brandstoremenus",
                 "search": "brandstoremenus", "update": "brandstoremenus"}
    endpoints = ("create", "explore", "search", "table", "get", "delete")
    inputs = ("idmenu", "idbrandstore")
    required = ("idmenu", "idbrandstore")
    outputs = ("id", "idmenu", "idbrandstore", "menu", "brandstore", "stocks")
    nested = {"brandstore": ("brandstore", "store")}
    list_outputs = ("id", "idmenu", "idstock", "idbrandstoremenus", "idbrandstore", "codebundle",
                    "brandstores", "alamat", "notelp", "opentime", "closetime", "city", "lat",
                    "lng", "groupname", "nama", "brief", "img", "harga", "pajak", "buffertime",
                    "nourut_menu", "nourut_kategori", "kategori", "harga_promosi",
                    "mulai_harga_promosi", "selesai_harga_promosi", "stocks", "is_has_extra",
                    "img_path", "display_harga", "display_harga_promosi", "editable")
    filters = {"idmenu": eq(StoreMenu.idmenu), "idbrandstore": eq(StoreMenu.idbrandstore),
               "kategori": custom(queries.in_categories),
               "groupname": custom(queries.in_group)}
    table_columns = ("id", "idmenu", "idbrandstore", "nama", "brief", "img", "harga", "pajak",
                     "buffertime", "kategori", "harga_promosi", "mulai_harga_promosi",
                     "selesai_harga_promosi", "stocks", "codebundle", "idstock")
    table_exprs = {
        "nama": queries.menu_column(Menu.nama_menus), "brief": queries.menu_column(Menu.brief),
        "img": queries.primary_image_name, "harga": queries.menu_column(Menu.harga),
        "pajak": queries.menu_column(Menu.pajak), "buffertime": None,
        "kategori": queries.category_name,
        "harga_promosi": queries.menu_column(Menu.harga_promosi),
        "mulai_harga_promosi": queries.menu_column(Menu.mulai_harga_promosi),
        "selesai_harga_promosi": queries.menu_column(Menu.selesai_harga_promosi),
        "stocks": queries.stock_column(StoreMenuStock.quantitytotal), "codebundle": None,
        "idstock": queries.stock_column(StoreMenuStock.id),
        "brandstores": queries.store_column(Store.nama),
    }
    # small collections joined into the page's statement, as Users.eager explains
    eager = (joinedload(StoreMenu.menu).joinedload(Menu.category_1),
             joinedload(StoreMenu.menu).joinedload(Menu.category_2),
             joinedload(StoreMenu.menu).joinedload(Menu.category_3),
             joinedload(StoreMenu.menu).joinedload(Menu.images),
             joinedload(StoreMenu.store), joinedload(StoreMenu.stock))
    # the lists name the first category only (the detail nests the whole product)
    list_eager = (*(joinedload(StoreMenu.menu).joinedload(slot).load_only(
        MenuCategory.menu_categories) for slot in (Menu.category_1, Menu.category_2,
                                                   Menu.category_3)),
                  joinedload(StoreMenu.menu).joinedload(Menu.images),
                  joinedload(StoreMenu.store), joinedload(StoreMenu.stock))
    access = {"read": PUBLIC, "create": OFFICE, "update": frozenset(), "delete": OFFICE}

    def visible_rows(self, stmt, actor):
        """Never products of deleted products or stores; for the public not of hidden ones.
        On MariaDB the statement starts from brandstore_menus (STRAIGHT_JOIN): it turned the
        two "live" conditions into a join starting from the products and sorted every row of
        the table to find a page by id (3 ms of the server's time instead of 0.3)."""
        return stmt.where(queries.store_menu_visible(
            listed=not queries.sees_hidden_stores(actor))).prefix_with(
                "STRAIGHT_JOIN", dialect="mysql")

    def describe(self, obj):
        """Product at store."""
        menu = obj.menu.nama_menus if obj.menu else f"produk #{obj.idmenu}"
        store = obj.store.nama if obj.store else f"toko #{obj.idbrandstore}"
        return f"{menu} @ {store}"

    def validate(self, data, actor, obj=None):
        """A product is offered once per store."""
        menu_id = data.get("idmenu", obj.idmenu if obj else None)
        store_id = data.get("idbrandstore", obj.idbrandstore if obj else None)
        if queries.offered_at(menu_id, store_id, except_id=obj.id if obj else None):
            raise Invalid("Produk ini sudah ada di toko tersebut.",
                          fields={"idmenu": "Produk ini sudah ada di toko tersebut."})
        return data

    def after_save(self, obj, data, actor, created):
        """A new product at a store starts with a stock row of 0."""
        if created and obj.stock is None:
            obj.stock = StoreMenuStock(quantitytotal=0)

    # ---- output -------------------------------------------------------------------------
    def fields_of(self, obj) -> dict:
        """Every documented value of a product at a store, unformatted."""
        menu, store, stock = obj.menu, obj.store, obj.stock
        image = primary_image(menu.images) if menu is not None else None
        image_name = image.menu_image if image is not None else ""
        category = queries.first_category(menu) if menu is not None else None
        promotion = queries.promotion_price(menu) if menu is not None else None
        return {
            "id": obj.id, "idmenu": obj.idmenu, "idstock": stock.id if stock else None,
            "idbrandstoremenus": obj.id, "idbrandstore": obj.idbrandstore, "codebundle": None,
            "brandstores": store.nama if store else "", "alamat": store.alamat if store else "",
            "notelp": store.notelp if store else "",
            "opentime": store.opentime if store else None,
            "closetime": store.closetime if store else None,
            "city": store.city if store else "", "lat": store.lat if store else None,
            "lng": store.lng if store else None, "groupname": store.groupname if store else "",
            "nama": menu.nama_menus if menu else "", "brief": menu.brief if menu else "",
            "img": image_name, "harga": menu.harga if menu else 0,
            "pajak": menu.pajak if menu else 0, "buffertime": 0, "nourut_menu": 0,
            "nourut_kategori": category.id if category else 0,
            "kategori": category.menu_categories if category else "",
            "harga_promosi": promotion,
            "mulai_harga_promosi": menu.mulai_harga_promosi if menu else None,
            "selesai_harga_promosi": menu.selesai_harga_promosi if menu else None,
            "stocks": stock.quantitytotal if stock else 0, "is_has_extra": False,
            "img_path": public_url("menus", image_name),
            "display_harga": idr(menu.harga if menu else 0),
            "display_harga_promosi": idr(promotion or 0),
            "datetimeupdateat": stock.datetimeupdateat if stock else None,
        }

    def raw(self, obj, name):
        """The documented flat values come from fields_of; others from out_<name>."""
        values = self.fields_of(obj)
        if name in values:
            return values[name]
        return super().raw(obj, name)

    def serialize(self, obj, actor, view="detail"):
        """Detail: the product and store nested with the stock rows; list: one flat row.
        `editable` says whether the caller may change this store's products."""
        if view == "list":
            values = self.fields_of(obj)
            row = {name: format_value(values[name]) for name in self.list_outputs
                   if name in values}
            row["editable"] = is_office(actor)
            return row
        return {"id": obj.id, "idmenu": obj.idmenu, "idbrandstore": obj.idbrandstore,
                "menu": self.nested_menu(obj), "brandstore": self.output(obj, "brandstore", actor),
                "stocks": self.stock_rows(obj)}

    def nested_menu(self, obj):
        """The product as embedded (with this store's stock in `stocks`)."""
        values = self.fields_of(obj)
        menu = {"id": obj.idmenu, "idbundlemenus": 0}
        for name in PRODUCT_KEYS + ("kategori", "harga_promosi", "mulai_harga_promosi",
                                    "selesai_harga_promosi", "stocks", "codebundle"):
            menu[name] = format_value(values[name])
        return menu

    def copied_menu(self, obj, actor):
        """The documented answer of `duplicates`: the product with the store it is offered at
        (the copy's source)."""
        values = self.fields_of(obj)
        menu = {"id": obj.id, "idmenu": obj.idmenu,
                "brandstore": self.output(obj, "brandstore", actor), "bundlemenus": None}
        menu.update((name, format_value(values[name])) for name in PRODUCT_KEYS)
        return menu

    def stock_rows(self, obj):
        """The stock rows of this product at this store (one)."""
        stock, menu = obj.stock, obj.menu
        if stock is None:
            return []
        return [{"id": stock.id, "idbrandstoremenus": obj.id, "quantitytotal": stock.quantitytotal,
                 "datetimeupdateat": format_value(stock.datetimeupdateat), "idbundlemenus": 0,
                 "nama": menu.nama_menus if menu else "", "brief": menu.brief if menu else "",
                 "harga": menu.harga if menu else 0, "pajak": menu.pajak if menu else 0,
                 "buffertime": 0}]

    def table_value(self, obj, name):
        """A cell of the DataTables answer."""
        return format_value(self.raw(obj, name))

    def search_answer(self, rows, actor, body):
        """`groupby: "menu"` answers an object keyed by category name."""
        grouping = body.get("groupby")
        if grouping not in (None, "", "menu"):
            raise Invalid("Pengelompokan tidak dikenal.", fields={"groupby": 'Gunakan "menu".'})
        items = [self.serialize(row, actor, "list") for row in rows]
        if grouping == "menu":
            grouped = {}
            for item in items:
                grouped.setdefault(item["kategori"] or NO_CATEGORY, []).append(item)
            return {self.envelope("search"): grouped}
        return {self.envelope("search"): items}
