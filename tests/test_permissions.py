"""The permission matrix: every URL that writes, for every role, on the person's own division and on
another's (a crafted request with another division's code in the URL or in the rows), and across bureaus:
a second bureau built by factories, with its own staff, director, bureau director and planning, whose people
write nothing of the demo bureau's and the demo bureau's people nothing of theirs, under either bureau's
address (/b/<slug>/…); the city budget office (예산담당관) writes nothing of either bureau's.

The URL list comes from the URLconf: a URL that is in neither WRITES nor READS fails the test, so a new
view is classified (and covered) before it ships. Every URL, read or write, is also POSTed by every role
to show that a read never writes.
"""

import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from budget.exports.sheet import template_xlsx
from budget.models import BudgetAdjustment, BudgetLine, BudgetPaceTarget, DivisionMonth, ExecutionSnapshot, Publication
from budget.selectors.entry import division_month_grid
from budget.selectors.periods import bureau_period
from budget.services import ExecutionInput, division_month_submit, execution_month_save
from civicbureau.audit import history_version
from jobs.models import Job
from programs.models import Indicator, IndicatorValue, MeasureTarget, ScheduleItem
from programs.services import measure_targets_version, targets_propose
from staffing.middleware import bureau_prefix
from staffing.models import Division, Grade, HeadcountEntry, Membership
from staffing.permissions import BUREAU_ROLES, membership_of
from staffing.services import headcount_grid_version
from tests.factories import (
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    HeadcountEntryFactory,
    IndicatorFactory,
    MembershipFactory,
    ProgramFactory,
    ScheduleItemFactory,
)

pytestmark = pytest.mark.django_db

JULY = datetime.date(2022, 7, 31)
REPORT_DATE = datetime.date(2022, 7, 1)
OWN, OTHER = "participation", "community"
SECOND = "t-second-division"  # the second bureau's division (second_bureau)
NO_JOB = "00000000-0000-0000-0000-000000000000"  # a job nobody started (a job's own people: tests/jobs)

