"""Approved and published figures are never deleted, on any path; a correction is the only way to change
them (issue 16, finding 2: deleting an approved snapshot in the admin changed the public CSV while the
month stayed approved)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    DivisionMonth,
    ExecutionSnapshot,
    Publication,
    PublishedFigure,
    PublishedMonth,
)
from budget.services import division_month_submit, execution_month_save
from civicbureau.audit import DeleteRefusedError
from civicbureau.entry import EntryError
from programs.models import IndicatorValue
from staffing.models import Bureau, HeadcountEntry
from tests.factories import publish
from tests.test_permissions import rows_for

pytestmark = pytest.mark.django_db

REPORT_DATE = datetime.date(2022, 7, 1)
AUGUST = datetime.date(2022, 8, 31)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(db):
    return login(get_user_model().objects.get(username="admin"))


@pytest.fixture
def scoped_client(people):
    """staff_a (시민참여과) with admin access and every model permission."""
    user = people["staff_a"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    return login(user)


def public_csv() -> str:
    return Client().get("/execution.csv").content.decode()


def publish_again_if_anything_changed():
    """What the bureau's planning staff would do next: publish the period again (refused when nothing changed)."""
    try:
        publish(Bureau.objects.get(name="시민협력국"), REPORT_DATE)
    except EntryError:
        pass


@pytest.mark.parametrize("who", ["superuser", "scoped"])
def test_deleting_an_approved_snapshot_in_the_admin_is_refused_and_the_public_csv_unchanged(request, who):
    client = request.getfixturevalue(f"{who}_client")
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=REPORT_DATE)
    before = public_csv()
    assert "83765000" in before
    url = reverse("admin:budget_executionsnapshot_delete", args=[snapshot.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    action = {"action": "delete_selected", "_selected_action": [snapshot.pk], "post": "yes"}
    assert client.post(reverse("admin:budget_executionsnapshot_changelist"), action).status_code == 403
    assert ExecutionSnapshot.objects.filter(pk=snapshot.pk).exists()
    publish_again_if_anything_changed()
    assert public_csv() == before
    assert DivisionMonth.objects.get(division__code="participation", as_of=REPORT_DATE).status == "approved"


def test_the_model_and_the_queryset_refuse_deleting_approved_snapshots():
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=REPORT_DATE)
    with pytest.raises(
        DeleteRefusedError, match="시민참여 활성화 추진의 ’22. 7. 1. 실적은 승인됨 상태여서 지울 수 없습니다"
    ):
        snapshot.delete()
    with pytest.raises(DeleteRefusedError, match="지울 수 없습니다"):
        ExecutionSnapshot.objects.filter(budget_line__division__code="participation").delete()
    with pytest.raises(DeleteRefusedError):
        ExecutionSnapshot.objects.all().delete()
    assert ExecutionSnapshot.objects.filter(as_of=REPORT_DATE).count() == 34


def test_a_submitted_months_snapshot_is_kept_and_a_draft_months_can_be_deleted(people, scoped_client):
    division = BudgetLine.objects.get(code="PA-01").division
    month = execution_month_save(
        user=people["staff_a"], division=division, as_of=AUGUST, rows=rows_for(division), version=0
    )
    draft = ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=AUGUST)
    assert not draft.is_kept()
    response = scoped_client.post(reverse("admin:budget_executionsnapshot_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ExecutionSnapshot.objects.filter(pk=draft.pk).exists()
    record = draft.history.order_by("-history_id").first()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", people["staff_a"], "admin")

    month.refresh_from_db()  # the line entered again, and the month submitted
    month = execution_month_save(
        user=people["staff_a"], division=division, as_of=AUGUST, rows=rows_for(division), version=month.version
    )
    division_month_submit(user=people["staff_a"], month=month, version=month.version)
    submitted = ExecutionSnapshot.objects.get(budget_line__code="PA-02", as_of=AUGUST)
    with pytest.raises(DeleteRefusedError, match="제출됨 상태여서 지울 수 없습니다"):
        ExecutionSnapshot.objects.filter(pk=submitted.pk).delete()
    response = scoped_client.post(
        reverse("admin:budget_executionsnapshot_delete", args=[submitted.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ExecutionSnapshot.objects.filter(pk=submitted.pk).exists()


def test_a_snapshot_whose_figures_were_published_is_kept_during_a_correction(people):
    """A correction reopens the month as a draft; the figures it replaces are still approved and published."""
    from budget.services import division_month_correct

    month = DivisionMonth.objects.get(division__code="participation", as_of=REPORT_DATE)
    division_month_correct(user=people["director_a"], month=month, version=month.version, reason="정정 시험")
    assert DivisionMonth.objects.get(pk=month.pk).status == "draft"
    with pytest.raises(DeleteRefusedError, match="승인 또는 공표된 값이어서 지울 수 없습니다"):
        ExecutionSnapshot.objects.get(budget_line__code="PA-01", as_of=REPORT_DATE).delete()


def test_editions_are_never_deleted():
    for model in (Publication, PublishedMonth, PublishedFigure):
        with pytest.raises(DeleteRefusedError, match="공표된 판은 지울 수 없습니다"):
            model.objects.all().delete()
        with pytest.raises(DeleteRefusedError):
            model.objects.first().delete()
    assert PublishedFigure.objects.count() == 34


def test_a_published_adjustment_is_kept_and_an_unpublished_one_can_be_deleted(superuser_client):
    published = BudgetAdjustment.objects.filter(published_in__isnull=False).first()
    count = BudgetAdjustment.objects.filter(published_in__isnull=False).count()
    with pytest.raises(DeleteRefusedError, match="공표된 예산 변경은 지울 수 없습니다"):
        published.delete()
    with pytest.raises(DeleteRefusedError):
        BudgetAdjustment.objects.all().delete()
    url = reverse("admin:budget_budgetadjustment_delete", args=[published.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    fresh = BudgetAdjustment.objects.create(
        budget_line=BudgetLine.objects.get(code="PA-01"),
        kind="supplementary",
        amount=1_000,
        effective_on="2022-06-01",
        reason="시험",
    )
    url = reverse("admin:budget_budgetadjustment_delete", args=[fresh.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert BudgetAdjustment.objects.filter(published_in__isnull=False).count() == count
    assert not BudgetAdjustment.objects.filter(pk=fresh.pk).exists()


def test_deleting_a_published_indicator_value_or_headcount_cell_leaves_the_edition_as_published():
    """Indicator values and headcount reach the public as recorded when the edition was published
    (civicbureau.audit.as_recorded reads their history), so a later delete, like a later edit, is a
    correction the next edition shows: the published one does not change."""
    client = Client()
    program = IndicatorValue.objects.filter(indicator__program__isnull=False).first().indicator.program
    urls = [reverse("programs:program_json", args=[program.slug]), "/organisation/headcount.csv"]
    before = [client.get(u).content for u in urls]
    IndicatorValue.objects.filter(indicator__program=program).delete()
    HeadcountEntry.objects.filter(division__code="participation").delete()
    assert [client.get(u).content for u in urls] == before
