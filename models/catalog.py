"""The product catalog: categories, products (menus) with their images, and promotions."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import SoftDeleteMixin, TimestampMixin, db


class MenuCategory(TimestampMixin, db.Model):
    """A product category (Vitamin Booster, Serum …) with a colour chip and an image."""

    __tablename__ = "menu_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    menu_categories: Mapped[str] = mapped_column(String(100))
    codes: Mapped[str] = mapped_column(String(20), unique=True)
    color: Mapped[str] = mapped_column(String(7), default="#6c757d")
    images: Mapped[str] = mapped_column(String(100), default="")


class Menu(TimestampMixin, SoftDeleteMixin, db.Model):
    """A product the clinic sells: medicine, cream, serum …; money in whole rupiah."""

    __tablename__ = "menus"
    __table_args__ = (
        CheckConstraint("harga >= 0", name="harga_not_negative"),
        CheckConstraint("harga_promosi >= 0", name="harga_promosi_not_negative"),
        CheckConstraint("pajak >= 0", name="pajak_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nama_menus: Mapped[str] = mapped_column(String(200), index=True)
    brief: Mapped[str] = mapped_column(Text, default="")
    harga: Mapped[int] = mapped_column(Integer, default=0)
    pajak: Mapped[int] = mapped_column(Integer, default=0)
    is_resep_required: Mapped[bool] = mapped_column(Boolean, default=False)
    harga_promosi: Mapped[int] = mapped_column(Integer, default=0)
    mulai_harga_promosi: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    selesai_harga_promosi: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_featured: Mapped[bool] = mapped_column(Boolean, default=False)
    id_menu_categories_1: Mapped[int | None] = mapped_column(
        ForeignKey("menu_categories.id"), nullable=True, index=True)
    id_menu_categories_2: Mapped[int | None] = mapped_column(
        ForeignKey("menu_categories.id"), nullable=True, index=True)
    id_menu_categories_3: Mapped[int | None] = mapped_column(
        ForeignKey("menu_categories.id"), nullable=True, index=True)
    dosis: Mapped[str] = mapped_column(String(100), default="")
    komposisi: Mapped[str] = mapped_column(Text, default="")
    aturan_pakai: Mapped[str] = mapped_column(Text, default="")
    nomor_registrasi: Mapped[str] = mapped_column(String(100), default="")
    produsen: Mapped[str] = mapped_column(String(150), default="")
    satuan: Mapped[str] = mapped_column(String(30), default="")
    berat: Mapped[int] = mapped_column(Integer, default=0)  # grams, for shipping

    category_1: Mapped[MenuCategory | None] = relationship(foreign_keys=[id_menu_categories_1])
    category_2: Mapped[MenuCategory | None] = relationship(foreign_keys=[id_menu_categories_2])
    category_3: Mapped[MenuCategory | None] = relationship(foreign_keys=[id_menu_categories_3])
    images: Mapped[list["MenuImage"]] = relationship(
        back_populates="menu", order_by="(MenuImage.nomor_urut_tampil, MenuImage.id)")


class MenuImage(TimestampMixin, db.Model):
    """A picture of a product; `primary_of` (the product id, or NULL) keeps one primary each."""

    __tablename__ = "menu_images"
    gallery_owner = "id_menus"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_menus: Mapped[int] = mapped_column(ForeignKey("menus.id"), index=True)
    menu_image: Mapped[str] = mapped_column(String(100), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    primary_of: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    nomor_urut_tampil: Mapped[int] = mapped_column(Integer, default=0)

    menu: Mapped[Menu] = relationship(back_populates="images")


class Promotion(TimestampMixin, db.Model):
    """A discount code: rupiah off (NOMINAL/POTONGAN) or percent off (PERSEN), with a quota."""

    __tablename__ = "promotions"
    __table_args__ = (
        CheckConstraint("quota >= 0", name="quota_not_negative"),
        CheckConstraint("used >= 0 AND used <= quota", name="used_within_quota"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_menu: Mapped[int | None] = mapped_column(ForeignKey("menus.id"), nullable=True)
    type: Mapped[str] = mapped_column(String(10))
    value: Mapped[int] = mapped_column(Integer, default=0)
    quota: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[int] = mapped_column(Integer, default=0)
    start_datetime: Mapped[datetime] = mapped_column(DateTime)
    expired_datetime: Mapped[datetime] = mapped_column(DateTime)
    display_codes: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    img_promotions: Mapped[str] = mapped_column(String(100), default="")

