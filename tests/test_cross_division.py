"""At least 1,000 attempted cross-division writes, none of which succeeds (ASVS 4.1, 4.2.1).

Three people who may write for their own division (staff A, director A, staff B) try to write another
division's figures through every writing path: the month grid with the other division in the URL, or
their own URL with another division's lines in the rows; submit, approve, return and correct on the other
division's months at several dates and versions (including the right one); sheets of another division's
lines uploaded as a preview and applied with forged tokens; and the admin (staff A given admin access
and every budget permission) changing or adding another division's records by primary key. Every
attempt is counted; after each one the history tables must not have grown (every write to money leaves
a history row) and, at the end, no row of any table may differ.

Across bureaus: a second bureau built by factories (tests.test_permissions.second_bureau) whose staff and
director try the same on the demo bureau's divisions (and the demo's on theirs); the city budget office
(예산담당관) tries every one of these writes on every division of both bureaus; in the admin, the second
bureau's director (given admin access and every permission) tries the demo bureau's reference data (the
bureau, its divisions, its pace targets) and a city pace target, and the budget office (given the same)
every division's figures and a city pace target."""

import collections
import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from budget.models import BudgetLine, BudgetPaceTarget, DivisionMonth, ExecutionSnapshot
from budget.services import division_month_submit, execution_month_save
from programs.services import measure_targets_version, targets_propose
from staffing.models import Bureau, Division
from staffing.permissions import membership_of
from tests.fingerprint import database_fingerprint
from tests.test_permissions import (
    JULY,
    REPORT_DATE,
    SECOND,
    editor_of,
    indicator_of,
    rows_for,
    second_bureau,  # noqa: F401  (a fixture)
    target_proposal,
)

pytestmark = pytest.mark.django_db

ATTACKERS = ("staff_a", "director_a", "staff_b", "staff_c", "director_c", "budget")
MONTH_ENDS = [datetime.date(2022, m, 1) - datetime.timedelta(days=1) for m in range(2, 13)] + [
    datetime.date(2022, 12, 31)
]
AUGUST = datetime.date(2022, 8, 31)
MEASURE_WRITES = (
    "programs:measure_targets",
    "programs:measure_settings",
    "programs:measure_targets_approve",
    "programs:measure_targets_return",
)