# url name → who may write through it: EDITORS on their own division only; APPROVERS: a division's director
# on their division, the bureau director and planning staff on every division of the bureau.
EDITORS = "edit"
APPROVERS = "approve"
# the headcount grid: the division's staff and director (현원) on their own division, the bureau's roles (정원) on any
HEADCOUNT = "headcount"
# a reporting period of the bureau: its director and planning staff only (no division in the address)
PUBLISHERS = "publish"
# every signed-in person, on their own session only (연장: it writes the session, no figure)
SIGNED_IN = "signed_in"
# the city's pace targets: the budget office and the administrator
CITY_PACE = "city_pace"
DIVISION_OF = {
    "staff_a": "participation",
    "director_a": "participation",
    "staff_b": "community",
    "staff_c": SECOND,
    "director_c": SECOND,
}
# the bureau each signed-in role belongs to ("demo": 시민협력국; "second": second_bureau's; None: no bureau)
BUREAU_OF = {
    **dict.fromkeys(("staff_a", "staff_b", "director_a", "bureau", "planning"), "demo"),
    **dict.fromkeys(("staff_c", "director_c", "bureau_c", "planning_c"), "second"),
}
BUREAU_MANAGERS = ("bureau", "planning", "bureau_c", "planning_c")
# the city extract: the budget office (tests/budget/test_city_extract.py) and the administrator, any division
CITY_EXTRACT = "city_extract"
# the budget book (onboarding a bureau's divisions, teams and lines): the administrator only
ADMINISTRATOR = "administrator"
# the city briefing, started as a job (its form's POST): the budget office and the administrator
CITY_BRIEFING = "city_briefing"
WRITES = {
    "budget:month_detail": EDITORS,
    "budget:month_submit": EDITORS,
    "budget:month_withdraw": EDITORS,
    "budget:month_approve": APPROVERS,
    "budget:month_return": APPROVERS,
    "budget:month_correct": EDITORS,
    "budget:import_upload": EDITORS,  # the preview: a dry run, rolled back
    "budget:import_apply": EDITORS,
    "budget:line_adjustments": EDITORS,
    "programs:schedule_item_progress": EDITORS,
    "programs:indicator_values": EDITORS,
    "programs:measure_targets": EDITORS,  # a proposal of the year's targets
    "programs:measure_settings": EDITORS,
    "programs:measure_targets_approve": APPROVERS,
    "programs:measure_targets_return": APPROVERS,
    "staffing:headcount_entry": HEADCOUNT,
    "budget:period_publish": PUBLISHERS,
    "session_extend": SIGNED_IN,
    "city:pace": CITY_PACE,
    "city:extract": CITY_EXTRACT,  # the preview: writes nothing
    "city:extract_apply": CITY_EXTRACT,
    "budget:budget_book": ADMINISTRATOR,  # the preview: writes nothing
    "budget:budget_book_apply": ADMINISTRATOR,
    "reports:city_briefing": CITY_BRIEFING,  # starts the job; its file is the job's (tests/reports/test_city_briefing.py)
}
READS = {
    "portal:home", "reports:briefing_export", "budget:entry_board", "budget:month_template", "budget:month_history",
    "budget:line_history", "programs:consistency", "budget:adjustment_list", "programs:schedule_progress_list",
    "programs:indicator_list", "programs:measure_list", "budget:period_list", "budget:period_detail", "worklist:my_work",
    # dashboards (who may open them: tests/dashboards/test_permissions.py)
    "dashboards:dashboard_home", "dashboards:bureau_dashboard", "dashboards:bureau_changes", "dashboards:division_dashboard",
    "dashboards:division_changes", "dashboards:bureau_progress",
    # a job's page and file are its creator's (tests/jobs)
    "jobs:job", "jobs:download",
    # public pages and open data (anyone; approved figures only)
    "budget:execution", "city:execution", "city:home", "budget:execution_csv", "budget:execution_json", "budget:execution_lines_csv",
    "budget:datapackage", "programs:schedule", "programs:schedule_csv", "programs:schedule_json",
    "programs:program_list", "programs:program_detail", "programs:program_csv", "programs:program_json",
    "programs:program_outline_csv", "programs:program_outline_json",
    "portal:organisation", "portal:organisation_file", "portal:glossary", "portal:measures_file",
    "healthz",  # the load balancer's health check: JSON, anyone (tests/civicbureau/test_health.py)
}  # fmt: skip
# Django's own views (the admin is tested below; login in tests/test_security.py) and the language switch
OUTSIDE = (
    "admin", "accounts", "i18n", "set_language", "login", "logout", "password_change", "password_change_done",
    "language_switch",
)  # fmt: skip
ROLES = ["anonymous", "staff_a", "staff_b", "director_a", "bureau", "planning", "admin", "budget"]
SECOND_ROLES = ["staff_c", "director_c", "bureau_c", "planning_c"]


@pytest.fixture
def second_bureau(people):
    """A second bureau built by factories beside the demo, in 2022 like the demo, with what every write
    acts on: a line with its report-date figures approved (so a correction would work), a milestone, a
    measure, the report date's headcount; and its own staff, director, bureau director and planning.
    Returns `people` with them (staff_c, director_c, bureau_c, planning_c)."""
    bureau = BureauFactory(name="시험제이국", slug="second")
    division = DivisionFactory(bureau=bureau, code=SECOND, name="시험제이과")
    line = BudgetLineFactory(division=division, fiscal_year=2022, code="SE-01", order=1)
    ExecutionSnapshotFactory(
        budget_line=line, as_of=REPORT_DATE, obligations=5_000_000, disbursements=5_000_000, approved=True
    )
    DivisionMonthFactory(division=division, as_of=REPORT_DATE, approved=True)
    program = ProgramFactory(division=division, core_task__direction__fiscal_year=2022)
    ScheduleItemFactory(program=program, date_text="’22. 7월~8월")
    IndicatorFactory(program=program, additive=False)
    HeadcountEntryFactory(division=division, grade=Grade.objects.order_by("order").first(), as_of=REPORT_DATE)
    second = {
        "staff_c": MembershipFactory(role=Membership.Role.STAFF, division=division).user,
        "director_c": MembershipFactory(role=Membership.Role.DIRECTOR, division=division).user,
        "bureau_c": MembershipFactory(role=Membership.Role.BUREAU_DIRECTOR, division=None, bureau=bureau).user,
        "planning_c": MembershipFactory(role=Membership.Role.PLANNING, division=None, bureau=bureau).user,
    }
    return {**people, **second}


