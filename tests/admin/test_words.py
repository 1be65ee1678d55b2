"""Words people use (issue 9, item 5): roles and statuses in Bahasa Indonesia, the audit log as
sentences, promotion kinds explained, the Peran screen of people, the rich-text editor on
every rich-text field."""
import pathlib
import re

import pytest

from models import Log, db
from services.access import ROLE_LABELS, role_choices, role_label, role_labels
from services.format import show
from services.stores import operations as stores
from tests.admin.test_admin import signed_in
from tests.conftest import count_queries, make_log, make_role, make_static_content, make_user
from tests.factories.appointments import make_appointment
from tests.factories.catalog import make_promotion
from tests.factories.doctors import make_doctor
from tests.factories.patients import make_doctor_account, make_patient
from tests.factories.stores import make_product, make_store, make_store_menu

ROOT = pathlib.Path(__file__).resolve().parents[2]


def sentence(entry):
    """The screen's sentence of one entry (imported once the app has declared resources)."""
    from blueprints.audit_lines import sentence as one
    return one(entry)


# ---- role labels ---------------------------------------------------------------------------
def test_every_role_has_its_indonesian_name():
    assert ROLE_LABELS == {"OWNER": "Pemilik", "ADMIN": "Admin", "USERS": "Staf",
                           "DOCTOR": "Dokter", "CUSTOMER": "Pelanggan"}
    assert role_label("OWNER") == "Pemilik" and role_label("BARU") == "BARU"
    assert role_labels({"CUSTOMER", "OWNER", "DOCTOR"}) == ["Pemilik", "Dokter", "Pelanggan"]
    assert role_choices()[0] == ("OWNER", "Pemilik")
    assert show([{"role_codes": "USERS"}, {"role_codes": "DOCTOR"}]) == "Staf, Dokter"


def _no_code_between_tags(html, code):
    return re.search(rf">\s*{code}\s*<", html) is None


def test_user_screens_show_role_names_not_codes(client, auth):
    owner = signed_in(auth, client, roles=("OWNER",))
    make_user(roles=("DOCTOR", "CUSTOMER"), username="rina")
    listing = client.get("/admin/users/").get_data(as_text=True)
    detail = client.get(f"/admin/users/{owner.id}").get_data(as_text=True)
    form = client.get(f"/admin/users/{owner.id}/edit").get_data(as_text=True)
    for html in (listing, detail):
        assert ">Pemilik<" in html
        for code in ("OWNER", "DOCTOR", "CUSTOMER"):
            assert _no_code_between_tags(html, code), code
    assert "(Pemilik)" in detail  # the user menu
    assert ">Dokter<" in listing and ">Pelanggan<" in listing
    # the form's role boxes and the list's role filter: words shown, codes sent
    assert re.search(r'value="OWNER"[^>]*>\s*<label[^>]*>Pemilik</label>', form)
    assert '<option value="DOCTOR" >Dokter</option>' in listing.replace("  ", " ")
    filtered = client.get("/admin/users/?role_codes=DOCTOR").get_data(as_text=True)
    assert "rina" in filtered and f">{owner.username}<" not in filtered


def test_api_keeps_role_codes(client, auth):
    owner = make_user(roles=("OWNER",))
    body = client.get(f"/api/users/{owner.id}", headers=auth.headers(owner)).get_json()
    assert "OWNER" in str(body) and "Pemilik" not in str(body)


def test_owner_refusals_name_the_role_in_words(client, auth):
    signed_in(auth, client, roles=("ADMIN",))
    owner = make_user(roles=("OWNER",))
    response = client.get(f"/admin/users/{owner.id}/password")
    page = client.post(f"/admin/users/{owner.id}/password", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                response.get_data(as_text=True)).group(1),
        "new_password": "rahasia-baru-1", "new_password_confirm": "rahasia-baru-1"})
    assert "Hanya Pemilik yang dapat" in page.get_data(as_text=True)


