"""The read side of the permission matrix, generated from the URLconf: every URL that only reads ×
every role → the status that role gets, in one table. A URL added later is in neither
test_permissions.WRITES nor this table and fails the first test until someone decides who may read it.

    200   the page (or file)
    login 302 to the login page
    →     302 elsewhere (/dashboards/ sends each person to their own dashboard)
    403   refused (the 403 page)

Across bureaus (a second bureau built by factories, tests.test_permissions.second_bureau): every internal
page of a bureau, under its address /b/<slug>/…, is the budget office's to read (200) and refused (403 or
404) to the people of the other bureau, whose own bureau's figures it never shows instead.

Staff of division B reading division A's month, its history and a line's history get 200 on purpose:
every member of the bureau reads everything internal (civicbureau/permissions.py, VIEW); a division's
working dashboard is its own and its management's (README, "What each role sees")."""

import pytest
from django.urls import reverse

from staffing.middleware import bureau_prefix
from staffing.models import Bureau, Division
from tests.factories import publish
from tests.test_permissions import (
    JULY,
    NO_JOB,
    OWN,
    REPORT_DATE,
    ROLES,
    SECOND,
    SECOND_ROLES,
    WRITES,
    client_for,
    second_bureau,  # noqa: F401  (a fixture)
    url_names,
)

pytestmark = pytest.mark.django_db

# the arguments of the URLs that take some (a URL with arguments that is not here fails to reverse)
ARGS = {
    "budget:month_history": [OWN, REPORT_DATE],
    "budget:month_template": [OWN, JULY, "xlsx"],
    "budget:line_history": [2022, "PA-01"],
    "dashboards:division_dashboard": [OWN],
    "dashboards:division_changes": [OWN],
    "programs:program_detail": ["civic-activity-facilities"],
    "programs:program_csv": ["civic-activity-facilities"],
    "programs:program_json": ["civic-activity-facilities"],
    "programs:program_outline_csv": ["participatory-budgeting"],
    "programs:program_outline_json": ["participatory-budgeting"],
    "portal:organisation_file": ["headcount", "csv"],
    "portal:measures_file": ["measure_targets", "json"],
    "budget:period_detail": [REPORT_DATE],
    "jobs:job": [NO_JOB],
    "jobs:download": [NO_JOB],
}
PUBLIC = ("200",) * 8
# URL name → the status for   anonymous  staff_a  staff_b  director_a  bureau  planning  admin  budget (ROLES order)
MATRIX = {
    "portal:home":                 PUBLIC,
    "budget:execution":            PUBLIC,
    "city:execution":              PUBLIC,
    "city:home":                   PUBLIC,
    "budget:execution_csv":        PUBLIC,
    "budget:execution_json":       PUBLIC,
    "budget:execution_lines_csv":  PUBLIC,
    "budget:datapackage":          PUBLIC,
    "programs:schedule":           PUBLIC,
    "programs:schedule_csv":       PUBLIC,
    "programs:schedule_json":      PUBLIC,
    "programs:program_list":       PUBLIC,
    "programs:program_detail":     PUBLIC,
    "programs:program_csv":        PUBLIC,
    "programs:program_json":       PUBLIC,
    "programs:program_outline_csv": PUBLIC,
    "programs:program_outline_json": PUBLIC,
    "portal:organisation":       PUBLIC,
    "portal:organisation_file":  PUBLIC,
    "portal:measures_file":      PUBLIC,
    "portal:glossary":           PUBLIC,
    "budget:entry_board":          ("login", "200", "200", "200", "200", "200", "200", "200"),
    "budget:month_template":       ("login", "200", "200", "200", "200", "200", "200", "200"),
    "budget:month_history":        ("login", "200", "200", "200", "200", "200", "200", "200"),
    "budget:line_history":         ("login", "200", "200", "200", "200", "200", "200", "200"),
    "programs:consistency":        ("login", "200", "200", "200", "200", "200", "200", "200"),
    "budget:adjustment_list":      ("login", "200", "200", "200", "200", "200", "200", "200"),
    "programs:schedule_progress_list": ("login", "200", "200", "200", "200", "200", "200", "200"),
    "programs:indicator_list":     ("login", "200", "200", "200", "200", "200", "200", "200"),
    "programs:measure_list":       ("login", "200", "200", "200", "200", "200", "200", "200"),
    "budget:period_list":          ("login", "200", "200", "200", "200", "200", "200", "200"),
    "budget:period_detail":        ("login", "200", "200", "200", "200", "200", "200", "200"),
    "worklist:my_work":            ("login", "200", "200", "200", "200", "200", "200", "200"),
    "dashboards:dashboard_home":       ("login", "→",   "→",   "→",   "→",   "→",   "→",   "→"),
    "dashboards:division_dashboard":   ("login", "200", "403", "200", "200", "200", "200", "200"),
    "dashboards:division_changes":     ("login", "200", "403", "200", "200", "200", "200", "200"),
    "dashboards:bureau_dashboard":     ("login", "403", "403", "403", "200", "200", "200", "200"),
    "dashboards:bureau_changes":       ("login", "403", "403", "403", "200", "200", "200", "200"),
    "dashboards:bureau_progress":      ("login", "403", "403", "403", "200", "200", "200", "200"),
    "reports:briefing_export":      ("login", "403", "403", "200", "200", "200", "200", "200"),
    "jobs:job":                     ("login", "404", "404", "404", "404", "404", "404", "404"),  # nobody's job (tests/jobs)
    "jobs:download":                ("login", "404", "404", "404", "404", "404", "404", "404"),
    "healthz":                      ("200",   "200", "200", "200", "200", "200", "200", "200"),  # the load balancer's
}  # fmt: skip