def history_size() -> int:
    return sum(m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical"))


def own_division(role, people):
    """The person's division (None for the budget office, which has none)."""
    return membership_of(people[role]).division


def grid_data(rows, version):
    data = {
        "version": version,
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": 0,
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for i, (code, obligations, disbursements) in enumerate(rows):
        data.update(
            {f"rows-{i}-code": code, f"rows-{i}-obligations": obligations, f"rows-{i}-disbursements": disbursements}
        )
    return data


def sheet(rows, as_of, version) -> io.BytesIO:
    lines = ["사업 코드,기준일,버전,원인행위 누계(원),지출액 누계(원)"] + [
        f"{c},{as_of},{version},{o},{d}" for c, o, d in rows
    ]
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "forged.csv"
    return upload


@pytest.fixture
def targets(second_bureau):  # noqa: F811
    """Every division's July month submitted (so approving or returning it would work for its approvers)
    and its August month open as a draft; the report's months are approved (so correcting would work).
    The demo's people, the second bureau's and the budget office."""
    people = second_bureau
    for division in Division.objects.filter(budget_lines__fiscal_year=2022).distinct():
        editor = editor_of(division, people) if division.code in ("participation", "community", SECOND) else None
        if editor is None:
            continue
        month = execution_month_save(user=editor, division=division, as_of=JULY, rows=rows_for(division), version=0)
        division_month_submit(user=editor, month=month, version=month.version)
        execution_month_save(user=editor, division=division, as_of=AUGUST, rows=rows_for(division), version=0)
        measure = indicator_of(division)  # a proposal, so that approving or returning it would work
        targets_propose(user=editor, indicator=measure, **target_proposal(measure))
    demo = Bureau.objects.get(divisions__code="participation")  # a pace target of its own, to change
    BudgetPaceTarget.objects.create(bureau=demo, fiscal_year=2022, month=6, target_rate=50)
    return people


@pytest.fixture
def admin_attacker(people):
    user = people["staff_a"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["budget", "staffing"]))
    return user


EXPECTED = {
    "grid: other division in the URL": {403, 404},  # 404: another bureau's division, out of sight
    "grid: another division's line in my rows": {400},
    **{
        f"budget:month_{action} of another division": {403, 404}
        for action in ("submit", "withdraw", "approve", "return", "correct")
    },
    **{f"{name} of another division": {403, 404} for name in MEASURE_WRITES},
    "import: another division's sheet": {400, 403},  # 403: the budget office imports nothing
    "import: forged apply token": {302, 403},
    "admin: change another division's figures": {403, 404},
    "admin: add figures to another division's line": {200, 403},
    "admin: change another division's line": {403, 404},
    "admin: delete another division's line": {403, 404},
    "admin: change another division's month": {403, 404},
    "admin, another bureau's director: change the bureau": {403, 404},
    "admin, another bureau's director: change its division": {403, 404},
    "admin, another bureau's director: change its pace target": {403, 404},
    "admin, another bureau's director: add a pace target to it": {200, 403},  # not among the choices
    "admin, a bureau's director: add a city pace target": {403},
    "admin, budget office: change a division's figures": {403, 404},
    "admin, budget office: add a city pace target": {403},
}


def attempts(people, admin_attacker):
    """Yields (label, client, method, url, data) for every attempt."""
    clients = {}
    for role in ATTACKERS:
        clients[role] = Client()
        clients[role].force_login(people[role])
    divisions = list(Division.objects.filter(budget_lines__fiscal_year=2022).distinct())
    lines = {
        d.pk: [(line.code, 1000, 1000) for line in BudgetLine.objects.filter(division=d, fiscal_year=2022)]
        for d in divisions
    }
    for role in ATTACKERS:
        client, mine = clients[role], own_division(role, people)
        for other in (d for d in divisions if mine is None or d.pk != mine.pk):
            versions = sorted(
                {0, 1, 2, 3} | set(DivisionMonth.objects.filter(division=other).values_list("version", flat=True))
            )
            # the grid: the other division in the URL, at every month end, with every version
            for as_of in MONTH_ENDS:
                for version in versions[:3]:
                    yield (
                        "grid: other division in the URL",
                        client,
                        reverse("budget:month_detail", args=[other.code, as_of]),
                        grid_data(lines[other.pk], version),
                    )
            # the grid: my division in the URL, one of the rows another division's line
            for code, o, d in lines[other.pk] if mine is not None else []:
                for as_of in (JULY, AUGUST):
                    rows = list(lines[mine.pk])
                    rows[0] = (code, o, d)
                    yield (
                        "grid: another division's line in my rows",
                        client,
                        reverse("budget:month_detail", args=[mine.code, as_of]),
                        grid_data(rows, 1),
                    )
            # transitions on the other division's months, with every version
            for name in (
                "budget:month_submit",
                "budget:month_withdraw",
                "budget:month_approve",
                "budget:month_return",
                "budget:month_correct",
            ):
                for as_of in (REPORT_DATE, JULY, AUGUST):
                    for version in versions:
                        yield (
                            f"{name} of another division",
                            client,
                            reverse(name, args=[other.code, as_of]),
                            {"version": version, "reason": "위조", "confirmed": "1"},
                        )
            # the targets and settings of the other division's measures, with every version
            measure = indicator_of(other)
            for name in MEASURE_WRITES:
                for version in (0, 1, measure_targets_version(indicator=measure, fiscal_year=2022)):
                    yield (
                        f"{name} of another division",
                        client,
                        reverse(name, args=[measure.code, 2022]),
                        {"version": version, "value": "5", "direction": "lower", "reason": "위조"},
                    )
            # sheets of the other division's lines (preview) and forged tokens (apply)
            for as_of in (JULY, AUGUST):
                for version in versions[:3]:
                    yield (
                        "import: another division's sheet",
                        client,
                        reverse("budget:import_upload"),
                        {"file": sheet(lines[other.pk], as_of, version)},
                    )
            for n in range(3):
                yield (
                    "import: forged apply token",
                    client,
                    reverse("budget:import_apply"),
                    {"token": f"{other.code}-{n}"},
                )
    # the admin: another division's records by primary key
    admin_client = Client()
    admin_client.force_login(admin_attacker)
    mine = own_division("staff_a", people)
    for snapshot in ExecutionSnapshot.objects.exclude(budget_line__division=mine).select_related("budget_line"):
        for value in (0, 1, 10**9):
            data = {
                "budget_line": snapshot.budget_line_id,
                "as_of": snapshot.as_of.isoformat(),
                "obligations": value,
                "disbursements": value,
            }
            yield (
                "admin: change another division's figures",
                admin_client,
                reverse("admin:budget_executionsnapshot_change", args=[snapshot.pk]),
                data,
            )
    for line in BudgetLine.objects.exclude(division=mine).filter(fiscal_year=2022):
        yield (
            "admin: add figures to another division's line",
            admin_client,
            reverse("admin:budget_executionsnapshot_add"),
            {"budget_line": line.pk, "as_of": "2022-09-30", "obligations": 1, "disbursements": 1},
        )
        yield (
            "admin: change another division's line",
            admin_client,
            reverse("admin:budget_budgetline_change", args=[line.pk]),
            {
                "code": line.code,
                "name": "위조",
                "division": line.division_id,
                "fiscal_year": 2022,
                "order": 1,
                "original_budget": 1,
            },
        )
        yield (
            "admin: delete another division's line",
            admin_client,
            reverse("admin:budget_budgetline_delete", args=[line.pk]),
            {"post": "yes"},
        )
    for month in DivisionMonth.objects.exclude(division=mine):
        yield (
            "admin: change another division's month",
            admin_client,
            reverse("admin:budget_divisionmonth_change", args=[month.pk]),
            {"status": "approved"},
        )
    yield from across_bureaus_in_the_admin(people)


def admin_client_of(user) -> Client:
    """A client of `user` given admin access and every permission of the figures' apps."""
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["budget", "staffing", "programs"]))
    client = Client()
    client.force_login(user)
    return client


