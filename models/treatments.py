"""The clinic's services (treatments) with categories and images."""
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import SoftDeleteMixin, TimestampMixin, db


class ServiceCategory(TimestampMixin, db.Model):
    """A category of treatments, with a colour chip and an image."""

    __tablename__ = "service_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_categories: Mapped[str] = mapped_column(String(100))
    codes: Mapped[str] = mapped_column(String(20), unique=True)
    color: Mapped[str] = mapped_column(String(7), default="#6c757d")
    images: Mapped[str] = mapped_column(String(100), default="")


class Service(TimestampMixin, SoftDeleteMixin, db.Model):
    """A treatment; `buffer_time` is its duration in minutes."""

    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("services_price >= 0", name="price_not_negative"),
        CheckConstraint("buffer_time >= 0", name="duration_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    services_name: Mapped[str] = mapped_column(String(150), index=True)
    services_price: Mapped[int] = mapped_column(Integer, default=0)
    services_description: Mapped[str] = mapped_column(Text, default="")
    buffer_time: Mapped[int] = mapped_column(Integer, default=30)
    is_available: Mapped[bool] = mapped_column(Boolean, default=True)
    id_service_categories: Mapped[int | None] = mapped_column(
        ForeignKey("service_categories.id"), nullable=True, index=True)

    category: Mapped[ServiceCategory | None] = relationship()
    images: Mapped[list["ServiceImage"]] = relationship(
        back_populates="service", order_by="(ServiceImage.nomor_urut_tampil, ServiceImage.id)")


class ServiceImage(TimestampMixin, db.Model):
    """A picture of a treatment; `primary_of` keeps one primary per service."""

    __tablename__ = "service_images"
    gallery_owner = "id_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_services: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    service_image: Mapped[str] = mapped_column(String(100), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    primary_of: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    nomor_urut_tampil: Mapped[int] = mapped_column(Integer, default=0)

    service: Mapped[Service] = relationship(back_populates="images")