# ---- the Peran screen ----------------------------------------------------------------------
def test_roles_screen_lists_people_once_with_their_roles(client, auth):
    signed_in(auth, client, roles=("OWNER",))
    both = make_user(roles=("DOCTOR", "USERS"), username="ganda", users_fullname="Dr. Ganda")
    make_user(roles=("CUSTOMER",), username="pelanggan1")
    html = client.get("/admin/roles/").get_data(as_text=True)
    row = re.search(rf'<tr id="person-{both.id}">(.*?)</tr>', html, re.S).group(1)
    assert html.count(f'id="person-{both.id}"') == 1
    assert "Dr. Ganda" in row and "ganda" in row
    assert ">Staf<" in row and ">Dokter<" in row and "USERS" not in row
    assert f'href="/admin/users/{both.id}"' in row
    assert f'href="/admin/users/{both.id}/edit#f-roles"' in row  # roles are ticked there
    only_doctors = client.get("/admin/roles/?role_codes=DOCTOR").get_data(as_text=True)
    assert "ganda" in only_doctors and "pelanggan1" not in only_doctors
    partial = client.get("/admin/roles/?q=ganda", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True)
    assert "pelanggan1" not in partial.get_data(as_text=True)


def test_roles_screen_is_for_who_may_read_roles(client, auth):
    signed_in(auth, client, roles=("USERS",))
    assert client.get("/admin/roles/").status_code == 403


def test_role_row_page_names_the_role(client, auth):
    signed_in(auth, client, roles=("OWNER",))
    role = make_role(rolecodes="DOCTOR")
    html = client.get(f"/admin/roles/{role.id}").get_data(as_text=True)
    assert "Dokter" in html


# ---- audit sentences -----------------------------------------------------------------------
def _entry(action, object_type="", object_id=None, descriptions="", actor=None, **kw):
    return make_log(action=action, object_type=object_type, object_id=object_id,
                    descriptions=descriptions, id_users=actor.id if actor else None,
                    username=kw.pop("username", actor.username if actor else ""), **kw)


@pytest.fixture
def people():
    owner = make_user(roles=("OWNER",), username="owner")
    doctor = make_doctor_account(username="markus", users_fullname="Markus Rahardjo")
    return owner, doctor


def test_generic_changes_read_as_sentences(people):
    owner, _ = people
    rina = make_user(username="rina")
    assert sentence(_entry("create", "users", rina.id, "rina", owner)) == \
        "Pengguna rina dibuat oleh owner"
    assert sentence(_entry("create", "users", rina.id, "rina", username="")) == \
        "Pengguna rina mendaftar sendiri"
    assert sentence(_entry("update", "users", rina.id, "rina: users_fullname, users_phone",
                           owner)) == "Pengguna rina diubah oleh owner (Nama lengkap, Telepon)"
    assert sentence(_entry("update", "menu_images", 4, "Serum: urutan naik", owner)) == \
        "Gambar produk Serum diubah oleh owner (urutan naik)"
    assert sentence(_entry("delete", "roles", 9, "rina:DOCTOR", owner)) == \
        "Peran rina:DOCTOR dihapus oleh owner"
    promotion = make_promotion(display_codes="ULTAH5TH")
    assert sentence(_entry("upload", "promotions", promotion.id, "abc.webp", owner)) == \
        "Gambar promosi ULTAH5TH diganti oleh owner"


def test_stock_reads_with_product_and_store(people):
    owner, _ = people
    row = make_store_menu(menu=make_product(nama_menus="Acne Night Cream"),
                          store=make_store(nama="IORA Dago"), quantity=5)
    stores.adjust_stock(row, -1, owner)
    stores.set_stock(row, 7, owner)
    entries = db.session.query(Log).filter(Log.action.like("stock%")).order_by(Log.id).all()
    assert [sentence(entry) for entry in entries] == [
        "Stok Acne Night Cream di IORA Dago −1 oleh owner",
        "Stok Acne Night Cream di IORA Dago diatur menjadi 7 oleh owner"]
    assert sentence(_entry("duplicate", "brandstore_menus", 99,
                           "Acne Night Cream @ IORA Dago dari #3", owner)) == \
        "Produk toko Acne Night Cream di IORA Dago disalin oleh owner (dari #3)"


