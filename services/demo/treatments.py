"""Demo service categories, services (each with a picture), holidays and delivery tiers."""
import io
import textwrap
from datetime import date, timedelta

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from models import (DeliveryTier, Holiday, Service, ServiceCategory, ServiceImage, clinic_now,
                    db)
from services.engine import gallery
from services.treatments.tiers import overlapping_tier
from services.uploads import save_image

CATEGORIES = [
    # name, code, colour
    ("Konsultasi", "KNS", "#0D6EFD"),
    ("Perawatan Wajah", "PWJ", "#20C997"),
    ("Peeling", "PLG", "#FD7E14"),
    ("Laser", "LSR", "#6F42C1"),
    ("Injeksi & Estetika", "INJ", "#D63384"),
    ("Bedah Kulit Minor", "BKM", "#DC3545"),
]

SERVICES = [
    # name, category code, price (rupiah), duration (minutes), available, description
    ("Konsultasi Dokter Spesialis Kulit", "KNS", 250_000, 30, True,
     "<p>Pemeriksaan dan konsultasi keluhan kulit, rambut dan kuku dengan dokter spesialis "
     "dermatologi dan venereologi (Sp.DV).</p>"),
    ("Konsultasi Kulit Anak", "KNS", 275_000, 30, True,
     "<p>Konsultasi dermatitis atopik, ruam popok dan keluhan kulit anak lainnya.</p>"),
    ("Konsultasi Online Dokter Kulit", "KNS", 150_000, 20, True,
     "<p>Konsultasi melalui aplikasi; sertakan foto keluhan kulit yang jelas.</p>"),
    ("Acne Facial", "PWJ", 350_000, 60, True,
     "<p>Pembersihan wajah mendalam, ekstraksi komedo dan masker penenang untuk kulit "
     "berjerawat.</p>"),
    ("Facial Brightening", "PWJ", 400_000, 60, True,
     "<p>Facial dengan serum vitamin C untuk kulit kusam dan warna kulit tidak merata.</p>"),
    ("Microdermabrasi", "PWJ", 450_000, 45, True,
     "<p>Pengelupasan lapisan kulit mati dengan kristal halus untuk tekstur kulit yang lebih "
     "halus.</p>"),
    ("Chemical Peeling Glycolic", "PLG", 550_000, 45, True,
     "<p>Peeling asam glikolat untuk kulit kusam, pori besar dan garis halus.</p>"),
    ("Chemical Peeling Salicylic (Jerawat)", "PLG", 600_000, 45, True,
     "<p>Peeling asam salisilat untuk jerawat aktif dan komedo.</p>"),
    ("TCA Peeling", "PLG", 900_000, 60, True,
     "<p>Peeling medium dengan TCA untuk bekas jerawat dangkal dan flek, dikerjakan dokter.</p>"),
    ("Laser Rejuvenation", "LSR", 1_500_000, 60, True,
     "<p>Laser untuk merangsang kolagen: kulit lebih kencang dan cerah.</p>"),
    ("Laser Q-Switch Flek Hitam", "LSR", 1_750_000, 45, True,
     "<p>Laser Nd:YAG Q-switched untuk melasma, flek dan noda hitam.</p>"),
    ("Laser CO2 Fractional Bekas Jerawat", "LSR", 2_500_000, 90, True,
     "<p>Laser fraksional untuk bopeng bekas jerawat; termasuk krim anestesi.</p>"),
    ("Laser Hair Removal Ketiak", "LSR", 800_000, 30, False,
     "<p>Penghilangan rambut ketiak dengan laser diode (sementara tidak tersedia).</p>"),
    ("Injeksi Botulinum Toxin", "INJ", 3_500_000, 30, True,
     "<p>Injeksi untuk kerutan dahi, glabella dan kaki gagak.</p>"),
    ("Filler Hyaluronic Acid", "INJ", 4_500_000, 45, True,
     "<p>Filler asam hialuronat untuk hidung, dagu atau bibir.</p>"),
    ("Skin Booster", "INJ", 2_500_000, 45, True,
     "<p>Injeksi asam hialuronat ringan untuk hidrasi kulit dari dalam.</p>"),
    ("Eksisi Tahi Lalat dan Skin Tag", "BKM", 750_000, 45, True,
     "<p>Pengangkatan tahi lalat atau skin tag dengan anestesi lokal.</p>"),
    ("Kauterisasi Kutil", "BKM", 500_000, 30, True,
     "<p>Pengangkatan kutil dengan elektrokauter.</p>"),
]

