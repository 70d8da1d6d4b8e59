"""Milestone progress and indicator values entered by the program's division: rules with the named
field, optimistic locking, the trail and who may write."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from civicbureau.audit import history_version
from civicbureau.entry import EntryError
from programs.models import Indicator, IndicatorValue, ScheduleItem
from programs.services import indicator_value_save, schedule_item_progress_save

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def item_of(code):
    return ScheduleItem.objects.filter(program__division__code=code).order_by("pk").first()


def indicator_of(code, **extra):
    return Indicator.objects.filter(program__division__code=code, **extra).order_by("pk").first()


def progress(item, **changes):
    data = {
        "status": "in_progress",
        "actual_start": "2022-07-15",
        "actual_end": "",
        "note": "착수 보고",
        "version": history_version(item.history.all()),
    }
    data.update(changes)
    return data


def items():
    return sorted(ScheduleItem.objects.values_list("pk", "status", "actual_start", "actual_end", "note"))


def values():
    return sorted(IndicatorValue.objects.values_list("pk", "as_of", "category", "value"))


# -- milestone progress --------------------------------------------------------------------------------


def test_progress_is_saved_and_recorded_with_the_user_and_form(staff_client):
    item = item_of("participation")
    response = staff_client.post(f"/staff/schedule/{item.pk}/", progress(item, status="done", actual_end="2022-08-10"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.actual_start, item.actual_end, item.note) == (
        "done",
        datetime.date(2022, 7, 15),
        datetime.date(2022, 8, 10),
        "착수 보고",
    )
    record = item.history.order_by("-history_id").first()
    assert record.history_user.username == "staff" and record.history_change_reason == "form"


@pytest.mark.parametrize(
    "changes, label",
    [
        ({"actual_start": "2022-08-10", "actual_end": "2022-07-15"}, "실제 종료일"),
        ({"actual_start": "2019-01-01"}, "실제 시작일"),
        ({"actual_start": "2999-01-01"}, "실제 시작일"),
        ({"actual_start": "", "actual_end": "2022-08-01"}, "실제 시작일"),
        ({"note": "가" * 301}, "진행 메모"),
        ({"status": "cancelled"}, "상태"),
    ],
)
def test_refused_progress_names_the_field_keeps_the_input_and_saves_nothing(staff_client, changes, label):
    item = item_of("participation")
    before = items()
    response = staff_client.post(
        f"/staff/schedule/{item.pk}/",
        progress(item, note="입력한 메모", **changes) if "note" not in changes else progress(item, **changes),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{item.text} · {label}" in html
    assert items() == before


def test_a_stale_progress_edit_is_refused_naming_who_changed_it(staff_client):
    item = item_of("participation")
    started = progress(item)
    schedule_item_progress_save(
        user=user("director"),
        item=item,
        status="delayed",
        actual_start=None,
        actual_end=None,
        note="예산 지연",
        version=started["version"],
    )
    before = items()
    response = staff_client.post(f"/staff/schedule/{item.pk}/", started)
    assert response.status_code == 400 and "director" in response.content.decode()
    assert items() == before
    with pytest.raises(EntryError):
        schedule_item_progress_save(
            user=user("staff"), item=item, status="done", actual_start=None, actual_end=None, note="", version=None
        )


def test_progress_only_by_the_programs_division(director_client, client):
    other = item_of("community")
    version = history_version(other.history.all())
    for name in ("staff", "director", "bureau", "planning", "admin"):
        with pytest.raises(PermissionDenied):
            schedule_item_progress_save(
                user=user(name), item=other, status="done", actual_start=None, actual_end=None, note="", version=version
            )
    before = items()
    assert director_client.post(f"/staff/schedule/{other.pk}/", progress(other)).status_code == 403
    response = client.post(f"/staff/schedule/{other.pk}/", progress(other))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert items() == before
    assert director_client.get(f"/staff/schedule/{other.pk}/").status_code == 200  # read only


# -- indicator values ----------------------------------------------------------------------------------


def test_a_new_value_and_a_correction_are_recorded(staff_client):
    indicator = indicator_of("participation", additive=False, breakdown_label="")
    url = f"/staff/indicators/{indicator.code}/"
    response = staff_client.post(
        url, {"record": "", "version": "", "as_of": "2022-08-31", "category": "", "value": "1234"}
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator, as_of=datetime.date(2022, 8, 31))
    assert value.value == Decimal("1234")
    record = value.history.get()
    assert record.history_user.username == "staff" and record.history_change_reason == "form"
    # the edit form carries the value's version
    form = staff_client.get(f"{url}?record={value.pk}").context["form"]
    response = staff_client.post(url, {**form.initial, "value": "1300"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("1300") and value.history.count() == 2
    # a correction started from the first version is refused now
    before = values()
    response = staff_client.post(url, {**form.initial, "value": "1400"})
    assert response.status_code == 400 and "staff" in response.content.decode()
    assert values() == before


def test_refused_values_name_the_field_and_save_nothing(staff_client):
    indicator = indicator_of("participation", additive=False, breakdown_label="")
    existing = IndicatorValue.objects.filter(indicator=indicator).first()
    url = f"/staff/indicators/{indicator.code}/"
    before = values()
    cases = [
        ({"as_of": existing.as_of.isoformat(), "category": existing.category, "value": "5"}, "기준일"),  # a duplicate
        ({"as_of": "1999-12-31", "category": "", "value": "5"}, "기준일"),
        ({"as_of": "2022-08-31", "category": "", "value": "abc"}, "값"),
        ({"as_of": "2022-08-31", "category": "", "value": ""}, "값"),
    ]
    for data, label in cases:
        response = staff_client.post(url, {"record": "", "version": "", **data})
        assert response.status_code == 400, data
        assert f"{indicator.name} · {label}" in response.content.decode(), data
    assert values() == before


def test_an_additive_indicators_total_is_never_stored(director_b):
    indicator = (
        Indicator.objects.filter(program__division__code="community", additive=True).exclude(breakdown_label="").first()
    )
    before = values()
    with pytest.raises(EntryError) as refused:
        indicator_value_save(
            user=director_b, indicator=indicator, as_of=datetime.date(2022, 8, 31), category="", value=Decimal(3)
        )
    assert refused.value.problems[0].field == "category"
    assert values() == before


@pytest.fixture
def director_b(db):
    from staffing.models import Division, Membership

    division = Division.objects.get(code="community")
    person = get_user_model().objects.create(username="director_b")
    Membership.objects.create(user=person, role="director", division=division, bureau=division.bureau)
    return person


def test_values_only_by_the_programs_division(staff_client, client, director_b):
    other = indicator_of("community", additive=False, breakdown_label="")
    for name in ("staff", "bureau", "planning", "admin"):
        with pytest.raises(PermissionDenied):
            indicator_value_save(
                user=user(name), indicator=other, as_of=datetime.date(2022, 8, 31), category="", value=Decimal(1)
            )
    before = values()
    data = {"record": "", "version": "", "as_of": "2022-08-31", "category": "", "value": "1"}
    assert staff_client.post(f"/staff/indicators/{other.code}/", data).status_code == 403
    response = client.post(f"/staff/indicators/{other.code}/", data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # a tampered record id of another indicator (another division's) on my own indicator's page
    own = indicator_of("participation", additive=False, breakdown_label="")
    foreign = IndicatorValue.objects.filter(indicator=other).first()
    response = staff_client.post(f"/staff/indicators/{own.code}/", {**data, "record": foreign.pk, "version": 1})
    assert response.status_code == 404
    assert values() == before
    indicator_value_save(
        user=director_b, indicator=other, as_of=datetime.date(2022, 8, 31), category="", value=Decimal(1)
    )