def url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).rstrip("/") in OUTSIDE:
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in OUTSIDE:
            yield prefix + entry.name


def test_every_url_is_in_the_matrix():
    names = set(url_names())
    assert names - set(WRITES) - READS == set(), "classify the new URL in WRITES or READS"
    assert set(WRITES) | READS <= names


def client_for(role, people):
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def rows_for(division, codes_from=None):
    """Valid cumulative figures for every line of the division (obligations = disbursements as of July 1)."""
    source = Division.objects.get(code=codes_from or division.code)
    rows = []
    for snapshot in ExecutionSnapshot.objects.filter(budget_line__division=source, as_of=REPORT_DATE).select_related(
        "budget_line"
    ):
        rows.append(
            ExecutionInput(
                code=snapshot.budget_line.code, obligations=snapshot.disbursements, disbursements=snapshot.disbursements
            )
        )
    return rows


def editor_of(division, people):
    """Who enters the division's figures in prepare(): its director."""
    return Membership.objects.get(division=division, role=Membership.Role.DIRECTOR).user


def schedule_item_of(division):
    return ScheduleItem.objects.filter(program__division=division).order_by("pk").first()


def indicator_of(division):
    return Indicator.objects.filter(program__division=division, additive=False).order_by("pk").first()


def target_proposal(measure, value="7777") -> dict:
    """A valid proposal of the measure's 2022 targets, as the service takes it (a range: its two ends)."""
    ends = {"low": value, "high": str(int(value) + 1)} if measure.direction == Indicator.Direction.RANGE else {}
    typed = ends or {"value": "1" if measure.direction == Indicator.Direction.YES_NO else value}
    return {
        "fiscal_year": 2022,
        **typed,
        "reason": "시험",
        "version": measure_targets_version(indicator=measure, fiscal_year=2022),
    }


def line_of(division):
    return BudgetLine.objects.filter(division=division, fiscal_year=2022).order_by("order").first()


