"""Declarations of stores (brandstore), the products each sells (brandstore_menus) and stock.

The document's examples come from another product (a bakery); the keys are kept and filled
from the clinic's models: `nama`/`brief`/`harga`/`pajak`/`img` from the product, `kategori`
its first category, `buffertime` 0 and bundles (`idbundlemenus`, `codebundle`) empty."""
import re

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from models import Menu, MenuCategory, MenuImage, Store, StoreMenu, StoreMenuStock, db
from services.stores import operations as store_ops
from services.engine.fields import Decimal
from services.engine.resource import PUBLIC, Resource, custom, eq, format_value, register
from services.errors import Invalid
from services.engine.gallery import primary_image
from services.uploads import public_url

WRITERS = frozenset({"OWNER", "ADMIN", "USERS"})
PHONE = re.compile(r"^[0-9+()\s.-]*$")
NO_CATEGORY = "Tanpa kategori"


def rupiah(value) -> str:
    """Money as staff read it: Rp 123.000."""
    return "Rp " + f"{int(value or 0):,}".replace(",", ".")


def idr(value) -> str:
    """Money as the app shows it (documented): IDR 123.000."""
    return "IDR " + f"{int(value or 0):,}".replace(",", ".")


def store_brief(store: Store | None) -> dict | None:
    """A store as embedded in its products."""
    if store is None:
        return None
    return {"id": store.id, "nama": store.nama, "alamat": store.alamat, "notelp": store.notelp,
            "opentime": format_value(store.opentime), "closetime": format_value(store.closetime),
            "city": store.city, "lat": store.lat, "lng": store.lng,
            "is_show": int(bool(store.is_show)), "groupname": store.groupname}


def city_filter(stmt, value):
    """Stores of a city (case does not matter; a list means any of)."""
    names = value if isinstance(value, list) else [value]
    names = [str(name).strip().lower() for name in names if str(name).strip()]
    if not names:
        raise ValueError("city")
    return stmt.where(func.lower(Store.city).in_(names))


def city_choices():
    """The cities stores are in, for the list filter."""
    return [(city, city) for city in db.session.execute(
        select(Store.city).where(Store.deleted_at.is_(None), Store.city != "")
        .group_by(Store.city).order_by(Store.city)).scalars()]


def store_choices():
    """Live stores, for selects."""
    return [(store.id, f"{store.nama} — {store.city}" if store.city else store.nama)
            for store in db.session.execute(
                select(Store).where(Store.deleted_at.is_(None))
                .order_by(Store.nama, Store.id)).scalars()]


def menu_choices():
    """Live products, for selects."""
    return [(menu_id, name) for menu_id, name in db.session.execute(
        select(Menu.id, Menu.nama_menus).where(Menu.deleted_at.is_(None))
        .order_by(Menu.nama_menus, Menu.id))]