# National holidays whose date depends on the lunar or lunisolar calendars, as fixed by the
# joint ministerial decree (SKB) for 2026; for 2027 the decree is not out yet, so the Islamic
# and Buddhist dates are the astronomical estimates (marked "perkiraan"). Fixed-date holidays
# and those that follow Easter are computed for any year (see national_holidays).
LUNAR_HOLIDAYS = {
    date(2026, 1, 16): "Isra Mikraj Nabi Muhammad SAW",
    date(2026, 2, 17): "Tahun Baru Imlek 2577 Kongzili",
    date(2026, 3, 19): "Hari Suci Nyepi Tahun Baru Saka 1948",
    date(2026, 3, 21): "Hari Raya Idul Fitri 1447 H",
    date(2026, 3, 22): "Hari Raya Idul Fitri 1447 H (hari kedua)",
    date(2026, 5, 27): "Hari Raya Idul Adha 1447 H",
    date(2026, 5, 31): "Hari Raya Waisak 2570 BE",
    date(2026, 6, 16): "Tahun Baru Islam 1448 H",
    date(2026, 8, 25): "Maulid Nabi Muhammad SAW",
    date(2027, 1, 6): "Isra Mikraj Nabi Muhammad SAW (perkiraan)",
    date(2027, 2, 6): "Tahun Baru Imlek 2578 Kongzili",
    date(2027, 3, 10): "Hari Raya Idul Fitri 1448 H (perkiraan)",
    date(2027, 3, 11): "Hari Raya Idul Fitri 1448 H (hari kedua, perkiraan)",
    date(2027, 5, 17): "Hari Raya Idul Adha 1448 H (perkiraan)",
    date(2027, 5, 20): "Hari Raya Waisak 2571 BE (perkiraan)",
    date(2027, 6, 6): "Tahun Baru Islam 1449 H (perkiraan)",
    date(2027, 8, 15): "Maulid Nabi Muhammad SAW (perkiraan)",
}

TIERS = [
    # from km, to km, price per km
    (0, 5, 15_000),
    (5, 10, 12_000),
    (10, 20, 10_000),
]
HOLIDAY_HORIZON_DAYS = 365


