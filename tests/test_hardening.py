"""The findings of the outside attack (issue 16), one test each: every one failed on main before its fix.
The property-based sweep of every URL is tests/test_fuzz_urls.py."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from budget.exports.sheet import template_csv
from budget.importers.monthly import execution_import
from budget.models import ExecutionSnapshot
from budget.selectors.entry import division_month_grid
from programs.forms import IndicatorValueForm
from staffing.forms import HeadcountRowForm
from staffing.models import Division
from tests.budget.test_entry import FILLED, JULY_URL, post_data
from tests.budget.test_import import COL, OBLIGATIONS

pytestmark = pytest.mark.django_db
JULY = datetime.date(2022, 7, 31)


def staff():
    return get_user_model().objects.get(username="staff")


def july_csv(line_end: str, *, name_of=None) -> bytes:
    """The month's CSV template with the obligations filled in, written with the given line ends."""
    grid = division_month_grid(division=Division.objects.get(code="participation"), as_of=JULY)
    lines = template_csv(grid).decode("utf-8-sig").splitlines()
    for i, line in enumerate(lines[1:], start=1):
        parts = line.split(",")
        parts[COL["obligations"] - 1] = str(OBLIGATIONS.get(parts[0], parts[COL["obligations"] - 1]))
        if name_of:
            parts[COL["name"] - 1] = name_of
        lines[i] = ",".join(parts)
    return line_end.join(lines).encode("utf-8")


# -- 5. no 500 on bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999999999999999999", "²", "٢٠٢٢"])
def test_an_entry_board_of_an_impossible_year_is_a_404(staff_client, year):
    staff_client.raise_request_exception = False
    assert staff_client.get("/staff/entry/", {"year": year}).status_code == 404
    assert staff_client.get("/staff/periods/", {"year": year}).status_code == 404


@pytest.mark.parametrize("as_of", ["9999-12", "0000-07", "0000-01-01"])
@pytest.mark.parametrize("url", ["/execution/", "/execution/city/", "/execution.csv", "/execution.json"])
def test_a_public_date_past_the_calendar_is_a_400(client, url, as_of):
    client.raise_request_exception = False
    assert client.get(url, {"as_of": as_of}).status_code == 400


def test_a_superscript_record_number_opens_the_empty_form(staff_client):
    staff_client.raise_request_exception = False
    response = staff_client.get("/staff/indicators/democracy-academy-programmes/", {"record": "²"})
    assert response.status_code == 200 and response.context["form"].initial.get("record") is None


def test_a_csv_with_cr_only_line_ends_from_excel_for_mac_is_imported():
    result = execution_import(user=staff(), content=july_csv("\r"), filename="mac.csv", dry_run=False)
    assert result.applied, result.problems
    assert ExecutionSnapshot.objects.filter(budget_line__division__code="participation", as_of=JULY).count() == 6


def test_a_csv_cell_over_the_limit_is_a_clear_refusal():
    content = july_csv("\r\n", name_of='"' + "가" * 140_000 + '"')
    result = execution_import(user=staff(), content=content, filename="long.csv", dry_run=True)
    assert not result.ok and not result.applied
    problem = result.problems[0]
    assert (problem.row, problem.message) == ("2행", "한 칸이 너무 깁니다 (최대 131,072자).")


# -- 11. digits that are not ASCII are not numbers ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["٣٧٧٢٩٠٠٠", "３７７２９０００"])
def test_digits_that_are_not_ascii_are_refused_on_every_entry_path(staff_client, typed):
    before = ExecutionSnapshot.objects.count()
    response = staff_client.post(JULY_URL, post_data(staff_client, **{**FILLED, "PA-03": ("40000000", typed)}))
    assert response.status_code == 400 and "원 단위 정수를 입력하세요." in response.content.decode()
    csv = july_csv("\n").decode().replace("37729000", typed).encode()
    result = execution_import(user=staff(), content=csv, filename="digits.csv", dry_run=True)
    assert not result.ok and any(p.field == "disbursements" and "숫자가 아닙니다" in p.message for p in result.problems)
    assert ExecutionSnapshot.objects.count() == before
    assert "value" in IndicatorValueForm({"as_of": "2022-07-01", "value": typed}).errors
    assert "current" in HeadcountRowForm({"grade": "5급", "current": typed}).errors
    assert not IndicatorValueForm({"as_of": "2022-07-01", "value": "37729000"}).errors  # ASCII digits are read


# -- 4. the consistency page follows permissions.py and reads the period's figures ------------------------


def test_the_consistency_page_is_refused_to_a_login_without_a_role(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("nobody", password="x"))
    client.raise_request_exception = False
    assert client.get("/staff/consistency/").status_code == 403


# that an unpublished period reads approved figures, never drafts: tests/programs/test_consistency.py


# -- 7. every file the portal writes neutralises formulas ------------------------------------------------


def test_the_month_template_never_writes_a_line_name_as_a_live_formula():
    import io

    import openpyxl

    from budget.exports.sheet import template_xlsx
    from budget.models import BudgetLine

    name = '=HYPERLINK("http://attacker.example","열기")'
    line = BudgetLine.objects.get(code="PA-01")
    line.name = name
    line.save()
    grid = division_month_grid(division=Division.objects.get(code="participation"), as_of=JULY)
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx(grid)))["실적"]
    cell = sheet.cell(row=2, column=COL["name"])
    assert (cell.value, cell.data_type) == (name, "s")  # text, not a formula
    line = template_csv(grid).decode("utf-8-sig").splitlines()[1]
    assert "'=HYPERLINK" in line  # the apostrophe a spreadsheet shows as text
    # and the template still round-trips: the name is not read back
    result = execution_import(user=staff(), content=template_xlsx(grid), filename="t.xlsx", dry_run=True)
    assert result.ok, result.problems