def test_appointments_read_as_sentences(people):
    owner, _ = people
    appointment = make_appointment(patient=make_patient(nama_lengkap_pasien="Rita Ambar"))
    when = f"{appointment.tanggal:%d/%m/%Y} {appointment.jam:%H:%M}"
    number = appointment.id
    assert sentence(_entry("book", "user_schedules", number, f"Rita Ambar {when}", owner)) == \
        f"Janji temu #{number} dipesan oleh owner: Rita Ambar {when}"
    subject = f"Janji temu #{number} (Rita Ambar · {when})"
    assert sentence(_entry("cancel", "user_schedules", number, "Pasien sakit", owner)) == \
        f"{subject} dibatalkan oleh owner: Pasien sakit"
    assert sentence(_entry("arrived", "user_schedules", number, "", owner)) == \
        f"{subject} ditandai datang oleh owner"
    assert sentence(_entry("done", "user_schedules", number, "INV-1", owner)) == \
        f"{subject} diselesaikan oleh owner (invoice INV-1)"
    assert sentence(_entry("reschedule", "user_schedules", number,
                           "01/02/2026 09:00 -> 03/02/2026 10:00", owner)) == \
        f"{subject} dijadwalkan ulang oleh owner: 01/02/2026 09:00 → 03/02/2026 10:00"


def test_medical_records_read_with_the_patient_and_the_doctor(people):
    _, doctor = people
    patient = make_patient(nama_lengkap_pasien="Rita Ambar")
    by = "oleh dr. Markus Rahardjo"
    cases = {
        ("read_medical_record", "rekam medis #3, #4 (chart)"):
            f"Rekam medis pasien Rita Ambar dibaca {by} (#3, #4; chart)",
        ("create_medical_record", "rekam medis #3 (01/02/2026)"):
            f"Rekam medis #3 pasien Rita Ambar ditulis {by}",
        ("update_medical_record", "rekam medis #3: diagnosa, terapi (versi 2)"):
            f"Rekam medis #3 pasien Rita Ambar diubah {by} (diagnosa, terapi; versi 2)",
        ("delete_medical_record", "rekam medis #3 dihapus"):
            f"Rekam medis #3 pasien Rita Ambar dihapus {by}",
        ("verify_medical_record", "rekam medis #3 diverifikasi (versi 3)"):
            f"Rekam medis #3 pasien Rita Ambar diverifikasi {by} (versi 3)",
        ("unverify_medical_record", "verifikasi rekam medis #3 dibatalkan (versi 4)"):
            f"Verifikasi rekam medis #3 pasien Rita Ambar dibatalkan {by} (versi 4)",
    }
    for (action, stored), expected in cases.items():
        assert sentence(_entry(action, "patients", patient.id, stored, doctor)) == expected


def test_accounts_roles_patients_and_slots_read_as_sentences(people):
    owner, doctor = people
    rina = make_user(username="rina")
    patient = make_patient(nama_lengkap_pasien="Rita Ambar")
    doctor_row = make_doctor(user=make_user(roles=("DOCTOR",), users_fullname="dr. Sari"))
    cases = [
        (("role_change", "users", rina.id, "rina: +DOCTOR"), "Peran rina diubah oleh owner: "
                                                             "Dokter diberikan"),
        (("role_change", "users", rina.id, "rina: -DOCTOR"), "Peran rina diubah oleh owner: "
                                                             "Dokter dicabut"),
        (("role_change", "users", rina.id, "cabut USERS"), "Peran rina diubah oleh owner: "
                                                           "Staf dicabut"),
        (("role_change", "users", rina.id, "ADMIN"), "Peran rina diubah oleh owner: Admin "
                                                     "diberikan"),
        (("role_change", "users", rina.id, "rina: CUSTOMER -> ADMIN,USERS"),
         "Peran rina diubah oleh owner: Pelanggan → Admin, Staf"),
        (("link_patient", "patients", patient.id, "Rita Ambar -> rina (#5)"),
         "Pasien Rita Ambar dihubungkan ke akun rina (#5) oleh owner"),
        (("unlink_patient", "patients", patient.id, "Rita Ambar lepas dari akun #5"),
         "Pasien Rita Ambar dilepas dari akun #5 oleh owner"),
        (("release_slots", "doctors", doctor_row.id, "2 slot dihapus, 1 slot ditutup"),
         "Slot dokter dr. Sari dilepas oleh owner: 2 slot dihapus, 1 slot ditutup"),
        (("generate_slots", "doctors", doctor_row.id, "4 slot baru"),
         "Slot dokter dr. Sari dibuat oleh owner: 4 slot baru"),
        (("activate", "doctor_schedules", 3, "dr. Sari · Senin 09:00 Facial"),
         "Slot dr. Sari · Senin 09:00 Facial dibuka untuk pemesanan oleh owner"),
        (("unactivate", "doctor_schedules", 3, "dr. Sari · Senin 09:00 Facial"),
         "Slot dr. Sari · Senin 09:00 Facial ditutup untuk pemesanan oleh owner"),
        (("password_change", "users", rina.id, "oleh admin untuk rina"),
         "Kata sandi rina diatur oleh owner"),
        (("unblock", "users", rina.id, "rina"), "Blokir akun rina dibuka oleh owner"),
    ]
    for (action, kind, object_id, stored), expected in cases:
        assert sentence(_entry(action, kind, object_id, stored, owner)) == expected
    assert sentence(_entry("login", "users", owner.id, "", owner)) == "owner masuk"
    assert sentence(_entry("logout", "users", owner.id, "admin", owner)) == \
        "owner keluar dari layar admin"
    assert sentence(_entry("logout", "users", owner.id, "mobile", owner)) == \
        "owner keluar dari aplikasi mobile"
    assert sentence(_entry("password_change", "users", rina.id, "oleh pengguna sendiri",
                           rina)) == "rina mengganti kata sandinya"
    assert sentence(_entry("login_failed", "users", None, "login=siapa", username="siapa")) == \
        "Percobaan masuk sebagai siapa gagal: akun tidak dikenal"
    assert sentence(_entry("login_failed", "users", rina.id, "kata sandi salah", rina)) == \
        "Percobaan masuk rina gagal: kata sandi salah"
    assert sentence(_entry("login_locked", "users", rina.id,
                           "rina: masuk ditunda 1 menit setelah 5 kata sandi salah",
                           username="rina")) == \
        "Masuk akun rina ditunda: masuk ditunda 1 menit setelah 5 kata sandi salah"
    assert sentence(_entry("create_owner", "users", owner.id, "owner", username="cli")) == \
        "Akun pemilik owner dibuat lewat baris perintah"
    assert sentence(_entry("catatan", "", None, "Stok opname bulanan", owner,
                           is_manual=True)) == "Catatan owner — catatan: Stok opname bulanan"