def test_the_matrix_covers_every_url_that_reads():
    reads = set(url_names()) - set(WRITES)
    assert reads - set(MATRIX) == set(), "a new URL: add its row (who gets what) to MATRIX"
    assert set(MATRIX) - reads == set(), "MATRIX names a URL the URLconf no longer has"
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


def outcome(response) -> str:
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/accounts/login/") else "→"
    return str(response.status_code)


def test_every_role_gets_the_expected_status_on_every_url_that_reads(people):
    clients = {role: client_for(role, people) for role in ROLES}
    got, wrong = {}, []
    for name, expected in sorted(MATRIX.items()):
        url = reverse(name, args=ARGS.get(name, []))
        got[name] = tuple(outcome(clients[role].get(url)) for role in ROLES)
        wrong += [
            f"{name} as {role}: {g} (expected {e})"
            for role, g, e in zip(ROLES, got[name], expected, strict=True)
            if g != e
        ]
    assert wrong == [], "\n".join(wrong)
    assert len(got) * len(ROLES) >= 29 * 8  # every cell was requested


# the internal pages (those a visitor is sent to sign in for), with their arguments in each bureau (a job's
# pages are in no bureau's: tests/jobs)
OUTSIDE_BUREAUS = ("dashboards:dashboard_home", "jobs:job", "jobs:download")
INTERNAL = sorted(name for name, row in MATRIX.items() if row[0] == "login" and name not in OUTSIDE_BUREAUS)
ARGS_IN = {
    OWN: ARGS,
    SECOND: {
        **ARGS,
        "budget:month_history": [SECOND, REPORT_DATE],
        "budget:month_template": [SECOND, JULY, "xlsx"],
        "budget:line_history": [2022, "SE-01"],
        "dashboards:division_dashboard": [SECOND],
        "dashboards:division_changes": [SECOND],
    },
}
OF_THE_DEMO = ("staff_a", "director_a", "bureau", "planning")


def bureau_url(name, division_code):
    division = Division.objects.select_related("bureau").get(code=division_code)
    return bureau_prefix(division.bureau.slug) + reverse(name, args=ARGS_IN[division_code].get(name, [])).lstrip("/")


def test_the_budget_office_reads_every_internal_page_of_both_bureaus_under_their_addresses(second_bureau):  # noqa: F811
    publish(Bureau.objects.get(slug="second"), REPORT_DATE)  # a published period: the briefing has one to export
    client = client_for("budget", second_bureau)
    got = {(name, code): client.get(bureau_url(name, code)).status_code for name in INTERNAL for code in (OWN, SECOND)}
    assert {key: status for key, status in got.items() if status != 200} == {}
    board = client.get(bureau_url("budget:entry_board", SECOND)).content.decode()
    assert "시험제이과" in board and "시민참여과" not in board  # the named bureau's, not the default one's


@pytest.mark.parametrize(
    ("role", "other"), [(role, OWN) for role in SECOND_ROLES] + [(role, SECOND) for role in OF_THE_DEMO]
)
def test_the_internal_pages_of_another_bureau_are_refused(role, other, second_bureau):  # noqa: F811
    client = client_for(role, second_bureau)
    got = {name: client.get(bureau_url(name, other)).status_code for name in INTERNAL}
    assert {name: status for name, status in got.items() if status not in (403, 404)} == {}