def easter_sunday(year: int) -> date:
    """Easter Sunday of a year (Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month = (h + weekday_shift - 7 * m + 114) // 31
    day = (h + weekday_shift - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def national_holidays(year: int) -> dict:
    """Indonesian national holidays of a year: the fixed ones, those following Easter, and
    the lunar ones known for that year."""
    easter = easter_sunday(year)
    result = {
        date(year, 1, 1): f"Tahun Baru {year} Masehi",
        easter - timedelta(days=2): "Wafat Yesus Kristus",
        easter: "Kebangkitan Yesus Kristus (Paskah)",
        date(year, 5, 1): "Hari Buruh Internasional",
        easter + timedelta(days=39): "Kenaikan Yesus Kristus",
        date(year, 6, 1): "Hari Lahir Pancasila",
        date(year, 8, 17): "Hari Proklamasi Kemerdekaan Republik Indonesia",
        date(year, 12, 25): "Hari Raya Natal",
    }
    result.update({day: name for day, name in LUNAR_HOLIDAYS.items() if day.year == year})
    return result


def upcoming_holidays(today: date, days: int = HOLIDAY_HORIZON_DAYS) -> list[tuple[date, str]]:
    """The national holidays from today to `days` ahead, in date order."""
    end = today + timedelta(days=days)
    entries = {}
    for year in range(today.year, end.year + 1):
        entries.update(national_holidays(year))
    return sorted((day, name) for day, name in entries.items() if today <= day <= end)


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def demo_picture(title: str, subtitle: str, colour: str, size=(800, 600)) -> FileStorage:
    """A generated picture: the category colour fading to white, with the title on it."""
    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    width, height = size
    image = Image.new("RGB", size, (red, green, blue))
    draw = ImageDraw.Draw(image)
    for row in range(height):
        share = row / height * 0.55
        draw.line([(0, row), (width, row)], fill=(
            int(red + (255 - red) * share), int(green + (255 - green) * share),
            int(blue + (255 - blue) * share)))
    draw.ellipse([width - 260, -120, width + 140, 280], fill=(255, 255, 255))
    draw.ellipse([width - 230, -90, width + 110, 250], fill=(red, green, blue))
    lines = textwrap.wrap(title, width=22)
    top = height // 2 - len(lines) * 30
    for number, line in enumerate(lines):
        draw.text((48, top + number * 60), line, fill=(255, 255, 255), font=_font(52))
    draw.text((48, top + len(lines) * 60 + 16), subtitle, fill=(255, 255, 255), font=_font(30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(stream=buffer, filename="demo.png", content_type="image/png")


def _seed_categories(added) -> dict:
    categories = {}
    for name, code, colour in CATEGORIES:
        row = db.session.execute(select(ServiceCategory).where(
            func.lower(ServiceCategory.codes) == code.lower())).scalars().first()
        if row is None:
            row = ServiceCategory(service_categories=name, codes=code, color=colour, images="")
            db.session.add(row)
            added["service_categories"] += 1
        if not row.images:
            row.images = save_image(demo_picture(row.service_categories, "Colederma",
                                                 row.color, (600, 400)), "service_categories")
        categories[code] = row
    db.session.flush()
    return categories


def _seed_services(added, categories):
    for name, code, price, minutes, available, description in SERVICES:
        service = db.session.execute(select(Service).where(
            Service.services_name == name, Service.deleted_at.is_(None))).scalars().first()
        if service is None:
            service = Service(services_name=name, services_price=price, buffer_time=minutes,
                              is_available=available, services_description=description,
                              id_service_categories=categories[code].id)
            db.session.add(service)
            db.session.flush()
            added["services"] += 1
        has_picture = db.session.execute(select(ServiceImage.id).where(
            ServiceImage.id_services == service.id).limit(1)).first()
        if has_picture is None:
            category = categories[code]
            picture = ServiceImage(id_services=service.id, nomor_urut_tampil=0,
                                   service_image=save_image(demo_picture(
                                       name, category.service_categories, category.color),
                                       "services"))
            db.session.add(picture)
            db.session.flush()
            gallery.make_primary(picture)
            added["service_images"] += 1
    db.session.flush()


def _seed_holidays(added):
    for day, name in upcoming_holidays(clinic_now().date()):
        if db.session.execute(select(Holiday.id).where(Holiday.dates == day)).first():
            continue
        db.session.add(Holiday(dates=day, descriptions=name))
        added["holidays"] += 1
    db.session.flush()


def _seed_tiers(added):
    for start, end, price in TIERS:
        if overlapping_tier(start, end) is not None:
            continue  # the clinic has its own tier here
        db.session.add(DeliveryTier(distance_fr=start, distance_to=end, price_in_km=price,
                                    segment=f"Range dari {start} s.d {end} KM"))
        db.session.flush()
        added["deliveries"] += 1


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
    for key in ("service_categories", "services", "service_images", "holidays", "deliveries"):
        added.setdefault(key, 0)
    categories = _seed_categories(added)
    _seed_services(added, categories)
    _seed_holidays(added)
    _seed_tiers(added)