def across_bureaus_in_the_admin(people):
    """The second bureau's director on the demo bureau's reference data and the city's pace; the budget
    office on every division's figures and the city's pace."""
    director, office = admin_client_of(people["bureau_c"]), admin_client_of(people["budget"])
    demo = Bureau.objects.get(divisions__code="participation")
    demo_target = BudgetPaceTarget.objects.get(bureau=demo, fiscal_year=2022, month=6)
    yield (
        "admin, another bureau's director: change the bureau",
        director,
        reverse("admin:staffing_bureau_change", args=[demo.pk]),
        {"name": "위조국", "slug": demo.slug, "established_on": "2021-07-25", "entry_deadline_working_days": 5},
    )
    for division in demo.divisions.all():
        yield (
            "admin, another bureau's director: change its division",
            director,
            reverse("admin:staffing_division_change", args=[division.pk]),
            {"bureau": demo.pk, "code": division.code, "name": "위조과", "order": 1},
        )
    pace = {"fiscal_year": 2022, "month": 6, "target_rate": "10.0"}
    yield (
        "admin, another bureau's director: change its pace target",
        director,
        reverse("admin:budget_budgetpacetarget_change", args=[demo_target.pk]),
        {**pace, "bureau": demo.pk},
    )
    yield (
        "admin, another bureau's director: add a pace target to it",
        director,
        reverse("admin:budget_budgetpacetarget_add"),
        {**pace, "month": 7, "bureau": demo.pk},
    )
    yield (
        "admin, a bureau's director: add a city pace target",
        director,
        reverse("admin:budget_budgetpacetarget_add"),
        {**pace, "bureau": ""},
    )
    for snapshot in ExecutionSnapshot.objects.all():
        yield (
            "admin, budget office: change a division's figures",
            office,
            reverse("admin:budget_executionsnapshot_change", args=[snapshot.pk]),
            {
                "budget_line": snapshot.budget_line_id,
                "as_of": snapshot.as_of.isoformat(),
                "obligations": 1,
                "disbursements": 1,
            },
        )
    yield (
        "admin, budget office: add a city pace target",
        office,
        reverse("admin:budget_budgetpacetarget_add"),
        {**pace, "bureau": ""},
    )


# The attempts are split into shards (every SHARDS-th attempt from the shard's own on), so that
# pytest-xdist spreads them over its workers: in one test they ran on one worker for two minutes. No attempt
# succeeds, so every shard builds the same list of attempts; each shard sends its own, and together they send
# every attempt once, each one checked as before.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_a_thousand_cross_division_writes_all_fail(targets, admin_attacker, shard):
    before, history = database_fingerprint(), history_size()
    listed, tried, succeeded, statuses = 0, 0, [], collections.Counter()
    for label, client, url, data in attempts(targets, admin_attacker):
        listed += 1
        if (listed - 1) % SHARDS != shard:
            continue
        response = client.post(url, data)
        tried += 1
        statuses[(label, response.status_code)] += 1
        assert response.status_code != 500, (label, url)
        if history_size() != history:
            succeeded.append(f"{label}: {url}")
            history = history_size()
    assert listed >= 1000, listed
    assert tried == len(range(shard, listed, SHARDS)), (tried, listed)
    assert succeeded == [], succeeded[:10]
    after = database_fingerprint()
    assert {k for k in before if before[k] != after[k]} == set()
    # refused outright (403/404/400) or, for the forged apply tokens, sent back to the upload page
    # how each was refused: 403, or 404 (no such month), 400 (the rows named with their problem), the
    # forged apply token sent back to the upload page, the admin's 404 (out of reach: not found) and its
    # add form shown again with the line not among the choices
    unexpected = {(label, status): n for (label, status), n in statuses.items() if status not in EXPECTED[label]}
    assert unexpected == {}
    print(
        f"\n{tried} of {listed} cross-division writes attempted (shard {shard + 1} of {SHARDS}), 0 succeeded; statuses {dict(collections.Counter(status for _, status in statuses.elements()))}"
    )