@register
class Stores(Resource):
    """A branch: address, opening hours, coordinates; hidden stores (is_show=0) are seen by
    staff only. Search can sort by distance and group by city."""

    name = "brandstore"
    model = Store
    label, label_plural = "Toko", "Toko"
    admin_section = "Toko"
    endpoints = ("create", "search", "table", "get", "update", "delete")  # no explore documented
    inputs = ("nama", "alamat", "notelp", "opentime", "closetime", "city", "lat", "lng",
              "is_show", "groupname")
    required = ("nama", "alamat", "city")
    extra_inputs = {"lat": Decimal(allow_none=True), "lng": Decimal(allow_none=True)}  # blank: 0
    outputs = ("id", "nama", "alamat", "notelp", "opentime", "closetime", "city", "lat", "lng",
               "is_show", "groupname")
    filters = {"city": custom(city_filter), "kota": custom(city_filter),
               "is_show": eq(Store.is_show), "groupname": eq(Store.groupname),
               "latlng": custom(store_ops.nearest_first)}
    table_columns = ("id", "nama", "alamat", "notelp", "opentime", "closetime", "city", "lat",
                     "lng", "is_show", "groupname")
    order_by = (Store.nama.asc(), Store.id.asc())
    access = {"read": PUBLIC, "create": WRITERS, "update": WRITERS, "delete": WRITERS}
    admin_columns = ("nama", "city", "alamat", "notelp", "jam_buka", "tampil")
    table_exprs = {"jam_buka": Store.opentime, "tampil": Store.is_show}
    admin_detail = ("nama", "alamat", "notelp", "jam_buka", "city", "lat", "lng", "is_show",
                    "groupname", "jumlah_produk", "created", "updated")
    admin_filters = ("kota", "is_show")
    labels = {"id": "ID", "nama": "Nama toko", "alamat": "Alamat", "notelp": "Telepon",
              "opentime": "Jam buka", "closetime": "Jam tutup", "city": "Kota", "kota": "Kota",
              "lat": "Lintang (lat)", "lng": "Bujur (lng)", "is_show": "Tampil di aplikasi",
              "groupname": "Grup", "jam_buka": "Jam operasional", "tampil": "Tampil di aplikasi",
              "jumlah_produk": "Jumlah produk", "created": "Dibuat", "updated": "Diubah"}
    choices = {"kota": city_choices}
    form_help = {
        "opentime": "Format JJ:MM, mis. 09:00.",
        "closetime": "Format JJ:MM, harus setelah jam buka, mis. 20:00.",
        "city": "Tulis seperti di aplikasi, mis. KOTA BANDUNG.",
        "lat": "Antara -90 dan 90, mis. -6.9147 (Bandung).",
        "lng": "Antara -180 dan 180, mis. 107.6098.",
        "is_show": "Toko tersembunyi hanya terlihat oleh staf.",
        "groupname": "Kode grup toko (opsional), mis. STS.",
    }

    def visible_rows(self, stmt, actor):
        """The app's public and customers see only the stores shown in the app."""
        if store_ops.sees_hidden_stores(actor):
            return stmt
        return stmt.where(Store.is_show.is_(True))

    def describe(self, obj):
        """The store's name."""
        return obj.nama

    def validate(self, data, actor, obj=None):
        """Closing after opening, coordinates on the globe, a phone-like number."""
        problems = {}
        opening = data.get("opentime", obj.opentime if obj is not None else None)
        closing = data.get("closetime", obj.closetime if obj is not None else None)
        if opening is not None and closing is not None and closing <= opening:
            problems["closetime"] = "Jam tutup harus setelah jam buka."
        if data.get("lat") is not None and not -90 <= data["lat"] <= 90:
            problems["lat"] = "Lintang harus antara -90 dan 90."
        if data.get("lng") is not None and not -180 <= data["lng"] <= 180:
            problems["lng"] = "Bujur harus antara -180 dan 180."
        if data.get("notelp") and not PHONE.match(data["notelp"]):
            problems["notelp"] = "Hanya angka, spasi, +, -, titik dan tanda kurung."
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
        items = [(row, self.serialize(row, actor, "list")) for row in rows]
        if body.get("latlng") not in (None, ""):
            lat, lng = store_ops.parse_point(body["latlng"])
            stored = store_ops.precise_coordinates(row.id for row in rows)
            for row, item in items:
                item["meter_in_distance"] = store_ops.haversine_metres(lat, lng, *stored[row.id])
            items.sort(key=lambda pair: pair[1]["meter_in_distance"])
        if grouping == "city":
            grouped = {}
            for row, item in items:
                grouped.setdefault(row.city, []).append(item)
            return {self.envelope("search"): grouped}
        return {self.envelope("search"): [item for _row, item in items]}

    def form_extra_values(self, obj):
        """Coordinates with every stored digit, so saving the form does not round them."""
        lat, lng = store_ops.precise_coordinates([obj.id])[obj.id]
        return {"lat": round(lat, 7), "lng": round(lng, 7),
                "opentime": obj.opentime.strftime("%H:%M") if obj.opentime else None,
                "closetime": obj.closetime.strftime("%H:%M") if obj.closetime else None}

    # outputs shown on the admin screens
    def out_jam_buka(self, obj):
        """Opening hours as one text."""
        if obj.opentime is None and obj.closetime is None:
            return ""
        opening, closing = (value.strftime("%H:%M") if value else "?"
                            for value in (obj.opentime, obj.closetime))
        return f"{opening}–{closing}"

    def out_tampil(self, obj):
        """Shown in the app (Ya/Tidak on the list screen)."""
        return bool(obj.is_show)

    def out_jumlah_produk(self, obj):
        """How many products the store sells."""
        return db.session.execute(select(func.count(StoreMenu.id)).where(
            StoreMenu.idbrandstore == obj.id)).scalar_one()


