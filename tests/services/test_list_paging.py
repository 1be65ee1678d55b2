"""Pages of the engine's lists (issue 13): picked by "late row lookup" (the page's ids first,
then their rows), they hold exactly the rows OFFSET paging on the same total order gives —
ties broken by the id — at every depth, on SQLite and MariaDB alike. And the patient search:
each word a substring of the name, mobile number, external id or identity number."""
from datetime import date

import pytest

from models import Patient, clinic_now, db
from tests.factories.catalog import make_menu_category
from tests.factories.patients import make_medical_record, make_patient


def _ids(rows):
    return [row["id"] for row in rows]


def test_record_pages_are_the_offset_pages_of_their_order_at_every_depth(client, owner_headers):
    patients = [make_patient() for _ in range(3)]
    days = [date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)]
    records = [make_medical_record(patients[number % 3], tanggal_konsul=days[number % 2])
               for number in range(17)]  # many ties on the day: the id decides
    gone = make_patient()
    make_medical_record(gone, tanggal_konsul=days[2])
    gone.deleted_at = clinic_now()  # a deleted patient's records are never listed
    db.session.commit()
    expected = [record.id for record in sorted(
        records, key=lambda record: (record.tanggal_konsul, record.id), reverse=True)]
    seen = []
    for page in range(1, 5):
        body = client.post(f"/api/patient_rekam_medis/explore?page={page}&length=5",
                           headers=owner_headers, json={}).get_json()
        assert body["totaldata"] == 17 and body["totalpage"] == 4
        assert _ids(body["data"]) == expected[(page - 1) * 5:page * 5]
        seen += _ids(body["data"])
    assert seen == expected
    past = client.post("/api/patient_rekam_medis/explore?page=9&length=5",
                       headers=owner_headers, json={}).get_json()
    assert past["data"] == [] and past["totaldata"] == 17


def test_the_last_pages_read_backwards_are_the_offset_pages(client, owner_headers):
    """Pages past the middle are picked in the reverse order from the end: the same rows, in
    the same order, for an ordering given as plain columns (name, then id) with ties."""
    made = [make_menu_category(menu_categories=f"Kategori {'ABC'[number % 3]}")
            for number in range(13)]
    expected = [row.id for row in sorted(made, key=lambda row: (row.menu_categories, row.id))]
    pages = []
    for page in range(1, 5):
        body = client.post(f"/api/menu_categories/explore?page={page}&length=4",
                           headers=owner_headers, json={}).get_json()
        assert body["totaldata"] == 13
        pages.append(_ids(body["data"]))
    assert pages == [expected[0:4], expected[4:8], expected[8:12], expected[12:13]]


def test_table_pages_sorted_by_a_column_with_ties_follow_the_id(client, owner_headers):
    made = [make_patient(jenis_kelamin="LP"[number % 2]) for number in range(11)]
    # jenis_kelamin descending ("P" before "L"), then the id ascending
    ordered = [patient.id for patient in sorted(
        made, key=lambda patient: (patient.jenis_kelamin != "P", patient.id))]
    column = "7"  # jenis_kelamin in the patients' Table Specs
    pages = []
    for start in range(0, 11, 3):
        body = client.post("/api/patients/table", headers=owner_headers, data={
            "draw": "1", "start": str(start), "length": "3", "order[0][column]": column,
            "order[0][dir]": "desc"}).get_json()
        assert body["recordsTotal"] == body["recordsFiltered"] == 11
        pages += [row[0] for row in body["data"]]
    assert pages == ordered


def test_the_patient_search_finds_each_word_inside_the_searched_columns(client, owner_headers):
    rita = make_patient(nama_lengkap_pasien="Rita Ambarwati", no_handphone="081234567890",
                        patient_external_id="RM-0042", no_identitas="3273012345670001")
    make_patient(nama_lengkap_pasien="Budi Santoso", no_handphone="085700000001",
                 no_identitas="3171000000000002")

    def found(text):
        body = client.post("/api/patients/search", headers=owner_headers,
                           json={"keyword": text}).get_json()
        return [row["id"] for row in body["patients"]]

    def tabled(text):
        body = client.post("/api/patients/table", headers=owner_headers, data={
            "draw": "1", "start": "0", "length": "10", "search[value]": text}).get_json()
        return [row[0] for row in body["data"]]

    for text in ("rita", "AMBAR", "ambar rita", "wati", "4567", "rm-0042", "0042",
                 "3273012345", "rita 0812"):
        assert found(text) == [rita.id], text  # a substring of a word, any case, any order
        assert tabled(text) == [rita.id], text
    assert found("rita budi") == [] and tabled("rita santoso") == []  # every word must match
    assert found("Jl. Merdeka") == []  # the address is not searched
    # the search text follows every change of the searched columns
    rita.nama_lengkap_pasien = "Rita Kusuma"
    db.session.commit()
    assert found("ambar") == [] and found("kusuma") == [rita.id]
    assert db.session.get(Patient, rita.id).search_text.splitlines() == [
        "rita kusuma", "081234567890", "rm-0042", "3273012345670001"]


def test_the_search_text_is_never_part_of_an_answer(client, owner_headers):
    patient = make_patient()
    body = client.get(f"/api/patients/{patient.id}", headers=owner_headers).get_json()
    assert "search_text" not in body["patients"]
    listed = client.post("/api/patients/explore", headers=owner_headers, json={}).get_json()
    assert all("search_text" not in row for row in listed["data"])


def _page_statement(client, headers, path, body=None, marker="page_ids"):
    """The statement (and parameters) that loaded the page of a list request (or the one
    holding `marker`)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if marker in statement:
            seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        assert client.post(path, headers=headers, json=body or {}).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert len(seen) == 1
    return seen[0]


def _plan(statement, parameters) -> str:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if db.engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(str(row[3]) for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + statement, parameters)
        names = [column[0] for column in cursor.description]
        return "\n".join(" ".join(f"{name}={value}" for name, value in zip(names, row))
                         for row in cursor.fetchall())
    finally:
        raw.close()


def test_a_deep_appointment_page_picks_its_ids_from_the_listing_index(client, owner_headers):
    statement, parameters = _page_statement(
        client, owner_headers, "/api/user_schedules/explore?page=19000&length=10")
    plan = _plan(statement, parameters)
    assert "ix_user_schedules_listing" in plan, plan  # ordered and skipped in the index
    if db.engine.dialect.name == "sqlite":
        inner = plan.split("SCAN page_ids")[0] if "SCAN page_ids" in plan else plan
        assert "COVERING INDEX ix_user_schedules_listing" in inner, plan
        assert "TEMP B-TREE" not in inner, plan  # no sort of every appointment


def test_the_patient_search_counts_on_the_search_index(client, owner_headers):
    """On MariaDB the count of a search scans the narrow covering index, not the patients'
    rows (the hint keeps it off ix_patients_deleted_at). SQLite decides by itself: with the
    statistics of ANALYZE it scans ix_patients_search, without them it walks the live
    patients' rows — so only the statement is checked there."""
    for number in range(5):
        make_patient(nama_lengkap_pasien=f"Sari {number}")
    statement, parameters = _page_statement(client, owner_headers, "/api/patients/explore",
                                            {"keyword": "sari"}, marker="count(")
    assert "search_text" in statement
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's choice depends on ANALYZE statistics")
    assert "IGNORE INDEX (ix_patients_deleted_at)" in statement
    plan = _plan(statement, parameters)
    assert "ix_patients_search" in plan, plan
    assert "ix_patients_deleted_at" not in plan, plan