def test_a_gone_object_falls_back_to_what_was_stored_or_its_id(people):
    owner, _ = people
    assert sentence(_entry("stock_adjust", "brandstore_menus", 987654, "+3", owner)) == \
        "Stok #987654 +3 oleh owner"
    assert sentence(_entry("delete", "users", 987654, "lama", owner)) == \
        "Pengguna lama dihapus oleh owner"
    assert sentence(_entry("arrived", "user_schedules", 987654, "", owner)) == \
        "Janji temu #987654 ditandai datang oleh owner"
    assert sentence(_entry("aksi_baru", "nothing", 5, "apa saja", owner)) == \
        "aksi_baru pada nothing #5 oleh owner: apa saja"


def _audited_actions():
    """Every action the code writes to the audit log, read from the source."""
    found = set()
    for folder in ("services", "blueprints", "api"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text()
            found |= set(re.findall(r'audit\.(?:record|entry_for)\(\s*"(\w+)"', text))
            found |= set(re.findall(r'_save\("(\w+)"', text))
            found |= set(re.findall(r'_create_assignments\([^)]*"(\w+)"', text))
            found |= set(re.findall(r'action, text = "(\w+)"', text))
            for pair in re.findall(r'"(\w+)" if active else "(\w+)"', text):
                found |= set(pair)
    return found


def test_every_audited_action_has_a_sentence_and_a_name():
    from blueprints.audit_lines import ACTION_LABELS, WRITERS
    actions = _audited_actions()
    assert {"stock_adjust", "book", "cancel", "read_medical_record", "role_change",
            "verify_medical_record", "unverify_medical_record", "duplicate", "activate",
            "unactivate"} <= actions
    assert actions <= set(WRITERS), actions - set(WRITERS)
    assert actions <= set(ACTION_LABELS), actions - set(ACTION_LABELS)


# ---- the log screens and the dashboard -----------------------------------------------------
def _mixed_entries(owner, count):
    rows = [make_store_menu(quantity=9) for _ in range(count)]
    patients = [make_patient() for _ in range(count)]
    users = [make_user() for _ in range(count)]
    for row, patient, user in zip(rows, patients, users):
        _entry("stock_adjust", "brandstore_menus", row.id, "-1", owner)
        _entry("read_medical_record", "patients", patient.id, "rekam medis #1 (chart)", owner)
        _entry("role_change", "users", user.id, "ADMIN", owner)
        _entry("create", "users", user.id, user.username, owner)
        _entry("login", "users", user.id, "", user)


def test_logs_list_reads_names_in_a_fixed_number_of_queries(client, auth):
    owner = signed_in(auth, client, roles=("OWNER",))
    _mixed_entries(owner, 1)
    with count_queries() as few:
        small = client.get("/admin/logs/")
    assert small.status_code == 200
    _mixed_entries(owner, 3)  # 15 entries: the whole first page
    with count_queries() as many:
        html = client.get("/admin/logs/").get_data(as_text=True)
    assert len(many) == len(few), (len(few), len(many))
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count(" di Colederma") == 3 and body.count(f"−1 oleh {owner.username}") == 3
    assert "Rekam medis pasien Pasien" in body and "Admin diberikan" in body
    assert "stock_adjust" not in body and "brandstore_menus" not in body
    from blueprints.audit_lines import sentences
    names = sentences(db.session.query(Log).all())
    assert all(text for text in names.values())


def test_logs_screens_show_sentences_and_filter_by_named_action(client, auth):
    owner = signed_in(auth, client, roles=("OWNER",))
    row = make_store_menu(menu=make_product(nama_menus="Acne Night Cream"),
                          store=make_store(nama="IORA Dago"), quantity=5)
    stores.adjust_stock(row, -1, owner)
    entry = db.session.query(Log).filter_by(action="stock_adjust").one()
    listing = client.get("/admin/logs/").get_data(as_text=True)
    assert f"Stok Acne Night Cream di IORA Dago −1 oleh {owner.username}" in listing
    assert '<option value="stock_adjust" >Stok ditambah/dikurangi</option>' in \
        listing.replace("  ", " ")
    only = client.get("/admin/logs/?action=stock_adjust").get_data(as_text=True)
    assert "Stok Acne" in only and f"{owner.username} masuk" not in only
    detail = client.get(f"/admin/logs/{entry.id}").get_data(as_text=True)
    assert "Stok Acne Night Cream di IORA Dago −1" in detail and "stock_adjust" in detail
    dashboard = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    assert f"Stok Acne Night Cream di IORA Dago −1 oleh {owner.username}" in dashboard
    assert f'href="/admin/logs/{entry.id}"' in dashboard


def test_logs_api_stays_raw(client, auth):
    owner = make_user(roles=("OWNER",))
    _entry("stock_adjust", "brandstore_menus", 5, "-1", owner)
    body = client.post("/api/logs/search", json={"action": "stock_adjust"},
                       headers=auth.headers(owner)).get_json()
    assert "'descriptions': '-1'" in str(body) and "Stok" not in str(body)


# ---- promotions and the rich-text editor ---------------------------------------------------
def test_promotion_kinds_are_explained(client, auth):
    signed_in(auth, client, roles=("OWNER",))
    nominal = make_promotion(type="NOMINAL", value=25000)
    make_promotion(type="PERSEN", value=17)
    form = client.get("/admin/promotions/new").get_data(as_text=True)
    assert "Nominal — potongan Rp tetap dari total pesanan" in form
    assert "Potongan — potongan Rp tetap, dihitung sama seperti Nominal" in form
    assert "Persen — potongan sekian persen" in form
    assert "Nominal dan Potongan mengurangi sejumlah rupiah" in form  # help under the choice
    listing = client.get("/admin/promotions/").get_data(as_text=True)
    assert ">Nominal</div>" in listing and ">Persen</div>" in listing
    assert '<option value="NOMINAL" >Nominal</option>' in listing.replace("  ", " ")
    detail = client.get(f"/admin/promotions/{nominal.id}").get_data(as_text=True)
    assert "Nominal — potongan Rp tetap dari total pesanan" in detail
    assert "(NOMINAL)" not in detail


def test_every_rich_text_field_gets_the_editor(client, auth):
    signed_in(auth, client, roles=("OWNER",))
    content = make_static_content(contents="<p>Tentang <b>kami</b></p>")
    form = client.get(f"/admin/static_contents/{content.id}/edit").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*id="f-contents"[^>]*data-richtext', form)
    assert not re.search(r'<input[^>]*id="f-type"[^>]*data-richtext', form)
    assert "js/richtext.js" in form
    product_form = client.get("/admin/menus/new").get_data(as_text=True)
    assert len(re.findall(r"<textarea[^>]*data-richtext", product_form)) >= 3
