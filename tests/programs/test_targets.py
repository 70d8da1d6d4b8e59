"""Targets are plans (issue 18): the measure's division proposes a year's targets, a director approves or
returns them, an approved target is locked and a change is a new revision with its reason. Each refusal
names its field and saves nothing (rows and history counted before and after)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budget.models import Publication
from civicbureau.audit import history_version
from civicbureau.entry import EntryError, StaleVersion
from programs.models import Indicator, MeasureTarget
from programs.selectors.measures import measure_rows
from programs.services import (
    TargetInput,
    measure_settings_save,
    measure_targets_version,
    targets_approve,
    targets_propose,
    targets_return,
)
from tests.factories import (
    FISCAL_YEAR,
    DivisionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureTargetFactory,
    ProgramFactory,
    member,
)

pytestmark = pytest.mark.django_db
FY = FISCAL_YEAR
YEAR_END = datetime.date(FY, 12, 31)


@pytest.fixture
def measure():
    division = DivisionFactory()
    return IndicatorFactory(program=ProgramFactory(division=division))


@pytest.fixture
def staff(measure):
    return member("staff", division=measure.division)


@pytest.fixture
def director(measure):
    return member("director", division=measure.division)


def state():
    """Every target and measure setting, and the size of their history."""
    return (
        sorted(
            MeasureTarget.objects.values_list(
                "pk", "period_end", "revision", "value", "low", "high", "status", "reason", "source"
            )
        ),
        MeasureTarget.history.count(),
        sorted(Indicator.objects.values_list("pk", "direction", "baseline", "baseline_year")),
        Indicator.history.count(),
    )


def version(measure):
    return measure_targets_version(indicator=measure, fiscal_year=FY)


def propose(user, measure, **kwargs):
    kwargs.setdefault("version", version(measure))
    return targets_propose(user=user, indicator=measure, fiscal_year=kwargs.pop("fiscal_year", FY), **kwargs)


def refused(call, field, *, stale=False) -> list:
    before = state()
    with pytest.raises(StaleVersion if stale else EntryError) as caught:
        call()
    fields = [p.field for p in caught.value.problems]
    assert field in fields, caught.value.problems
    assert state() == before, "a refusal saved something"
    return caught.value.problems


def row_of(measure):
    (row,) = measure_rows(indicators=[measure], bureau=measure.division.bureau, fiscal_year=FY)
    return row


def locked(measure):
    return sorted(
        MeasureTarget.objects.filter(indicator=measure, status="approved").values_list(
            "pk", "period_end", "revision", "value", "low", "high", "reason"
        )
    )


def test_propose_approve_lock_revise_with_reason_and_approve_again(measure, staff, director):
    quarters = [TargetInput(datetime.date(FY, 3, 31), "20"), TargetInput(datetime.date(FY, 6, 30), "50")]
    written = propose(staff, measure, value="100", parts=quarters, source="보고서의 문장")
    assert sorted((t.period_end, t.revision, t.value, t.status) for t in written) == [
        (datetime.date(FY, 3, 31), 1, Decimal("20"), "proposed"),
        (datetime.date(FY, 6, 30), 1, Decimal("50"), "proposed"),
        (YEAR_END, 1, Decimal("100"), "proposed"),
    ]
    assert row_of(measure).target is None  # proposed is not in force
    assert len(row_of(measure).pending) == 3

    targets_approve(user=director, indicator=measure, fiscal_year=FY, version=version(measure))
    row = row_of(measure)
    assert (row.target.value, row.target.revision) == (Decimal("100"), 1)
    assert [(p.period_end, p.value) for p in row.parts] == [
        (datetime.date(FY, 3, 31), Decimal("20")),
        (datetime.date(FY, 6, 30), Decimal("50")),
    ]
    first = locked(measure)

    # a change of an approved target is a new revision, and it needs its reason
    problems = refused(lambda: propose(staff, measure, value="120", parts=quarters), "reason")
    assert problems[0].row == f"{measure.name} · {FY}년 목표"
    written = propose(staff, measure, value="120", parts=quarters, reason="예산 증액")
    assert [(t.period_end, t.revision, t.value, t.reason) for t in written] == [
        (YEAR_END, 2, Decimal("120"), "예산 증액")
    ]  # the quarters are unchanged: nothing written for them
    assert locked(measure) == first
    assert row_of(measure).target.value == Decimal("100")  # revision 1 stays in force until approved

    targets_approve(user=director, indicator=measure, fiscal_year=FY, version=version(measure))
    row = row_of(measure)
    assert (row.target.value, row.target.revision, row.target.reason) == (Decimal("120"), 2, "예산 증액")
    assert set(first) <= set(locked(measure))  # revision 1 kept as approved
    revision = MeasureTarget.objects.get(indicator=measure, period_end=YEAR_END, revision=2)
    trail = list(revision.history.order_by("history_id").values_list("history_user", "history_change_reason", "status"))
    assert trail == [(staff.pk, "form", "proposed"), (director.pk, "form", "approved")]


def test_the_return_path_and_proposing_again_in_place(measure, staff, director):
    (target,) = propose(staff, measure, value="10")
    refused(lambda: targets_return(user=director, indicator=measure, fiscal_year=FY, reason="  "), "reason")
    targets_return(user=director, indicator=measure, fiscal_year=FY, reason="근거 문장을 적어 주세요")
    target.refresh_from_db()
    assert (target.status, target.reason) == ("returned", "근거 문장을 적어 주세요")
    assert row_of(measure).target is None
    (again,) = propose(staff, measure, value="12", source="보고서 문장")
    assert (again.pk, again.revision, again.status, again.value) == (target.pk, 1, "proposed", Decimal("12"))
    refused(lambda: targets_approve(user=director, indicator=measure, fiscal_year=FY, version=0), "version", stale=True)
    targets_approve(user=director, indicator=measure, fiscal_year=FY)
    assert row_of(measure).target.value == Decimal("12")


def test_a_proposed_part_left_out_is_withdrawn_with_its_history(measure, staff):
    propose(staff, measure, value="100", parts=[TargetInput(datetime.date(FY, 3, 31), "10")])
    propose(staff, measure, value="100")
    assert list(MeasureTarget.objects.filter(indicator=measure).values_list("period_end", flat=True)) == [YEAR_END]
    gone = MeasureTarget.history.filter(indicator_id=measure.pk, period_end=datetime.date(FY, 3, 31)).latest(
        "history_id"
    )
    assert (gone.history_type, gone.history_user_id) == ("-", staff.pk)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"value": "-1"}, "value"),
        ({"value": "열 개"}, "value"),
        ({"value": "1e400000"}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": ""}, "value"),
        ({"value": "100", "parts": [TargetInput(datetime.date(FY, 3, 15), "10")]}, "period_end"),
        ({"value": "100", "parts": [TargetInput(datetime.date(FY + 1, 3, 31), "10")]}, "period_end"),
        ({"value": "100", "parts": [TargetInput(datetime.date(FY, 3, 31), "-5")]}, "value"),
        (
            {
                "value": "100",
                "parts": [TargetInput(datetime.date(FY, 3, 31), "50"), TargetInput(datetime.date(FY, 6, 30), "40")],
            },
            "value",
        ),
        ({"value": "100", "parts": [TargetInput(datetime.date(FY, 9, 30), "150")]}, "value"),
        ({"value": "100", "fiscal_year": 1999}, "fiscal_year"),
        ({"value": "100", "fiscal_year": datetime.date.today().year + 2}, "fiscal_year"),
    ],
)
def test_bad_targets_are_refused_by_field_and_nothing_is_saved(measure, staff, kwargs, field):
    MeasureTargetFactory(indicator=measure, fiscal_year=FY - 1)  # something already there stays as it is
    refused(lambda: propose(staff, measure, **kwargs), field)


def test_a_range_with_its_ends_reversed_is_refused(staff, measure):
    measure.direction = Indicator.Direction.RANGE
    measure.save()
    refused(lambda: propose(staff, measure, low="10", high="5"), "high")
    refused(lambda: propose(staff, measure, low="10"), "high")
    (target,) = propose(staff, measure, low="5", high="10")
    assert (target.low, target.high, target.value) == (Decimal("5"), Decimal("10"), None)


def test_a_yes_no_target_is_one_or_zero(staff, measure):
    measure.direction = Indicator.Direction.YES_NO
    measure.save()
    refused(lambda: propose(staff, measure, value="2"), "value")
    assert propose(staff, measure, value="1")[0].value == Decimal("1")


def test_a_closed_year_is_refused(measure, staff, director):
    propose(staff, measure, value="10")
    Publication.objects.create(
        bureau=measure.division.bureau, as_of=YEAR_END, edition=1, published_at=timezone.now(), published_by=director
    )
    problems = refused(lambda: propose(staff, measure, value="11"), "fiscal_year")
    assert "마감" in problems[0].message
    refused(lambda: targets_approve(user=director, indicator=measure, fiscal_year=FY), "fiscal_year")
    # a period published before 12-31 does not close the year
    other = IndicatorFactory()
    Publication.objects.create(
        bureau=other.division.bureau,
        as_of=datetime.date(FY, 7, 1),
        edition=1,
        published_at=timezone.now(),
        published_by=director,
    )
    assert propose(member("staff", division=other.division), other, value="1")


def test_another_division_may_not_propose_approve_or_return(measure, staff):
    propose(staff, measure, value="10")
    other_division = DivisionFactory(bureau=measure.division.bureau)
    before = state()
    for role in ("staff", "director"):
        someone = member(role, division=other_division)
        with pytest.raises(PermissionDenied):
            propose(someone, measure, value="99")
        with pytest.raises(PermissionDenied):
            measure_settings_save(
                user=someone, indicator=measure, direction="lower", baseline=None, baseline_year=None, version=0
            )
    with pytest.raises(PermissionDenied):
        targets_approve(user=member("director", division=other_division), indicator=measure, fiscal_year=FY)
    with pytest.raises(PermissionDenied):
        targets_return(user=staff, indicator=measure, fiscal_year=FY, reason="x")  # staff do not approve
    with pytest.raises(PermissionDenied):  # the bureau's roles approve, they do not propose
        propose(member("planning", bureau=measure.division.bureau), measure, value="99")
    assert state() == before
    targets_approve(user=member("planning", bureau=measure.division.bureau), indicator=measure, fiscal_year=FY)


def test_a_stale_version_is_refused(measure, staff):
    colleague = member("staff", division=measure.division)
    propose(staff, measure, value="10")
    seen = version(measure)
    propose(staff, measure, value="11", version=seen)
    stale = refused(lambda: propose(colleague, measure, value="12", version=seen), "version", stale=True)
    assert "바꿨습니다" in stale[0].message
    refused(lambda: propose(colleague, measure, value="12", version=None), "version")
    seen = history_version(measure.history.all())
    measure_settings_save(
        user=staff, indicator=measure, direction="higher", baseline=Decimal(3), baseline_year=2021, version=seen
    )
    refused(
        lambda: measure_settings_save(
            user=colleague, indicator=measure, direction="lower", baseline=None, baseline_year=None, version=seen
        ),
        "version",
        stale=True,
    )


def test_the_direction_is_kept_once_results_or_an_approved_target_exist(measure, staff, director):
    def settings(direction, **extra):
        measure.refresh_from_db()
        return measure_settings_save(
            user=staff,
            indicator=measure,
            direction=direction,
            baseline=extra.get("baseline"),
            baseline_year=extra.get("baseline_year"),
            version=history_version(measure.history.all()),
        )

    propose(staff, measure, value="10")
    settings("lower", baseline=Decimal("4"), baseline_year=2021)  # a proposal only: the direction may change
    measure.refresh_from_db()
    assert (measure.direction, measure.baseline, measure.baseline_year) == ("lower", Decimal("4"), 2021)
    assert measure.history.latest("history_id").history_user_id == staff.pk
    refused(lambda: settings("lower", baseline_year=1999), "baseline_year")
    targets_approve(user=director, indicator=measure, fiscal_year=FY)
    problems = refused(lambda: settings("higher"), "direction")
    assert problems[0].row == measure.name
    settings("lower", baseline=Decimal("5"))  # the baseline still may

    fresh = IndicatorFactory(program=measure.program)
    IndicatorValueFactory(indicator=fresh, as_of=datetime.date(FY, 3, 31), value=Decimal("1"))
    refused(
        lambda: measure_settings_save(
            user=staff, indicator=fresh, direction="lower", baseline=None, baseline_year=None,
            version=history_version(fresh.history.all()),
        ),
        "direction",
    )  # fmt: skip


def test_no_service_changes_an_approved_row(measure, staff, director):
    propose(staff, measure, value="10", parts=[TargetInput(datetime.date(FY, 6, 30), "4")])
    targets_approve(user=director, indicator=measure, fiscal_year=FY)
    approved = locked(measure)
    trails = {pk: MeasureTarget.history.filter(id=pk).count() for pk, *_rest in approved}
    propose(staff, measure, value="20", parts=[], reason="상향")  # the approved quarter is not withdrawn
    targets_return(user=director, indicator=measure, fiscal_year=FY, reason="다시")
    propose(staff, measure, value="15", reason="조정")
    targets_approve(user=director, indicator=measure, fiscal_year=FY)
    measure.refresh_from_db()
    measure_settings_save(
        user=staff, indicator=measure, direction="higher", baseline=Decimal(1), baseline_year=None,
        version=history_version(measure.history.all()),
    )  # fmt: skip
    refused(lambda: targets_approve(user=director, indicator=measure, fiscal_year=FY), "status")
    assert set(approved) <= set(locked(measure))
    assert {pk: MeasureTarget.history.filter(id=pk).count() for pk in trails} == trails
    assert row_of(measure).target.value == Decimal("15")


# -- the pages -------------------------------------------------------------------------------------


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_page_names_the_field_of_a_bad_target_and_saves_nothing(measure, staff):
    url = reverse("programs:measure_targets", args=[measure.code, FY])
    before = state()
    response = client_of(staff).post(url, {"version": 0, "value": "abc", "q1": "", "q2": "", "q3": "", "reason": ""})
    assert response.status_code == 400
    assert [(p.field, str(p.message)) for p in response.context["problems"]] == [("value", "숫자를 적어 주세요.")]
    assert state() == before
    response = client_of(staff).post(url, {"version": 0, "value": "100", "q1": "30", "q2": "", "q3": "", "reason": ""})
    assert response.status_code == 302
    assert sorted(MeasureTarget.objects.filter(indicator=measure).values_list("period_end", "value", "status")) == [
        (datetime.date(FY, 3, 31), Decimal("30"), "proposed"),
        (YEAR_END, Decimal("100"), "proposed"),
    ]
    page = client_of(staff).get(url).content.decode()
    assert "승인을 기다리는 제안" in page and 'id="approve"' not in page  # staff do not approve


def test_the_list_shows_the_persons_measures_filtered_by_status(measure, staff):
    other = IndicatorFactory()  # another division's measure
    with_target = IndicatorFactory(program=measure.program)
    MeasureTargetFactory(indicator=with_target, fiscal_year=FY)
    client = client_of(staff)
    url = reverse("programs:measure_list")
    shown = client.get(url, {"year": FY}).context["rows"]
    assert [r.indicator for r in shown] == sorted([measure, with_target], key=lambda i: (i.order, i.pk))
    unproposed = client.get(url, {"year": FY, "status": "unproposed"}).context["rows"]
    assert [r.indicator for r in unproposed] == [measure]
    assert other not in [r.indicator for r in shown]
    assert client.get(url, {"status": "nonsense"}).status_code == 400


def test_the_list_reads_in_a_flat_number_of_queries(measure, staff, django_assert_max_num_queries):
    client = client_of(staff)
    url = reverse("programs:measure_list")
    client.get(url, {"year": FY})  # warm the session and the membership
    with django_assert_max_num_queries(12) as small:
        client.get(url, {"year": FY})
    for _ in range(10):
        target = MeasureTargetFactory(indicator=IndicatorFactory(program=measure.program), fiscal_year=FY)
        IndicatorValueFactory(indicator=target.indicator, as_of=datetime.date(FY, 5, 31), value=Decimal(3))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"year": FY})
    assert len(response.context["rows"]) == 11