# -- 11. the security log's fields, the language cookie ---------------------------------------------------


def test_a_username_cannot_forge_a_field_of_the_security_log():
    import logging

    from civicbureau.logs import SecurityFormatter

    record = logging.LogRecord("security", logging.INFO, __file__, 1, "%s", None, None)
    record.args = {"event": "login_failed", "user": "x ip=1.2.3.4", "ip": "10.0.0.9", "note": 'say "hi"\n'}
    line = SecurityFormatter().format(record)
    import shlex

    fields = dict(part.split("=", 1) for part in shlex.split(line)[2:])  # as a logfmt reader splits it
    assert (fields["user"], fields["ip"]) == ("x ip=1.2.3.4", "10.0.0.9")  # the forged ip stays in the user
    assert fields["note"] == 'say "hi"\\n' and "\n" not in line  # the newline escaped, on one line


def test_the_language_cookie_is_samesite_and_secure_in_production(client, settings, monkeypatch):
    response = client.get("/i18n/switch/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie["samesite"], cookie["httponly"]) == ("Lax", True)
    import importlib

    for name, value in {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portal.example",
        "DATABASE_URL": "postgres://",
    }.items():
        monkeypatch.setenv(name, value)
    import civicbureau.production as production

    assert importlib.reload(production).LANGUAGE_COOKIE_SECURE is True


# -- 10. password reset is not mounted -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/MQ/set-password/"]
)
def test_password_reset_is_not_mounted(client, url):
    client.raise_request_exception = False
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "staff@civicbureau.example"}).status_code in (403, 404)


def test_a_signed_in_person_still_changes_their_own_password(staff_client):
    assert staff_client.get("/accounts/password_change/").status_code == 200
    assert Client().get("/accounts/password_change/").status_code == 302  # to the login page


# -- 6. a database outage is a 503 for everyone -----------------------------------------------------------


@pytest.mark.parametrize(
    "who, url",
    [
        ("anonymous", "/"),  # an anonymous internal address is a redirect to login, which needs no database
        ("signed in", "/"),
        ("signed in", "/my/"),
        ("signed in", "/staff/entry/participation/2022-07-31/"),
    ],
)
def test_a_database_outage_is_the_503_page_for_signed_in_people_too(client, staff_client, monkeypatch, who, url):
    from django.db.utils import OperationalError

    browser = staff_client if who == "signed in" else client
    browser.get("/")  # a session that exists before the outage

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", down)
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", down)
    browser.raise_request_exception = False
    for response in (browser.get(url), browser.post(url, {"x": "1"})):
        assert response.status_code == 503, (who, url, response.status_code)
        assert response["Retry-After"] == "60" and "데이터베이스에 연결할 수 없습니다" in response.content.decode()


# -- 8. kept anonymous pages are keyed on the parameters pages read -----------------------------------------

PUBLIC = ["/", "/execution/", "/execution/city/", "/execution.csv", "/schedule/", "/programs/", "/organisation/"]


def kept_pages() -> int:
    from django.core.cache import cache

    return sum(1 for key in cache._cache if "public-response" in key)  # the local-memory cache of the tests


def test_junk_parameters_create_no_kept_pages(client):
    from django.core.cache import cache

    cache.clear()
    first = client.get("/execution/", {"year": "2022"})
    assert first.status_code == 200 and kept_pages() == 1
    for n in range(50):
        response = client.get("/execution/", {"year": " 2022 ", "edition": "", f"junk{n}": "x" * 1000})
        assert response.status_code == 200 and response.content == first.content  # the same kept page
    assert kept_pages() == 1


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_read_no_parameter_outside_the_kept_ones(client, settings, url):
    """What keying on KEPT_PARAMETERS assumes: every other parameter leaves a public page as it is."""
    import re

    from civicbureau.publication import KEPT_PARAMETERS
    from tests.test_fuzz_urls import PARAMETERS

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    plain = client.get(url).content.decode()
    for name in sorted(set(PARAMETERS) - set(KEPT_PARAMETERS)):
        for value in ("2022-07-31", "2", "1"):  # a date, and numbers (a page number would be read as one)
            html = client.get(url, {name: value}).content.decode()
            # the page's own links carry the address's parameters along (the language switch, the sort links)
            echoed = re.sub(rf"\?{re.escape(name)}={value}(&amp;)?", "?", html)
            echoed = re.sub(rf"&amp;{re.escape(name)}={value}", "", echoed).replace('="?"', '=""')
            echoed = echoed.replace(f'{url}?"', f'{url}"')
            assert echoed == plain, (name, value)


def test_a_change_date_past_the_calendar_and_a_briefing_of_an_impossible_year_are_400s(director_client):
    director_client.raise_request_exception = False
    changes = director_client.get("/dashboards/division/participation/changes/", {"later": "9999-12-31"})
    assert changes.status_code == 400 and "2000년부터" in changes.content.decode()
    for year in ("99999999999999999999", "0", "²"):
        briefing = director_client.get("/briefing.xlsx", {"year": year})
        assert briefing.status_code == 400 and "회계연도는 2000년부터" in briefing.content.decode()