def prepare(name, division, people, role=None):
    """Bring the target record into the state the URL acts on; returns the POST data (a valid change)."""
    editor = editor_of(division, people)
    if name == "budget:line_adjustments":
        return {"kind": "supplementary", "amount": "1,000,000", "effective_on": "2022-08-01", "reason": "2회 추경"}
    if name == "city:pace":
        return {"version": 0, "month_6": "60.0"}
    if name == "reports:city_briefing":
        return {"year": 2022}
    if name == "budget:period_publish":
        # an adjustment not yet public: ’22. 7. 1. has something to publish as its second edition
        BudgetAdjustment.objects.create(
            budget_line=line_of(division), kind="supplementary", amount=1_000, effective_on="2022-06-01", reason="추경"
        )
        latest = bureau_period(bureau=division.bureau, as_of=REPORT_DATE).latest
        return {"edition_seen": latest.edition if latest else 0, "year": 2022}
    if name == "programs:schedule_item_progress":
        item = schedule_item_of(division)
        return {
            "status": "in_progress",
            "actual_start": "2022-07-15",
            "actual_end": "",
            "note": "착수",
            "version": history_version(item.history.all()),
        }
    if name == "programs:indicator_values":
        return {"record": "", "version": "", "as_of": "2022-08-31", "category": "", "value": "123"}
    if name == "programs:measure_targets":
        proposal = target_proposal(indicator_of(division))
        del proposal["fiscal_year"]
        return proposal
    if name == "programs:measure_settings":
        measure = indicator_of(division)
        return {
            "direction": measure.direction,
            "baseline": "3",
            "baseline_year": "2021",
            "version": history_version(measure.history.all()),
        }
    if name in ("programs:measure_targets_approve", "programs:measure_targets_return"):
        measure = indicator_of(division)
        targets_propose(user=editor, indicator=measure, **target_proposal(measure))
        return {"version": measure_targets_version(indicator=measure, fiscal_year=2022), "reason": "확인 바랍니다"}
    if name == "staffing:headcount_entry":
        entries = {e.grade_id: e for e in HeadcountEntry.objects.filter(division=division, as_of=REPORT_DATE)}
        data = {
            "version": headcount_grid_version(division=division, as_of=REPORT_DATE),
            "rows-INITIAL_FORMS": 0,
            "rows-MIN_NUM_FORMS": 0,
            "rows-MAX_NUM_FORMS": 100,
        }
        membership = membership_of(people[role]) if role in people else None
        column = "quota" if membership is not None and membership.role in BUREAU_ROLES else "current"
        grades = [g for g in Grade.objects.order_by("order") if g.pk in entries]
        for i, grade in enumerate(grades):
            entry = entries[grade.pk]
            values = {"quota": entry.quota, "current": entry.current}
            if i == 0:
                values[column] += 1
            data.update(
                {
                    f"rows-{i}-grade": grade.code,
                    f"rows-{i}-quota": values["quota"],
                    f"rows-{i}-current": values["current"],
                }
            )
        data["rows-TOTAL_FORMS"] = len(grades)
        return data
    if name in ("budget:month_submit", "budget:month_approve", "budget:month_return", "budget:month_withdraw"):
        month = execution_month_save(user=editor, division=division, as_of=JULY, rows=rows_for(division), version=0)
        if name != "budget:month_submit":
            month = division_month_submit(user=editor, month=month, version=month.version)
        return {"version": month.version, "reason": "확인 바랍니다", "confirmed": "1"}
    if name == "budget:month_correct":
        month = DivisionMonth.objects.get(division=division, as_of=REPORT_DATE)
        return {"version": month.version, "reason": "정정 시험"}
    if name == "budget:month_detail":
        data = {
            "version": 0,
            "rows-TOTAL_FORMS": 0,
            "rows-INITIAL_FORMS": 0,
            "rows-MIN_NUM_FORMS": 0,
            "rows-MAX_NUM_FORMS": 1000,
        }
        for i, row in enumerate(rows_for(division)):
            data.update(
                {
                    f"rows-{i}-code": row.code,
                    f"rows-{i}-obligations": row.obligations,
                    f"rows-{i}-disbursements": row.disbursements,
                }
            )
            data["rows-TOTAL_FORMS"] = i + 1
        return data
    return {}


def sheet_for(division) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(division_month_grid(division=division, as_of=JULY))))
    sheet = workbook["실적"]
    for row in sheet.iter_rows(min_row=2):
        row[7].value = row[8].value  # obligations = disbursements: valid
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = f"{division.code}.xlsx"
    buffer.seek(0)
    return buffer


def book_for(division):
    """The budget book (csv) of the division's 2022 lines as they stand, and one new line."""
    rows = ["국,과,팀,세부사업 코드,세부사업명,회계연도,당초예산(원)"]
    for line in BudgetLine.objects.filter(division=division, fiscal_year=2023):
        rows.append(f"{division.bureau.name},{division.name},,{line.code},{line.name},2023,{line.original_budget}")
    rows.append(f"{division.bureau.name},{division.name},,NEW-{division.code},새 세부사업,2023,1000000")
    return SimpleUploadedFile("book.csv", "\n".join(rows).encode(), content_type="text/csv")


