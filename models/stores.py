"""Stores (brandstore): the clinic's branches, the products each sells and their stock."""
from datetime import datetime, time

from sqlalchemy import (Boolean, CheckConstraint, DateTime, Double, ForeignKey, Integer, String,
                        Time, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import SoftDeleteMixin, TimestampMixin, clinic_now, db
from .catalog import Menu


class Store(TimestampMixin, SoftDeleteMixin, db.Model):
    """A branch with its address, opening hours and coordinates."""

    __tablename__ = "brandstore"

    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(150))
    alamat: Mapped[str] = mapped_column(String(255), default="")
    notelp: Mapped[str] = mapped_column(String(30), default="")
    opentime: Mapped[time | None] = mapped_column(Time, nullable=True)
    closetime: Mapped[time | None] = mapped_column(Time, nullable=True)
    city: Mapped[str] = mapped_column(String(100), default="", index=True)
    lat: Mapped[float] = mapped_column(Double(), default=0)
    lng: Mapped[float] = mapped_column(Double(), default=0)
    is_show: Mapped[bool] = mapped_column(Boolean, default=True)
    groupname: Mapped[str] = mapped_column(String(50), default="")


class StoreMenu(TimestampMixin, db.Model):
    """A product offered at a store (once per store)."""

    __tablename__ = "brandstore_menus"
    __table_args__ = (UniqueConstraint("idmenu", "idbrandstore"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idmenu: Mapped[int] = mapped_column(ForeignKey("menus.id"), index=True)
    idbrandstore: Mapped[int] = mapped_column(ForeignKey("brandstore.id"), index=True)

    menu: Mapped[Menu] = relationship()
    store: Mapped[Store] = relationship()
    stock: Mapped["StoreMenuStock | None"] = relationship(
        back_populates="store_menu", cascade="all, delete-orphan", uselist=False)


class StoreMenuStock(db.Model):
    """Stock of a product at a store; changed only by conditional updates (never below 0)."""

    __tablename__ = "brandstore_menu_stocks"
    __table_args__ = (CheckConstraint("quantitytotal >= 0", name="quantity_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idbrandstoremenus: Mapped[int] = mapped_column(
        ForeignKey("brandstore_menus.id", ondelete="CASCADE"), unique=True)
    quantitytotal: Mapped[int] = mapped_column(Integer, default=0)
    datetimeupdateat: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)

    store_menu: Mapped[StoreMenu] = relationship(back_populates="stock")
