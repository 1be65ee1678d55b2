"""Demo patients (from the document's examples) linked to the demo customers rikki07 and
didit, with allergies and a few medical records each — verified by the demo doctor markusnr
when his `doctors` row exists (the doctors part runs first), otherwise left unverified."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from models import (Doctor, MedicalRecord, MedicalRecordVersion, Patient, PatientAllergy, User,
                    clinic_now, db)

DEMO_DOCTOR = "markusnr"

PATIENTS = [
    # customer, patient fields, allergies
    ("rikki07", {"nama_lengkap_pasien": "Rikki 07 01", "tempat_lahir": "Jakarta",
                 "tanggal_lahir": date(2012, 12, 3), "jenis_kelamin": "P",
                 "alamat_domisili": "Jl. Senopati No. 12, Kebayoran Baru",
                 "nama_ibu_kandung": "Mama", "nama_ayah": "Opapa", "no_identitas": "1231241242344",
                 "jenis_identitas": "KTP", "catatan": "Kulit sensitif", "nama_wali": "Kakak",
                 "hubungan_dengan_wali": "Saudara kandung", "alamat_wali": "Jl. Senopati No. 12",
                 "no_telp_wali": "081234500001", "golongan_darah": "AB", "pekerjaan": "Pelajar",
                 "no_telp_rumah": "0225894274", "no_handphone": "085222123107",
                 "provinsi": "DKI Jakarta", "kota": "Jakarta Selatan",
                 "kecamatan": "Kebayoran Baru", "kode_provinsi": "6", "kode_kota": "153",
                 "kode_kecamatan": "2105", "lat": -6.2297, "lng": 106.8114},
     ["Kucing"]),
    ("rikki07", {"nama_lengkap_pasien": "Rikki 07 02", "tempat_lahir": "Semarang",
                 "tanggal_lahir": date(2000, 1, 1), "jenis_kelamin": "L",
                 "alamat_domisili": "Jl. Kembangan Raya No. 8", "nama_ibu_kandung": "Mama",
                 "nama_ayah": "Papa", "no_identitas": "1234567890", "jenis_identitas": "SIM",
                 "catatan": "Sehat", "nama_wali": "Budi", "hubungan_dengan_wali": "Sepupu",
                 "golongan_darah": "AB", "pekerjaan": "PNS",
                 "perusahaan_tempat_bekerja": "Dinas Kesehatan", "perusahaan_no_telp": "0221234567",
                 "no_telp_rumah": "02122123450", "no_handphone": "081234567890",
                 "provinsi": "DKI Jakarta", "kota": "Jakarta Barat", "kecamatan": "Kembangan",
                 "kode_provinsi": "6", "kode_kota": "151", "kode_kecamatan": "2091",
                 "lat": -6.1912, "lng": 106.7406},
     ["Ikan", "Ayam", "Coklat"]),
    ("rikki07", {"nama_lengkap_pasien": "Rhea Tatjana 07", "tempat_lahir": "Bandung",
                 "tanggal_lahir": date(2012, 11, 30), "jenis_kelamin": "P",
                 "alamat_domisili": "Jl. Lebak Wangi 123", "nama_ibu_kandung": "Rani",
                 "nama_ayah": "Rikki", "jenis_identitas": "KTP", "catatan": "Sehat normal",
                 "nama_wali": "Kakak Kiki", "hubungan_dengan_wali": "Saudara kandung",
                 "golongan_darah": "AB", "no_handphone": "085223463638",
                 "provinsi": "Jawa Barat", "kota": "Bandung", "kecamatan": "Katapang",
                 "kode_provinsi": "9", "kode_kota": "22", "kode_kecamatan": "322",
                 "lat": -7.0104, "lng": 107.5469},
     []),
    ("rikki07", {"nama_lengkap_pasien": "Stepha", "tempat_lahir": "Bandung",
                 "tanggal_lahir": date(2013, 12, 11), "jenis_kelamin": "L",
                 "alamat_domisili": "Jl. Martadinata 45, Bangka", "nama_ibu_kandung": "Sinta",
                 "nama_ayah": "Hendra", "jenis_identitas": "KTP", "golongan_darah": "A",
                 "no_handphone": "081717171711", "provinsi": "Bangka Belitung", "kota": "Bangka",
                 "kecamatan": "Bakam", "kode_provinsi": "2", "kode_kota": "27",
                 "kode_kecamatan": "426", "lat": -2.7411, "lng": 106.4406},
     ["Debu"]),
    ("didit", {"nama_lengkap_pasien": "Andrianto",
               "patient_external_id": "DIGISOFT_PATIENT-00934203", "tempat_lahir": "Jakarta",
               "tanggal_lahir": date(1992, 12, 31),
               "alamat_domisili": "Babakan Jeruk 2 Sarijadi Bandung.", "nama_ibu_kandung": "Linda",
               "jenis_kelamin": "L", "nama_wali": "Linda", "hubungan_dengan_wali": "Orangtua",
               "alamat_wali": "JL Pelajar Pejuang Baru No 34 RT 02 RW 05 Jakarta Timur.",
               "no_telp_wali": "081300912993", "golongan_darah": "B+",
               "no_identitas": "3671290261191001", "jenis_identitas": "KTP",
               "alamat_identitas": "Babakan Jeruk 2 Sarijadi Bandung.",
               "no_handphone": "081300912990", "provinsi": "JAWA BARAT", "kota": "CIMAHI",
               "kecamatan": "PADASUKA", "kode_provinsi": "12", "kode_kota": "312",
               "kode_kecamatan": "00981", "lat": -6.8723, "lng": 107.5425},
     ["Kerang Seafood", "Bonteng", "Nangka"]),
    ("didit", {"nama_lengkap_pasien": "Mildi Ghanesa", "tanggal_lahir": date(1999, 7, 21),
               "alamat_domisili": "Cibeber kalong No 34 Bandung", "jenis_kelamin": "L",
               "catatan": "Kurang gizi", "no_handphone": "081322114455",
               "provinsi": "JAWA BARAT", "kota": "BANDUNG", "kecamatan": "CIBEBER",
               "kode_provinsi": "12", "kode_kota": "22", "kode_kecamatan": "00321"},
     ["Ulat bulu", "Bulu kucing", "Debu"]),
    ("didit", {"nama_lengkap_pasien": "Rita Ambar", "tempat_lahir": "Bandung",
               "tanggal_lahir": date(1988, 4, 17), "jenis_kelamin": "P", "golongan_darah": "O",
               "alamat_domisili": "Jl. Setiabudi No. 101, Bandung", "pekerjaan": "Guru",
               "no_handphone": "081298765432", "provinsi": "JAWA BARAT", "kota": "BANDUNG",
               "kecamatan": "SUKASARI", "kode_provinsi": "12", "kode_kota": "22",
               "kode_kecamatan": "00310"},
     ["Penisilin"]),
]

# per patient: (days ago, complaint, diagnosis, notes, verified)
RECORDS = {
    "Rikki 07 01": [(120, "Bentol merah gatal setelah bermain dengan kucing tetangga.",
                     "Urtikaria akut", "Antihistamin oral 5 hari; hindari kontak kucing.", True),
                    (21, "Kulit kering bersisik di lipatan siku, gatal malam hari.",
                     "Dermatitis atopik ringan", "Pelembap 2x sehari, krim hidrokortison 1%.",
                     False)],
    "Rikki 07 02": [(60, "Jerawat meradang di dahi dan pipi sejak 3 bulan.",
                     "Akne vulgaris derajat sedang", "Retinoid topikal malam hari; kontrol 4 minggu.",
                     True)],
    "Rhea Tatjana 07": [(45, "Bercak putih bersisik di lengan.", "Pitiriasis alba",
                         "Pelembap dan tabir surya; edukasi orang tua.", False)],
    "Stepha": [(30, "Gatal di sela jari kaki, kulit mengelupas.", "Tinea pedis",
                "Krim antijamur 2x sehari selama 4 minggu; jaga kaki tetap kering.", True),
               (7, "Kontrol tinea pedis, gatal berkurang.", "Tinea pedis (perbaikan)",
                "Lanjutkan krim antijamur 2 minggu.", False)],
    "Andrianto": [(200, "Flek kecokelatan di kedua pipi sejak 1 tahun.", "Melasma epidermal",
                   "Krim pencerah malam hari, tabir surya SPF 50 pagi dan siang.", True),
                  (90, "Kontrol melasma, flek memudar sebagian.", "Melasma (perbaikan)",
                   "Rencana laser Q-switch 3 sesi.", True),
                  (14, "Kemerahan setelah laser sesi pertama.", "Eritema pasca-tindakan",
                   "Kompres dingin, pelembap ceramide; laser berikut ditunda 2 minggu.", False)],
    "Mildi Ghanesa": [(75, "Sakit perut melilit dan muntah, lalu bentol di badan.",
                       "Urtikaria akibat makanan", "Antihistamin; rujuk ke penyakit dalam.",
                       True)],
    "Rita Ambar": [(40, "Bercak merah bersisik tebal di siku dan lutut.", "Psoriasis vulgaris",
                    "Salep kortikosteroid kuat; hindari garukan; kontrol 3 minggu.", True),
                   (10, "Kontrol psoriasis, sisik menipis.", "Psoriasis vulgaris (perbaikan)",
                    "Turunkan potensi salep.", False)],
}


def _user(username):
    return db.session.execute(select(User).where(
        func.lower(User.username) == username.lower(), User.deleted_at.is_(None))).scalars().first()


def _demo_doctor_user():
    """The demo doctor's account when it has a live `doctors` row, else None."""
    user = _user(DEMO_DOCTOR)
    if user is None:
        return None
    doctor = db.session.execute(select(Doctor).where(
        Doctor.id_users == user.id, Doctor.deleted_at.is_(None))).scalars().first()
    return user if doctor is not None else None


