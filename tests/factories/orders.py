"""Factories of carts and orders: a customer's open cart of products (type E) with its lines
priced as the cart would price them, ready for the order workflow."""
from models import Order, OrderExtra, OrderItem, db
from services.orders.flow import cart_key
from services.orders.money import refresh_totals, selling_price

from .accounts import make_user
from .stores import make_product, make_store, make_store_menu


def make_cart(customer=None, order_type="E", **kw) -> Order:
    """An open cart (SHOPPING CARTS) of a customer, with the customer's contact details."""
    customer = customer or make_user()
    values = {"id_member": customer.id, "order_type": order_type,
              "cart_key": cart_key(customer.id, order_type),
              "nama_pemesan": customer.users_fullname, "notelp_pemesan": customer.users_phone,
              "email_pemesan": customer.users_email or "", "alamat_pemesan": "Jl. Dago 1",
              "nama_penerima": customer.users_fullname, "alamat_kirim": "Jl. Dago 1"}
    values.update(kw)
    order = Order(**values)
    db.session.add(order)
    db.session.commit()
    return order


def add_item(order: Order, menu=None, qty=1) -> OrderItem:
    """A product line at the product's selling price now."""
    menu = menu or make_product()
    item = OrderItem(id_order=order.id, id_menu=menu.id, qty=qty, satuan=menu.satuan,
                     price=selling_price(menu), pajak=menu.pajak or 0, berat=menu.berat or 0)
    db.session.add(item)
    db.session.flush()
    db.session.refresh(order)
    refresh_totals(order)
    db.session.commit()
    return item


def add_consultation(order: Order, doctor=None, price=100000) -> OrderExtra:
    """An online consultation line."""
    extra = OrderExtra(id_orders=order.id, id_doctors=getattr(doctor, "id", None),
                       item="Online consultation", qty=1, extra_prices=price)
    db.session.add(extra)
    db.session.flush()
    db.session.refresh(order)
    refresh_totals(order)
    db.session.commit()
    return extra


def make_stocked_cart(customer=None, quantity=10, qty=2, price=100000, store=None,
                      courier_price=20000, **kw):
    """A cart of one product the (only) store holds `quantity` of, with a courier chosen;
    returns (order, item, store_menu)."""
    store = store or make_store()
    product = make_product(harga=price, pajak=0, berat=250)
    row = make_store_menu(product, store, quantity=quantity)
    order = make_cart(customer, id_brandstore=store.id, courier="jne", is_courier=True,
                      courier_price=courier_price, **kw)
    item = add_item(order, product, qty)
    return order, item, row
