"""Demo categories, products with pictures, promotions (from the document's examples)."""
import io
from datetime import timedelta

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from models import Menu, MenuCategory, MenuImage, Promotion, clinic_now, db
from services.uploads import save_image

CATEGORIES = [
    # name, code, colour
    ("Vitamin Booster", "VB", "#000AAF"),
    ("Night Cream", "NC", "#6F42C1"),
    ("Serum", "SR", "#198754"),
    ("Acne Care", "AC", "#DC3545"),
    ("Brightening", "BR", "#FD7E14"),
    ("Anti Aging", "AA", "#0AA2C0"),
]

NIGHT_CREAM_USE = ("<p>Take a sufficient amount and apply it evenly to your entire cleansed "
                   "face. Use it regularly at night after applying the Age Corrector Serum.</p>")
PRODUCTS = [
    {"nama_menus": "Acne Night Cream", "harga": 87706, "is_resep_required": True,
     "is_featured": True, "categories": ("NC", "AC"), "dosis": "5", "satuan": "Jar",
     "berat": 30, "nomor_registrasi": "RN-010", "produsen": "Iora",
     "brief": "<p>Helps in controlling excess oil, refining the pores, and treats acne-prone "
              "skin.</p>",
     "komposisi": "<p>Niacinamide, Arbutin, Amino Acid, Chromabright, Titanium Dioxide, "
                  "Panthenol, Shea Butter, Trehalose, Allantoin, Bisabolol dari bunga "
                  "Chamomile</p>",
     "aturan_pakai": NIGHT_CREAM_USE},
    {"nama_menus": "Age Corrector Night Cream", "harga": 160972, "is_resep_required": True,
     "is_featured": True, "categories": ("NC", "AA"), "dosis": "12", "satuan": "Jar",
     "berat": 30, "nomor_registrasi": "RN-002", "produsen": "Iora",
     "brief": "<p>Helps brighten and disguise black spots, fine lines and wrinkles for a "
              "firmer, healthier and brighter appearance.</p>",
     "komposisi": "<p>Niacinamide &amp; Phytosqualane</p>",
     "aturan_pakai": NIGHT_CREAM_USE},
    {"nama_menus": "Brightening Night Cream", "harga": 176191, "is_resep_required": False,
     "is_featured": True, "categories": ("NC", "BR"), "dosis": "3", "satuan": "Jar",
     "berat": 30, "nomor_registrasi": "RN-006", "produsen": "Iora", "promo": 149000,
     "brief": "<p>Helps disguise black spots, moisturizes and nourishes facial skin.</p>",
     "komposisi": "<p>Niacinamide, Arbutin, Amino Acid, Chromabright, Titanium Dioxide, "
                  "Panthenol, Shea Butter, Trehalose, Glychospere Papain/Papaya Enzyme, "
                  "Allantoin, Bunga Water Lily, Bisabolol dari bunga Chamomile</p>",
     "aturan_pakai": "<p>Use regularly at night after cleansing your face and after using "
                     "serum.</p>"},
    {"nama_menus": "Brightening Pore Serum", "harga": 105802, "is_resep_required": False,
     "is_featured": False, "categories": ("SR", "BR"), "dosis": "5", "satuan": "Botol",
     "berat": 20, "nomor_registrasi": "RN-005", "produsen": "Iora",
     "brief": "<p>Helps brighten, blur the pores, and nourish facial skin.</p>",
     "komposisi": "<ul><li>Niacinamide &amp; TXA</li><li>Zinc Gluconate &amp; Willow Bark "
                  "Extract</li><li>AHA, PHA &amp; BHA</li></ul>",
     "aturan_pakai": "<p>Apply with a cotton pad or the palm of your hand to your entire "
                     "cleansed face until fully absorbed. For optimal results, use it in the "
                     "morning and evening.</p>"},
    {"nama_menus": "Art Peel Booster Serum", "harga": 125000, "is_resep_required": False,
     "is_featured": True, "categories": ("SR", "VB"), "dosis": "2 tetes", "satuan": "Botol",
     "berat": 20, "nomor_registrasi": "RN-011", "produsen": "Iora",
     "brief": "<p>Perawatan lanjutan di rumah setelah tindakan <b>Art Peel</b> di klinik: "
              "menenangkan dan menjaga kelembapan kulit.</p>",
     "komposisi": "<p>Centella Asiatica, Panthenol, Hyaluronic Acid, Ceramide NP</p>",
     "aturan_pakai": "<ol><li>Bersihkan wajah.</li><li>Teteskan 2 tetes, ratakan.</li>"
                     "<li>Gunakan pagi dan malam selama 7 hari setelah peeling.</li></ol>"},
    {"nama_menus": "SKINTIFIC Cream Vit C", "harga": 23000, "is_resep_required": False,
     "is_featured": True, "categories": ("VB",), "dosis": "3mg", "satuan": "gram",
     "berat": 380, "nomor_registrasi": "NA18230100123", "produsen": "PT Skintific",
     "brief": "<p>Kulit kencang mulus terawat tak terlupakan.</p>",
     "komposisi": "<p>Vitamin C (Ascorbic Acid), Niacinamide, Glycerin</p>",
     "aturan_pakai": "<p>Malam sebelum tidur.</p>"},
    {"nama_menus": "Chizu Cream Kulit", "harga": 100000, "is_resep_required": False,
     "is_featured": False, "categories": ("VB",), "dosis": "3mg", "satuan": "gram",
     "berat": 50, "nomor_registrasi": "NA18230100456", "produsen": "PT Chizu Indonesia",
     "brief": "<p>Chizu Cream Kulit untuk kulit kering dan kusam.</p>",
     "komposisi": "<p>Ceramide, Squalane, Shea Butter</p>",
     "aturan_pakai": "<p>Oleskan tipis pada kulit yang bersih, pagi dan malam.</p>"},
    {"nama_menus": "Sunscreen Daily Protection SPF 50", "harga": 95000,
     "is_resep_required": False, "is_featured": False, "categories": ("BR",), "dosis": "-",
     "satuan": "Tube", "berat": 40, "nomor_registrasi": "RN-014", "produsen": "Iora",
     "brief": "<p>Tabir surya ringan, tidak lengket, PA++++.</p>",
     "komposisi": "<p>Zinc Oxide, Titanium Dioxide, Niacinamide</p>",
     "aturan_pakai": "<p>Gunakan 15 menit sebelum terpapar matahari; ulangi setiap 2–3 jam.</p>"},
]