def extract_for(division):
    """The city extract (xlsx) of the division's lines at the end of August: July's figures again, valid."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["세부사업 코드", "회계연도", "원인행위 누계(원)", "지출액 누계(원)"])
    for row in rows_for(division):
        sheet.append([row.code, 2022, row.obligations, row.disbursements])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "extract.xlsx"
    buffer.seek(0)
    return buffer


def url_for(name, division):
    if name == "city:pace":
        return reverse(name) + "?year=2022"
    if name in (
        "budget:import_upload",
        "budget:import_apply",
        "session_extend",
        "city:extract",
        "city:extract_apply",
        "budget:budget_book",
        "budget:budget_book_apply",
        "reports:city_briefing",
    ):
        return reverse(name)
    if name == "budget:line_adjustments":
        return reverse(name, args=[2022, line_of(division).code])
    if name == "programs:schedule_item_progress":
        return reverse(name, args=[schedule_item_of(division).pk])
    if name == "programs:indicator_values":
        return reverse(name, args=[indicator_of(division).code])
    if name.startswith("programs:measure_"):
        return reverse(name, args=[indicator_of(division).code, 2022])
    if name == "staffing:headcount_entry":
        return reverse(name, args=[division.code]) + f"?as_of={REPORT_DATE.isoformat()}"
    if name == "budget:period_publish":
        return reverse(name, args=[REPORT_DATE])
    as_of = REPORT_DATE if name == "budget:month_correct" else JULY
    return reverse(name, args=[division.code, as_of])


def state():
    return (
        sorted(ExecutionSnapshot.objects.values_list("pk", "obligations", "disbursements", "approved_disbursements")),
        sorted(DivisionMonth.objects.values_list("pk", "status", "version", "revision")),
        sorted(BudgetAdjustment.objects.values_list("pk", "amount", "effective_on")),
        sorted(ScheduleItem.objects.values_list("pk", "status", "actual_start", "actual_end", "note")),
        sorted(IndicatorValue.objects.values_list("pk", "as_of", "category", "value")),
        sorted(MeasureTarget.objects.values_list("pk", "revision", "value", "low", "high", "status", "reason")),
        sorted(Indicator.objects.values_list("pk", "direction", "baseline", "baseline_year")),
        sorted(HeadcountEntry.objects.values_list("pk", "quota", "current")),
        sorted(Publication.objects.values_list("pk", "edition")),
        sorted(BudgetPaceTarget.objects.values_list("pk", "bureau", "fiscal_year", "month", "target_rate")),
        sorted(Job.objects.values_list("pk", "kind", "status")),
    )


def may_write(name, role, target) -> bool:
    """Whether `role` may write `target`'s figures (a division code) through `name`, by the rules above."""
    bureau = "second" if target == SECOND else "demo"
    manages = role in BUREAU_MANAGERS and BUREAU_OF[role] == bureau
    kind = WRITES[name]
    if kind == EDITORS:
        return DIVISION_OF.get(role) == target
    if kind == HEADCOUNT:
        return DIVISION_OF.get(role) == target or manages
    if kind == PUBLISHERS:
        return manages
    if kind == SIGNED_IN:
        return role != "anonymous"
    if kind in (CITY_PACE, CITY_EXTRACT, CITY_BRIEFING):
        return role in ("budget", "admin")
    if kind == ADMINISTRATOR:
        return role == "admin"
    return manages or (role in ("director_a", "director_c") and DIVISION_OF[role] == target)


