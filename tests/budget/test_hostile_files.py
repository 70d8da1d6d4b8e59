"""Hostile files for the import: an xlsx is a zip of XML, so a small upload can unpack to gigabytes or
declare entities that expand without end or read the server's files. Each fixture is built here; each is
refused with a clear message in under 2 s (a bound on refusing, not a benchmark) without memory blowing
up (tracemalloc peak < 100 MB), saves nothing and is logged as the security event 'import_rejected'."""

import io
import logging
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from budget.importers.monthly import execution_import
from civicbureau import uploads
from civicbureau.uploads import MAX_FILE_BYTES, MAX_UNPACKED_BYTES, MAX_ZIP_ENTRIES
from tests.budget.test_import import save, staff, workbook_for
from tests.fingerprint import database_fingerprint

pytestmark = pytest.mark.django_db

SHEET_XML = "xl/worksheets/sheet1.xml"
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)


def valid_xlsx() -> bytes:
    return save(workbook_for())


def with_entry(content: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one entry replaced (or added)."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, data)
    return out.getvalue()


def zip_bomb(content: bytes) -> bytes:
    """The sheet followed by 100 MB of blanks: about 100 kB on the wire."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != SHEET_XML:
                target.writestr(info, source.read(info))
        with target.open(SHEET_XML, "w", force_zip64=True) as entry:
            entry.write(source.read(SHEET_XML)[: -len(b"</worksheet>")])
            block = b" " * 2**20
            for _ in range(100):
                entry.write(block)
            entry.write(b"</worksheet>")
    return out.getvalue()


def many_entries(content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        source = zipfile.ZipFile(io.BytesIO(content))
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for n in range(MAX_ZIP_ENTRIES + 500):
            target.writestr(f"xl/media/image{n}.bin", b"")
    return out.getvalue()


FIXTURES = {
    "billion laughs in sheet1.xml": (lambda c: with_entry(c, SHEET_XML, LAUGHS.encode()), "xml_dtd"),
    "billion laughs in UTF-16": (
        lambda c: with_entry(c, SHEET_XML, LAUGHS.replace('"1.0"', '"1.0" encoding="UTF-16"').encode("utf-16")),
        "xml_dtd",
    ),
    "XXE in sheet1.xml": (lambda c: with_entry(c, SHEET_XML, XXE.encode()), "xml_dtd"),
    "XXE in sharedStrings.xml": (
        lambda c: with_entry(c, "xl/sharedStrings.xml", XXE.replace("worksheet", "sst").encode()),
        "xml_dtd",
    ),
    "XXE in workbook.xml": (
        lambda c: with_entry(c, "xl/workbook.xml", XXE.replace("worksheet", "workbook").encode()),
        "xml_dtd",
    ),
    "zip bomb (100 MB sheet)": (zip_bomb, "unpacked_too_large"),
    "2,500 entries": (many_entries, "too_many_entries"),
    "file over 5 MB": (lambda c: c + b"\0" * (MAX_FILE_BYTES + 1 - len(c)), "file_too_large"),
}


def rejections(caplog):
    return [r.args for r in caplog.records if isinstance(r.args, dict) and r.args.get("event") == "import_rejected"]


def test_openpyxl_parses_sheets_with_defusedxml():
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


@pytest.mark.parametrize("kind", sorted(FIXTURES))
def test_a_hostile_file_is_refused_fast_without_memory_blowing_up(kind, caplog):
    build, reason = FIXTURES[kind]
    content = build(valid_xlsx())
    assert len(content) <= MAX_FILE_BYTES + 1
    user, before = staff(), database_fingerprint()
    caplog.set_level(logging.INFO, logger="security")
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = execution_import(user=user, content=content, filename="hostile.xlsx", dry_run=False)
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert not result.ok and not result.applied
    assert [(p.row, p.field) for p in result.problems] == [("1행", "code")]
    assert elapsed < 2, f"{kind}: refused after {elapsed:.2f} s"
    assert peak < 100 * 2**20, f"{kind}: {peak / 2**20:.0f} MB"
    assert database_fingerprint() == before
    logged = rejections(caplog)
    assert len(logged) == 1 and logged[0]["reason"] == reason and logged[0]["user"] == "staff", logged


def test_the_messages_say_what_was_wrong():
    content = valid_xlsx()
    messages = {
        kind: str(
            execution_import(user=staff(), content=build(content), filename="x.xlsx", dry_run=True).problems[0].message
        )
        for kind, (build, _) in FIXTURES.items()
    }
    assert "DTD" in messages["XXE in sheet1.xml"] and SHEET_XML in messages["XXE in sheet1.xml"]
    assert f"최대 {MAX_UNPACKED_BYTES // 2**20}MB" in messages["zip bomb (100 MB sheet)"]
    assert f"최대 {MAX_ZIP_ENTRIES}개" in messages["2,500 entries"]
    assert "파일이 너무 큽니다" in messages["file over 5 MB"]


def test_without_the_zip_check_defusedxml_still_refuses_the_bomb(monkeypatch):
    """The second line: had the DTD check missed it, openpyxl's (defused) sheet parser refuses the entities."""
    monkeypatch.setattr(uploads, "check_zip", lambda content, max_unpacked: None)
    start = time.perf_counter()
    result = execution_import(
        user=staff(), content=FIXTURES["billion laughs in sheet1.xml"][0](valid_xlsx()), filename="x.xlsx", dry_run=True
    )
    assert time.perf_counter() - start < 2
    assert not result.ok and "xlsx 파일로 읽을 수 없습니다" in str(result.problems[0].message)


def test_the_valid_template_still_passes_the_checks():
    uploads.check_zip(valid_xlsx())
    assert execution_import(user=staff(), content=valid_xlsx(), filename="t.xlsx", dry_run=True).ok


def test_an_uploaded_bomb_is_a_400_with_the_message_and_a_security_event(staff_client, caplog):
    caplog.set_level(logging.INFO, logger="security")
    upload = io.BytesIO(FIXTURES["billion laughs in sheet1.xml"][0](valid_xlsx()))
    upload.name = "bomb.xlsx"
    response = staff_client.post(reverse("budget:import_upload"), {"file": upload})
    assert response.status_code == 400
    assert "DTD" in response.content.decode()
    assert rejections(caplog)[0]["reason"] == "xml_dtd"


def test_an_upload_over_5_mb_is_refused_by_the_form_and_logged(staff_client, caplog):
    caplog.set_level(logging.INFO, logger="security")
    before = database_fingerprint()
    upload = io.BytesIO(b"PK" + b"\0" * MAX_FILE_BYTES)
    upload.name = "big.xlsx"
    response = staff_client.post(reverse("budget:import_upload"), {"file": upload})
    assert "파일이 너무 큽니다" in response.content.decode()
    assert response.context["result"] is None  # never reached the importer
    assert rejections(caplog)[0]["reason"] == "file_too_large"
    assert database_fingerprint() == before