PROMOTIONS = [
    # code, title, type, value, quota, used, start offset (days), length (days), description
    ("ULTAH5TH", "Diskon Ulang Tahun!", "POTONGAN", 25000, 1000, 137, -7, 60,
     "<p>Diskon ulang tahun Colederma spesial: potongan Rp 25.000 untuk semua produk.</p>"),
    ("MERDEKA17", "Promo Kemerdekaan 17%", "PERSEN", 17, 500, 500, -120, 14,
     "<p>Potongan 17% untuk perawatan kulit di bulan kemerdekaan.</p>"),
]


def picture(label: str, colour: str, caption: str = "", size=(640, 480)) -> FileStorage:
    """A simple product picture: the colour, a jar shape and the label (PNG, in memory)."""
    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    image = Image.new("RGB", size, (red, green, blue))
    draw = ImageDraw.Draw(image)
    width, height = size
    light = tuple(min(255, part + 150) for part in (red, green, blue))
    draw.rounded_rectangle((width * 0.33, height * 0.18, width * 0.67, height * 0.30),
                           radius=12, fill=(245, 245, 245))
    draw.rounded_rectangle((width * 0.28, height * 0.28, width * 0.72, height * 0.70),
                           radius=28, fill=light)
    title = ImageFont.load_default(size=max(18, width // 22))
    small = ImageFont.load_default(size=max(14, width // 34))
    words, lines = label.split(), [""]
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if draw.textlength(candidate, font=title) > width * 0.9 and lines[-1]:
            lines.append(word)
        else:
            lines[-1] = candidate
    top = height * 0.74
    for line in lines[:2]:
        draw.text((width / 2, top), line, font=title, fill=(255, 255, 255), anchor="ma")
        top += title.size + 6
    if caption:
        draw.text((width / 2, height * 0.08), caption, font=small, fill=(255, 255, 255),
                  anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(buffer, filename=f"{label}.png", content_type="image/png")


def _categories(added):
    found = {}
    for name, code, colour in CATEGORIES:
        row = db.session.execute(select(MenuCategory).where(
            func.upper(MenuCategory.codes) == code)).scalars().first()
        if row is None:
            row = MenuCategory(menu_categories=name, codes=code, color=colour,
                               images=save_image(picture(name, colour, code, (320, 320)),
                                                 "menu_categories"))
            db.session.add(row)
            added["menu_categories"] += 1
        found[code] = row
    db.session.flush()
    return found


def _products(categories, added):
    now = clinic_now()
    for spec in PRODUCTS:
        menu = db.session.execute(select(Menu).where(
            Menu.nama_menus == spec["nama_menus"], Menu.deleted_at.is_(None))).scalars().first()
        chosen = [categories[code] for code in spec["categories"]]
        if menu is None:
            values = {key: value for key, value in spec.items()
                      if key not in ("categories", "promo")}
            menu = Menu(**values)
            for slot, category in zip((1, 2, 3), chosen):
                setattr(menu, f"id_menu_categories_{slot}", category.id)
            if spec.get("promo"):
                menu.harga_promosi = spec["promo"]
                menu.mulai_harga_promosi = (now - timedelta(days=3)).replace(hour=0, minute=0,
                                                                             second=0)
                menu.selesai_harga_promosi = (now + timedelta(days=27)).replace(
                    hour=23, minute=59, second=0)
            db.session.add(menu)
            db.session.flush()
            added["menus"] += 1
        has_images = db.session.execute(select(MenuImage.id).where(
            MenuImage.id_menus == menu.id).limit(1)).first()
        if has_images:
            continue
        colour = chosen[0].color
        second = chosen[-1].color
        for number, (tint, caption) in enumerate(((colour, "Kemasan"), (second, "Tekstur"))):
            name = save_image(picture(spec["nama_menus"], tint, caption), "menus")
            db.session.add(MenuImage(id_menus=menu.id, menu_image=name, nomor_urut_tampil=number,
                                     is_primary=number == 0,
                                     primary_of=menu.id if number == 0 else None))
            added["menu_images"] += 1
    db.session.flush()


def _promotions(added):
    now = clinic_now().replace(hour=0, minute=0, second=0)
    for code, title, kind, value, quota, used, offset, days, description in PROMOTIONS:
        if db.session.execute(select(Promotion.id).where(
                func.upper(Promotion.display_codes) == code)).first():
            continue
        start = now + timedelta(days=offset)
        db.session.add(Promotion(
            type=kind, value=value, quota=quota, used=used, start_datetime=start,
            expired_datetime=start + timedelta(days=days, hours=23, minutes=59),
            display_codes=code, title=title, description=description,
            img_promotions=save_image(picture(title, "#D63384" if kind == "PERSEN" else "#0D6EFD",
                                              code, (800, 400)), "promotions")))
        added["promotions"] += 1
    db.session.flush()


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
    for key in ("menu_categories", "menus", "menu_images", "promotions"):
        added.setdefault(key, 0)
    categories = _categories(added)
    _products(categories, added)
    _promotions(added)