def check_write(name, role, target, people, *, prefixed=False):
    """POST a valid change of `target`'s figures through `name` as `role` (under the address of the target's
    bureau, /b/<slug>/…, when `prefixed`): written when the role may, else refused with nothing written."""
    division = Division.objects.select_related("bureau").get(code=target)
    data = prepare(name, division, people, role)
    client = client_for(role, people)
    url = url_for(name, division)
    if prefixed:
        url = bureau_prefix(division.bureau.slug) + url.lstrip("/")
    before = state()
    may = may_write(name, role, target)
    if name in ("budget:import_upload", "budget:import_apply"):
        if name == "budget:import_apply" and role in DIVISION_OF:
            preview = client.post(reverse("budget:import_upload"), {"file": sheet_for(division)})
            data = {"token": preview.context["token"] or "none"} if preview.status_code in (200, 400) else {}
        else:
            data = {"file": sheet_for(division)} if name == "budget:import_upload" else {"token": "forged"}
    if name in ("city:extract", "city:extract_apply"):
        data = {"as_of": "2022-08-31", "file": extract_for(division)}
        if name == "city:extract_apply":
            preview = client.post(reverse("city:extract"), data)
            data = {"token": preview.context["token"] if preview.status_code == 200 else "forged"}
    if name in ("budget:budget_book", "budget:budget_book_apply"):
        data = {"file": book_for(division)}
        if name == "budget:budget_book_apply":
            preview = client.post(reverse("budget:budget_book"), data)
            data = {"token": preview.context["token"] if preview.status_code == 200 else "forged"}
    response = client.post(url, data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert state() == before
        return
    if may:
        assert response.status_code in (200, 302), response.content.decode()[:1500]
        if name == "session_extend":  # the session is renewed: a full idle period left, no figure changed
            assert response.json() == {"seconds_left": settings.SESSION_COOKIE_AGE}
            assert state() == before
        elif name not in ("budget:import_upload", "city:extract", "budget:budget_book", "budget:budget_book_apply"):
            assert state() != before, f"{role} should have written through {name}"
        else:
            # a preview writes nothing; the book's apply writes lines (tests/budget/test_budget_book.py), no figure
            assert state() == before
        return
    # not allowed: refused outright, or (a crafted file of another division's lines) refused row by row
    assert response.status_code in (403, 404, 400) or (name == "budget:import_apply" and response.status_code == 302), (
        response.status_code
    )
    assert state() == before, f"{role} changed {target}'s figures through {name}"


@pytest.mark.parametrize("target", [OWN, OTHER])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(WRITES))
def test_who_may_write(name, role, target, people):
    check_write(name, role, target, people)


# The second bureau's people on both bureaus (their own: the positive case that shows the fixture is
# writable), the demo bureau's people and the budget office on the second bureau; under the address of the
# target's bureau, so the bureau-wide writes (publishing) name the target's bureau.
ACROSS = [(role, target) for role in SECOND_ROLES for target in (OWN, SECOND)] + [
    (role, SECOND) for role in ("staff_a", "director_a", "bureau", "planning", "budget")
]


@pytest.mark.parametrize(("role", "target"), ACROSS)
@pytest.mark.parametrize(
    "name",
    sorted(
        set(WRITES)
        - {
            "session_extend",
            "city:pace",
            "city:extract",
            "city:extract_apply",
            "budget:budget_book",
            "budget:budget_book_apply",
        }
    ),
)
def test_who_may_write_across_bureaus(name, role, target, second_bureau):
    check_write(name, role, target, second_bureau, prefixed=True)


