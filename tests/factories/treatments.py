"""Factories of service categories, services, service images, holidays and delivery tiers."""
import io
import itertools
from datetime import date, timedelta

from PIL import Image
from werkzeug.datastructures import FileStorage

from models import DeliveryTier, Holiday, Service, ServiceCategory, ServiceImage, db

from . import FACTORIES, VALID_CREATE

_counter = itertools.count(1)


def picture_file(colour=(30, 120, 200), size=(48, 36), name="foto.png"):
    """A real small PNG as an uploaded file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(stream=buffer, filename=name, content_type="image/png")


def make_service_category(**kw):
    """A service category."""
    number = next(_counter)
    values = {"service_categories": f"Kategori {number}", "codes": f"KT{number}",
              "color": "#0D6EFD", "images": ""}
    values.update(kw)
    row = ServiceCategory(**values)
    db.session.add(row)
    db.session.commit()
    return row


def make_service(category=None, **kw):
    """An available service (30 minutes, Rp 150.000) in a category."""
    number = next(_counter)
    values = {"services_name": f"Layanan {number}", "services_price": 150000,
              "services_description": "<p>Perawatan kulit</p>", "buffer_time": 30,
              "is_available": True}
    values.update(kw)
    if "id_service_categories" not in values:
        values["id_service_categories"] = (category or make_service_category()).id
    row = Service(**values)
    db.session.add(row)
    db.session.commit()
    return row


def make_service_image(service=None, primary=None, **kw):
    """A stored picture of a service; the first picture of a service becomes its primary."""
    from services.engine import gallery
    from services.uploads import save_image

    service = service or make_service()
    name = save_image(picture_file(), "services")
    existing = db.session.query(ServiceImage).filter_by(id_services=service.id).count()
    values = {"id_services": service.id, "service_image": name, "nomor_urut_tampil": existing}
    values.update(kw)
    row = ServiceImage(**values)
    db.session.add(row)
    db.session.flush()
    if primary or (primary is None and existing == 0):
        gallery.make_primary(row)
    db.session.commit()
    return row


def make_holiday(**kw):
    """A holiday on a date no other factory holiday uses."""
    number = next(_counter)
    values = {"dates": date(2030, 1, 1) + timedelta(days=number),
              "descriptions": f"Libur {number}"}
    values.update(kw)
    row = Holiday(**values)
    db.session.add(row)
    db.session.commit()
    return row


def make_delivery_tier(**kw):
    """A 10 km tier that does not overlap the other factory tiers."""
    number = next(_counter) % 900
    start = 1000 + number * 10
    values = {"distance_fr": start, "distance_to": start + 10,
              "segment": f"Range dari {start} s.d {start + 10} KM", "price_in_km": 5000}
    values.update(kw)
    row = DeliveryTier(**values)
    db.session.add(row)
    db.session.commit()
    return row


FACTORIES.update({"service_categories": make_service_category, "services": make_service,
                  "service_images": make_service_image, "holidays": make_holiday,
                  "deliveries": make_delivery_tier})

VALID_CREATE.update({
    "service_categories": lambda: {"service_categories": "Obat Alergi", "codes": "OA01",
                                   "color": "#002121"},
    "services": lambda: {"services_name": "Cek kolestrol dan gula darah",
                         "services_price": "100000",
                         "services_description": "Cek kolestrol dan gula darah",
                         "buffer_time": "30", "is_available": 1,
                         "id_service_categories": str(make_service_category().id)},
    # multipart: the picture itself is added by whoever sends it (see file_inputs)
    "service_images": lambda: {"id_services": str(make_service().id)},
    "holidays": lambda: {"dates": "25/12/2031", "descriptions": "Hari Raya Natal"},
    "deliveries": lambda: {"distance_fr": 0, "distance_to": "5",
                           "segment": "Range dari 0 s.d 5 KM", "price_in_km": "15000"},
})
