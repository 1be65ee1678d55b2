"""Order codes and queue numbers, each taken from its prefix's counter row."""
import re

from sqlalchemy import select, update

from models import Order, OrderCodeCounter, clinic_now, db


def assign_code(order: Order):
    """Give the order its code ("E-20231104-003") unless it has one."""
    if order.order_code:
        return
    prefix = f"{order.order_type}-{clinic_now():%Y%m%d}-"
    order.order_code = f"{prefix}{next_code_number(prefix):03d}"


def next_code_number(prefix: str) -> int:
    """The next order number for a code prefix ("E-20231104-"), taken from its counter row.
    The row stays locked until the transaction ends, so concurrent checkouts of the same
    type and day wait for each other here and never get the same number; a rolled-back
    checkout gives its number back. A new row starts after the codes already given (orders
    made before the counter existed, imported or demo data)."""
    counter = OrderCodeCounter.__table__
    taken = db.session.execute(update(counter).where(counter.c.prefix == prefix)
                               .values(last_number=counter.c.last_number + 1)).rowcount
    if not taken:
        codes = db.session.execute(select(Order.order_code).where(
            Order.order_code.like(f"{prefix}%"))).scalars()
        start = max((int(code[len(prefix):]) for code in codes
                     if re.fullmatch(r"\d+", code[len(prefix):])), default=0) + 1
        db.session.execute(_upsert_counter(prefix, start))  # a concurrent first one counts on
    return db.session.execute(select(counter.c.last_number)
                              .where(counter.c.prefix == prefix)).scalar_one()


def _upsert_counter(prefix: str, start: int):
    """INSERT the counter row at `start`, or add one to it if a concurrent checkout inserted
    it first: one atomic statement (an INSERT then an UPDATE would deadlock under MariaDB's
    shared locks on the duplicate key)."""
    counter = OrderCodeCounter.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
        return insert(counter).values(prefix=prefix, last_number=start).on_conflict_do_update(
            index_elements=[counter.c.prefix],
            set_={"last_number": counter.c.last_number + 1})
    from sqlalchemy.dialects.mysql import insert
    return insert(counter).values(prefix=prefix, last_number=start).on_duplicate_key_update(
        last_number=counter.c.last_number + 1)
