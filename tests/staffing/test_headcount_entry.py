"""The headcount grid: the division enters 현원, the bureau 정원; a new date starts from the latest
earlier one; refusals name the grade and the field; the trail; who may write."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from civicbureau.entry import EntryError
from staffing.models import Division, HeadcountEntry
from staffing.services import HeadcountInput, headcount_grid_version, headcount_save

pytestmark = pytest.mark.django_db
REPORT_DATE = datetime.date(2022, 7, 1)
URL = "/staff/headcount/participation/"


def user(name):
    return get_user_model().objects.get(username=name)


def cells():
    return sorted(HeadcountEntry.objects.values_list("pk", "division_id", "grade_id", "as_of", "quota", "current"))


def grid(client, as_of, **changes):
    """The grid as the page sends it, with some cells changed: {grade_code: (quota, current)}."""
    response = client.get(f"{URL}?as_of={as_of}")
    formset = response.context["formset"]
    data = {"version": response.context["version_form"].initial["version"]}
    data.update({f"rows-{k}": v for k, v in formset.management_form.initial.items()})
    for form in formset.forms:
        code = form.initial["grade"]
        quota, current = changes.get(code, (form.initial["quota"], form.initial["current"]))
        data.update(
            {
                f"{form.prefix}-grade": code,
                f"{form.prefix}-quota": "" if quota is None else quota,
                f"{form.prefix}-current": "" if current is None else current,
            }
        )
    return data


def first_cell():
    return (
        HeadcountEntry.objects.filter(division__code="participation", as_of=REPORT_DATE)
        .select_related("grade")
        .order_by("grade__order")
        .first()
    )


def test_staff_enter_current_for_a_new_date_prefilled_from_the_latest_earlier(staff_client):
    cell = first_cell()
    data = grid(staff_client, "2022-09-30", **{cell.grade.code: (cell.quota, cell.current + 1)})
    assert staff_client.get(f"{URL}?as_of=2022-09-30").context["reference_date"] == REPORT_DATE
    response = staff_client.post(f"{URL}?as_of=2022-09-30", data)
    assert response.status_code == 302
    saved = HeadcountEntry.objects.filter(division__code="participation", as_of=datetime.date(2022, 9, 30))
    assert saved.count() == HeadcountEntry.objects.filter(division__code="participation", as_of=REPORT_DATE).count()
    changed = saved.get(grade=cell.grade)
    assert (changed.quota, changed.current) == (cell.quota, cell.current + 1)
    record = changed.history.get()
    assert record.history_user.username == "staff" and record.history_change_reason == "form"


def test_staff_may_not_change_the_quota_and_nothing_is_saved(staff_client):
    cell = first_cell()
    before = cells()
    response = staff_client.post(
        f"{URL}?as_of=2022-07-01",
        grid(staff_client, "2022-07-01", **{cell.grade.code: (cell.quota + 1, cell.current + 1)}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{cell.grade.name} · 정원" in html
    assert f'value="{cell.quota + 1}"' in html  # what was typed stays on the page
    assert cells() == before


def test_the_bureau_sets_the_quota_but_not_current():
    cell = first_cell()
    division = cell.division
    version = headcount_grid_version(division=division, as_of=REPORT_DATE)
    before = cells()
    with pytest.raises(EntryError) as refused:
        headcount_save(
            user=user("planning"),
            division=division,
            as_of=REPORT_DATE,
            rows=[HeadcountInput(cell.grade.code, cell.quota, cell.current + 1)],
            version=version,
        )
    assert refused.value.problems[0].field == "current"
    assert cells() == before
    headcount_save(
        user=user("planning"),
        division=division,
        as_of=REPORT_DATE,
        rows=[HeadcountInput(cell.grade.code, cell.quota + 2, cell.current)],
        version=version,
    )
    cell.refresh_from_db()
    assert cell.quota == first_cell().quota
    record = cell.history.order_by("-history_id").first()
    assert record.history_user.username == "planning" and record.history_change_reason == "form"


def test_negative_and_stale_grids_are_refused(staff_client):
    cell = first_cell()
    before = cells()
    response = staff_client.post(
        f"{URL}?as_of=2022-07-01", grid(staff_client, "2022-07-01", **{cell.grade.code: (cell.quota, -1)})
    )
    assert response.status_code == 400 and f"{cell.grade.name} · 현원" in response.content.decode()
    stale = grid(staff_client, "2022-07-01", **{cell.grade.code: (cell.quota, cell.current + 1)})
    headcount_save(
        user=user("director"),
        division=cell.division,
        as_of=REPORT_DATE,
        rows=[HeadcountInput(cell.grade.code, cell.quota, cell.current + 2)],
        version=stale["version"],
    )
    between = cells()
    assert between != before
    response = staff_client.post(f"{URL}?as_of=2022-07-01", stale)
    assert response.status_code == 400 and "그 사이에" in response.content.decode()
    assert cells() == between


def test_only_the_division_and_the_bureau_may_write(client):
    other = Division.objects.get(code="community")
    version = headcount_grid_version(division=other, as_of=REPORT_DATE)
    for name in ("staff", "director", "admin"):
        with pytest.raises(PermissionDenied):
            headcount_save(user=user(name), division=other, as_of=REPORT_DATE, rows=[], version=version)
    staff = Client()
    staff.force_login(user("staff"))
    before = cells()
    assert staff.post("/staff/headcount/community/?as_of=2022-07-01", {"version": version}).status_code == 403
    response = client.post(f"{URL}?as_of=2022-07-01", {"version": version})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert cells() == before


def test_in_the_admin_a_division_member_changes_current_only():
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    staff = user("staff")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="staffing"))
    admin_client = Client()
    admin_client.force_login(staff)
    cell = first_cell()
    form = admin_client.get(reverse("admin:staffing_headcountentry_change", args=[cell.pk])).context["adminform"].form
    assert "quota" not in form.fields and "current" in form.fields
    assert admin_client.get(reverse("admin:staffing_headcountentry_add")).status_code == 403
