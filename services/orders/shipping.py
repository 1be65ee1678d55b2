"""An order's shipping: the courier and its cost (a RajaOngkir courier priced by the order's
weight and destination, or the same-day courier priced by distance through the delivery
tiers), and clearing it. Courier cost is part of the money (services.orders.money computes
`grand_totals` with it), so it is chosen while the order is still an open cart: checkout
needs a courier and freezes the totals the payment is made for.

Reach: the order's customer, or the office (OWNER, ADMIN, USERS) for any order; anyone else
gets a 404, as if the order did not exist. Customers pay only a tariff the shipping service
quotes for their own order (the `costs` they send must be one of the courier's services);
the office may set any amount (a price agreed with the customer by hand)."""
from sqlalchemy import update

from models import Order, clinic_now, db
from models.orders import CART
from services.access import is_office
from services.engine.fields import Money, ValidationError
from services.errors import Invalid, Problems
from services.gateways import shipping as shipping_gateway
from services.shipping import queries as shipping_queries

from .flow import OrderFlow
from .operations import find_order
from .money import compute_totals, refresh_totals

SAMEDAY = "sameday"
COURIER_STATES = (CART,)
DEFAULT_WEIGHT_GRAMS = 1  # products without a weight still travel as the smallest parcel


def order_weight(order: Order) -> int:
    """The parcel's weight in grams: each product's `berat` times its quantity (money's
    totals), at least 1 gram."""
    return max(compute_totals(order).weight, DEFAULT_WEIGHT_GRAMS)


def destination_city(order: Order, body: dict, problems: Problems, name: str) -> int | None:
    """The destination city: `name` of the body when given (it overrides the order's), else
    the order's `kode_kota`, else its patient's."""
    if body.get(name) not in (None, ""):
        return shipping_queries.whole_number(body, name, problems, required=True)
    for value in (order.kode_kota, getattr(order.patient, "kode_kota", None)):
        if value not in (None, "") and str(value).strip().isdigit():
            return int(str(value).strip())
    problems.add(name, "Kota tujuan belum diisi: kirim kode kota (RajaOngkir) atau lengkapi "
                       "alamat pasien.")
    return None


def _parcel_weight(order: Order, problems: Problems) -> int | None:
    weight = order_weight(order)
    if weight > shipping_queries.WEIGHT_MAX_GRAMS:
        problems.add("weight", f"Berat pesanan {weight} gram melebihi "
                               f"{shipping_queries.WEIGHT_MAX_GRAMS} gram (30 kg).")
        return None
    return weight


def costs_for_order(actor, body: dict) -> list[dict]:
    """deliveries/calculate: the courier's services for order `id_order` (its weight from
    its products) to `city_id_destination` (default: the order's city), from the warehouse."""
    problems = Problems()
    order_id = shipping_queries.whole_number(body, "id_order", problems, required=True)
    courier = shipping_queries.courier_of(body, problems)
    problems.raise_if_any()
    order = find_order(actor, order_id)
    destination = destination_city(order, body, problems, "city_id_destination")
    weight = _parcel_weight(order, problems)
    problems.raise_if_any()
    return shipping_gateway.cost(shipping_queries.origin_city(), destination, weight, courier)


class ShippingFlow(OrderFlow):
    """The courier steps of an order's workflow (no state change; an event on the timeline,
    the totals recomputed, one transaction each), allowed while the order is an open cart."""

    def check_open(self):
        """409 unless the order is an open cart of products (the state is named)."""
        self._require(COURIER_STATES, "diubah kurirnya")
        self._require_type("E", "dikirim dengan kurir")

    def _require_cart_still(self):
        """The order is still an open cart at the moment of writing: a checkout that got
        there first wins (409), so a paid amount never changes under it."""
        still = db.session.execute(
            update(Order).where(Order.id == self.order.id, Order.status.in_(COURIER_STATES))
            .values(courier_datetime=self.order.courier_datetime)
            .execution_options(synchronize_session=False)).rowcount
        if not still:
            db.session.rollback()
            db.session.refresh(self.order)
            self._require(COURIER_STATES, "diubah kurirnya")

    def _store_courier(self, action: str, note: str) -> Order:
        refresh_totals(self.order)
        self._event(action, self.order.status, note)
        self._require_cart_still()
        return self._commit(action, note)

    def choose_courier(self, courier: str, service: str, price: int, city_id: int) -> Order:
        """Set a RajaOngkir courier, its service and cost, and the destination city."""
        self.check_open()
        order = self.order
        order.courier, order.courier_service, order.courier_price = courier, service, price
        order.kode_kota = str(city_id)
        order.is_courier, order.courier_datetime = True, clinic_now()
        order.distance, order.distance_unit = 0, "km"
        return self._store_courier("courier", f"{courier} {service} Rp {price}".strip())

    def choose_sameday(self, lat: float, lng: float, quote) -> Order:
        """Set the same-day courier to (lat, lng), priced by its distance tier."""
        self.check_open()
        order = self.order
        order.courier, order.courier_service, order.courier_price = SAMEDAY, "", quote.price
        order.lat_kirim, order.lng_kirim = lat, lng
        order.distance, order.distance_unit = quote.distance, "km"
        order.is_courier, order.courier_datetime = True, clinic_now()
        return self._store_courier("sameday_courier", f"{quote.distance} km Rp {quote.price}")

    def clear_courier(self) -> Order:
        """Drop the courier and its cost (both kinds)."""
        self._require(COURIER_STATES, "diubah kurirnya")
        order = self.order
        order.courier, order.courier_service, order.courier_price = "", "", 0
        order.is_courier, order.courier_datetime = False, None
        order.distance = 0
        return self._store_courier("uncourier", "")