def _menu_column(column):
    def expression():
        return (select(column).where(Menu.id == StoreMenu.idmenu)
                .correlate(StoreMenu).scalar_subquery())
    return expression


def _store_column(column):
    def expression():
        return (select(column).where(Store.id == StoreMenu.idbrandstore)
                .correlate(StoreMenu).scalar_subquery())
    return expression


def _stock_column(column):
    def expression():
        return (select(column).where(StoreMenuStock.idbrandstoremenus == StoreMenu.id)
                .correlate(StoreMenu).scalar_subquery())
    return expression


def _category_expr():
    first = func.coalesce(Menu.id_menu_categories_1, Menu.id_menu_categories_2,
                          Menu.id_menu_categories_3)
    return (select(MenuCategory.menu_categories).join(Menu, MenuCategory.id == first)
            .where(Menu.id == StoreMenu.idmenu).correlate(StoreMenu).scalar_subquery())


def _image_expr():
    return (select(MenuImage.menu_image)
            .where(MenuImage.id_menus == StoreMenu.idmenu, MenuImage.is_primary.is_(True))
            .correlate(StoreMenu).limit(1).scalar_subquery())


@register
class StoreMenus(Resource):
    """A product offered at a store, with its stock row. Stock is changed only by the
    domain operations set_stock/adjust_stock (services/stores.py)."""

    name = "brandstore_menus"
    model = StoreMenu
    label, label_plural = "Produk toko", "Produk toko"
    admin_section = "Toko"
    envelopes = {"create": "brandstoremenus", "get": "brandstoremenus",
                 "search": "brandstoremenus", "update": "brandstoremenus"}
    endpoints = ("create", "explore", "search", "table", "get", "delete")
    inputs = ("idmenu", "idbrandstore")
    required = ("idmenu", "idbrandstore")
    outputs = ("id", "idmenu", "idbrandstore", "menu", "brandstore", "stocks")
    list_outputs = ("id", "idmenu", "idstock", "idbrandstoremenus", "idbrandstore", "codebundle",
                    "brandstores", "alamat", "notelp", "opentime", "closetime", "city", "lat",
                    "lng", "groupname", "nama", "brief", "img", "harga", "pajak", "buffertime",
                    "nourut_menu", "nourut_kategori", "kategori", "harga_promosi",
                    "mulai_harga_promosi", "selesai_harga_promosi", "stocks", "is_has_extra",
                    "img_path", "display_harga", "display_harga_promosi", "editable")
    filters = {"idmenu": eq(StoreMenu.idmenu), "idbrandstore": eq(StoreMenu.idbrandstore),
               "kategori": custom(store_ops.in_categories),
               "groupname": custom(store_ops.in_group)}
    table_columns = ("id", "idmenu", "idbrandstore", "nama", "brief", "img", "harga", "pajak",
                     "buffertime", "kategori", "harga_promosi", "mulai_harga_promosi",
                     "selesai_harga_promosi", "stocks", "codebundle", "idstock")
    table_exprs = {
        "nama": _menu_column(Menu.nama_menus), "brief": _menu_column(Menu.brief),
        "img": _image_expr, "harga": _menu_column(Menu.harga), "pajak": _menu_column(Menu.pajak),
        "buffertime": None, "kategori": _category_expr,
        "harga_promosi": _menu_column(Menu.harga_promosi),
        "mulai_harga_promosi": _menu_column(Menu.mulai_harga_promosi),
        "selesai_harga_promosi": _menu_column(Menu.selesai_harga_promosi),
        "stocks": _stock_column(StoreMenuStock.quantitytotal), "codebundle": None,
        "idstock": _stock_column(StoreMenuStock.id),
        "brandstores": _store_column(Store.nama), "harga_rp": _menu_column(Menu.harga),
    }
    eager = (joinedload(StoreMenu.menu).joinedload(Menu.category_1),
             joinedload(StoreMenu.menu).joinedload(Menu.category_2),
             joinedload(StoreMenu.menu).joinedload(Menu.category_3),
             joinedload(StoreMenu.menu).selectinload(Menu.images),
             joinedload(StoreMenu.store), joinedload(StoreMenu.stock))
    access = {"read": PUBLIC, "create": WRITERS, "update": frozenset(), "delete": WRITERS}
    admin_columns = ("brandstores", "nama", "kategori", "harga_rp", "stocks")
    admin_detail = ("brandstores", "nama", "kategori", "harga_rp", "harga_promosi_rp",
                    "stocks", "datetimeupdateat", "created")
    admin_filters = ("idbrandstore",)
    labels = {"id": "ID", "idmenu": "Produk", "idbrandstore": "Toko", "brandstores": "Toko",
              "nama": "Produk", "kategori": "Kategori", "harga_rp": "Harga",
              "harga_promosi_rp": "Harga promosi (berlaku)", "stocks": "Stok",
              "datetimeupdateat": "Stok diperbarui", "created": "Ditambahkan"}
    choices = {"idbrandstore": store_choices, "idmenu": menu_choices}

    def visible_rows(self, stmt, actor):
        """Never products of deleted products or stores; for the public not of hidden ones."""
        return stmt.where(store_ops.store_menu_visible(
            listed=not store_ops.sees_hidden_stores(actor)))

    def describe(self, obj):
        """Product at store."""
        menu = obj.menu.nama_menus if obj.menu else f"produk #{obj.idmenu}"
        store = obj.store.nama if obj.store else f"toko #{obj.idbrandstore}"
        return f"{menu} @ {store}"

    def validate(self, data, actor, obj=None):
        """A product is offered once per store."""
        menu_id = data.get("idmenu", obj.idmenu if obj else None)
        store_id = data.get("idbrandstore", obj.idbrandstore if obj else None)
        stmt = select(StoreMenu.id).where(StoreMenu.idmenu == menu_id,
                                          StoreMenu.idbrandstore == store_id)
        if obj is not None:
            stmt = stmt.where(StoreMenu.id != obj.id)
        if db.session.execute(stmt).first():
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
        category = store_ops.first_category(menu) if menu is not None else None
        promotion = store_ops.promotion_price(menu) if menu is not None else None
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
            row["editable"] = bool(actor is not None and actor.role_codes & WRITERS)
            return row
        return {"id": obj.id, "idmenu": obj.idmenu, "idbrandstore": obj.idbrandstore,
                "menu": self.nested_menu(obj), "brandstore": store_brief(obj.store),
                "stocks": self.stock_rows(obj)}

    def nested_menu(self, obj):
        """The product as embedded (with this store's stock in `stocks`)."""
        values = self.fields_of(obj)
        menu = {"id": obj.idmenu, "idbundlemenus": 0}
        for name in ("nama", "brief", "img", "img_path", "harga", "pajak", "buffertime",
                     "kategori", "harga_promosi", "mulai_harga_promosi", "selesai_harga_promosi",
                     "stocks", "codebundle"):
            menu[name] = format_value(values[name])
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

    def out_harga_rp(self, obj):
        """Price as staff read it."""
        return rupiah(obj.menu.harga) if obj.menu else ""

    def out_harga_promosi_rp(self, obj):
        """The running promotional price as staff read it, or nothing."""
        price = store_ops.promotion_price(obj.menu) if obj.menu else None
        return rupiah(price) if price is not None else ""

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