def _find_patient(user, name):
    stmt = select(Patient).where(func.lower(Patient.nama_lengkap_pasien) == name.lower(),
                                 Patient.deleted_at.is_(None))
    stmt = stmt.where(Patient.id_users == user.id) if user else stmt.where(
        Patient.id_users.is_(None))
    return db.session.execute(stmt).scalars().first()


def _seed_records(patient, doctor_user, author, added):
    """The patient's demo records, when the patient has none yet."""
    if db.session.execute(select(MedicalRecord.id).where(
            MedicalRecord.id_patients == patient.id).limit(1)).first():
        return
    today = clinic_now().date()
    for index, (days_ago, keluhan, diagnosa, catatan, verified) in enumerate(
            RECORDS.get(patient.nama_lengkap_pasien, [])):
        day = today - timedelta(days=days_ago)
        written = datetime.combine(day, time(10, 30))
        author_id = (doctor_user or author).id if (doctor_user or author) else None
        record = MedicalRecord(id_patients=patient.id, tanggal_konsul=day, keluhan=keluhan,
                               diagnosa=diagnosa, catatan_kaki=catatan, version=1,
                               id_users_author=author_id, created=written, updated=written)
        if index == 0:
            # The first record was corrected once: its first wording is in the history.
            record.versions.append(MedicalRecordVersion(
                version=1, tanggal_konsul=day, keluhan=keluhan.split(",")[0].rstrip(".") + ".",
                diagnosa="Observasi", catatan_kaki="", is_verified=False, changed_by=author_id,
                changed_at=written + timedelta(minutes=20)))
            record.version = 2
            record.updated = written + timedelta(minutes=20)
        if verified and doctor_user is not None:
            record.is_verified = True
            record.verified_iduser = doctor_user.id
            record.verified_at = written + timedelta(hours=2)
        db.session.add(record)
        added["patient_rekam_medis"] += 1


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
    for key in ("patients", "patient_allergies", "patient_rekam_medis"):
        added.setdefault(key, 0)
    doctor_user = _demo_doctor_user()
    author = _user("admin")
    for username, fields, allergy_names in PATIENTS:
        user = _user(username)
        patient = _find_patient(user, fields["nama_lengkap_pasien"])
        if patient is None:
            patient = Patient(**{"patient_external_id": "", "patient_picture": "", **fields,
                                 "id_users": user.id if user else None})
            db.session.add(patient)
            db.session.flush()
            added["patients"] += 1
        present = {row.allergies.lower() for row in patient.allergies}
        for name in allergy_names:
            if name.lower() not in present:
                patient.allergies.append(PatientAllergy(allergies=name, diagnosa="-",
                                                        catatan_kaki="-"))
                added["patient_allergies"] += 1
        _seed_records(patient, doctor_user, author, added)
    db.session.flush()