def _money(body: dict, name: str, problems: Problems, required: bool) -> int | None:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(name, "Wajib diisi (rupiah).")
        return None
    try:
        return Money().deserialize(value)
    except ValidationError as exc:
        problems.add(name, exc.messages[0] if isinstance(exc.messages, list) else "Tidak valid.")
        return None


def _service_for(quote: list[dict], costs: int | None, service: str | None):
    """The (service, value) of the courier's answer matching the service name and/or cost."""
    for row in (quote[0]["costs"] if quote else []):
        for price in row["cost"]:
            if (service is None or row["service"].lower() == service.lower()) and \
                    (costs is None or price["value"] == costs):
                return row["service"], price["value"]
    return None


def process_courier(actor, order_id, body: dict) -> Order:
    """orders/{?}/process/courier: `courier` and `costs` (and optionally `service` and
    `kode_kota`, which overrides the patient's city). A customer's `costs` must be one of the
    courier's quoted services for this order; the office may set any amount."""
    order = find_order(actor, order_id)
    flow = ShippingFlow(order, actor)
    flow.check_open()
    problems = Problems()
    if str(body.get("courier", "")).strip().lower() == SAMEDAY:
        problems.add("courier", "Kurir sameday dipilih lewat process/sameday/courier.")
    courier = shipping_queries.courier_of(body, problems) if "courier" not in problems else None
    service = body.get("service")
    if service is not None and (not isinstance(service, str) or len(service) > 50):
        problems.add("service", "Nama layanan tidak valid (maksimal 50 karakter).")
        service = None
    service = (service.strip() or None) if isinstance(service, str) else None
    staff = is_office(actor)
    costs = _money(body, "costs", problems, required=staff or service is None)
    city = destination_city(order, body, problems, "kode_kota")
    weight = _parcel_weight(order, problems)
    problems.raise_if_any()
    chosen_service, price = service or "", costs
    quote = None
    if not staff or costs is None:
        quote = shipping_gateway.cost(shipping_queries.origin_city(), city, weight, courier)
        match = _service_for(quote, costs, service)
        if match is None:
            offered = ", ".join(f"{row['service']} Rp {row['cost'][0]['value']}"
                                for row in (quote[0]["costs"] if quote else []) if row["cost"])
            raise Invalid("Ongkos kirim tidak sesuai tarif kurir untuk pesanan ini.",
                          fields={"costs": "Pilih salah satu tarif: " + (offered or "tidak ada")
                                  + "."}, error_code="courier_cost_mismatch")
        chosen_service, price = match
    return flow.choose_courier(courier, chosen_service, price, city)


def process_sameday_courier(actor, order_id, body: dict):
    """orders/{?}/process/sameday/courier: price the same-day courier to `lat_kirim`/
    `lng_kirim` by the distance from the warehouse; returns (order, quote)."""
    order = find_order(actor, order_id)
    flow = ShippingFlow(order, actor)
    flow.check_open()
    courier = body.get("courier", SAMEDAY)
    if courier not in (None, "") and str(courier).strip().lower() != SAMEDAY:
        raise Invalid(fields={"courier": "Hanya 'sameday' di sini; kurir lain lewat "
                                         "process/courier."})
    lat, lng = shipping_queries.delivery_point_of(body)
    quote = shipping_queries.sameday_quote(lat, lng)
    return flow.choose_sameday(lat, lng, quote), quote


def unprocess_courier(actor, order_id) -> Order:
    """orders/{?}/unprocess/courier: clear the courier and its cost."""
    return ShippingFlow(find_order(actor, order_id), actor).clear_courier()