@pytest.mark.parametrize("role", ROLES)
def test_reads_never_write(role, people):
    client = client_for(role, people)
    before = state()
    for name in READS:
        if name in ("budget:month_history",):
            url = reverse(name, args=[OWN, REPORT_DATE])
        elif name == "budget:period_detail":
            url = reverse(name, args=[REPORT_DATE])
        elif name == "budget:month_template":
            url = reverse(name, args=[OWN, JULY, "xlsx"])
        elif name == "budget:line_history":
            url = reverse(name, args=[2022, "PA-01"])
        elif name in ("dashboards:division_dashboard", "dashboards:division_changes"):
            url = reverse(name, args=[OWN])
        elif name in (
            "programs:program_detail",
            "programs:program_csv",
            "programs:program_json",
            "programs:program_outline_csv",
            "programs:program_outline_json",
        ):
            url = reverse(name, args=["civic-activity-facilities"])
        elif name == "portal:organisation_file":
            url = reverse(name, args=["headcount", "csv"])
        elif name == "portal:measures_file":
            url = reverse(name, args=["measures", "csv"])
        elif name in ("jobs:job", "jobs:download"):
            url = reverse(name, args=[NO_JOB])
        else:
            url = reverse(name)
        client.post(url, {"version": 1, "reason": "x"})
    assert state() == before


def problems_shown(html: str) -> list[str]:
    """The items of the page's problem list (#problems), as text."""
    found = re.search(r'<div[^>]*id="problems"[^>]*>(.*?)</div>', html, re.S)
    assert found, "no #problems on the page"
    return [
        unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    ]


def test_a_crafted_grid_with_another_divisions_line_is_refused(people):
    client = client_for("staff_a", people)
    own = Division.objects.get(code=OWN)
    data = prepare("budget:month_detail", own, people)
    data["rows-0-code"] = "CO-01"  # tampered: another division's line in my division's grid
    before = state()
    response = client.post(url_for("budget:month_detail", own), data)
    assert response.status_code == 400
    # one refusal, on that row's code, naming the line's division and the grid's
    other = BudgetLine.objects.get(fiscal_year=2022, code="CO-01").division
    message = f"CO-01은(는) {other.name}의 세부사업입니다; {own.name}의 실적만 넣을 수 있습니다."
    assert [(p.row, p.field, str(p.message)) for p, _cell in response.context["problems"]] == [
        ("CO-01", "code", message)
    ]
    assert problems_shown(response.content.decode()) == [f"CO-01 · 사업 코드: {message}"]
    assert state() == before


def test_a_tampered_month_id_in_another_bureau_is_not_found(people):
    client = client_for("staff_a", people)
    response = client.post(reverse("budget:month_submit", args=["no-such-division", JULY]), {"version": 1})
    assert response.status_code == 404


# -- the admin: a staff member with admin access cannot reach another division's figures either -------


@pytest.fixture
def staff_admin_client(people):
    from django.contrib.auth.models import Permission

    user = people["staff_a"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["budget", "staffing"]))
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_lists_and_opens_only_the_own_divisions_figures(staff_admin_client):
    listing = staff_admin_client.get(reverse("admin:budget_executionsnapshot_changelist")).content.decode()
    assert "시민참여 활성화 추진" in listing and "커뮤니티 공간 운영지원" not in listing
    other = ExecutionSnapshot.objects.get(budget_line__code="CO-01", as_of=REPORT_DATE)
    response = staff_admin_client.get(reverse("admin:budget_executionsnapshot_change", args=[other.pk]))
    assert response.status_code in (302, 403, 404)


def test_the_admin_refuses_a_crafted_post_on_another_divisions_record(staff_admin_client):
    other = ExecutionSnapshot.objects.get(budget_line__code="CO-02", as_of=REPORT_DATE)
    before = state()
    response = staff_admin_client.post(
        reverse("admin:budget_executionsnapshot_change", args=[other.pk]),
        {"budget_line": other.budget_line_id, "as_of": "2022-07-01", "obligations": "", "disbursements": "1"},
    )
    assert response.status_code in (302, 403, 404)
    assert state() == before
    # adding a record for another division's line: the line is not among the choices
    line_b = other.budget_line_id
    response = staff_admin_client.post(
        reverse("admin:budget_executionsnapshot_add"),
        {"budget_line": line_b, "as_of": "2022-08-31", "obligations": "1", "disbursements": "1"},
    )
    assert response.status_code in (200, 403)
    assert state() == before
