"""Public pages are cacheable and revalidated: a change to what the public sees (an edition published, a
headcount or reference change) changes their validators at once, staff work on an open period does not;
the language and the user are part of them."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from budget.models import BudgetAdjustment, BudgetLine, ExecutionSnapshot
from staffing.models import Bureau, DivisionDuty, HeadcountEntry
from tests.factories import publish

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    ("budget:execution", []),
    ("budget:execution_csv", []),
    ("budget:execution_json", []),
    ("budget:datapackage", []),
    ("programs:schedule", []),
    ("programs:schedule_json", []),
    ("programs:program_list", []),
    ("programs:program_detail", ["npo-grants"]),
    ("programs:program_csv", ["npo-grants"]),
    ("portal:organisation", []),
    ("portal:organisation_file", ["headcount", "csv"]),
    ("portal:measures_file", ["measures", "csv"]),
]


@pytest.mark.parametrize("name,args", PUBLIC_URLS)
def test_public_responses_carry_validators_and_revalidate(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"public", "no-cache"}
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    assert "csrftoken" not in response.cookies  # nothing personal: a shared cache may keep it
    again = client.get(reverse(name, args=args), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def etag(client, url="/execution/"):
    return client.get(url)["ETag"]


def _save_snapshot(**values):
    snapshot = ExecutionSnapshot.objects.get(budget_line__code="PA-01")
    for key, value in values.items():
        setattr(snapshot, key, value)
    snapshot.save()


def _draft_snapshot_deleted():
    """A later month's draft figures, entered and deleted (approved and published ones are never deleted)."""
    ExecutionSnapshot.objects.create(
        budget_line=BudgetLine.objects.get(code="PA-01"), as_of="2022-08-31", disbursements=90_000_000
    ).delete()


def _adjustment():
    return BudgetAdjustment.objects.create(
        budget_line=BudgetLine.objects.get(code="PA-01"),
        kind="supplementary",
        amount=1_000,
        effective_on="2022-06-01",
        reason="추경",
    )


def _adjustment_published():
    _adjustment()
    publish(Bureau.objects.get(name="시민협력국"), datetime.date(2022, 7, 1))  # edition 2 of ’22. 7. 1.


@pytest.mark.parametrize(
    "change",
    [_adjustment_published, lambda: DivisionDuty.objects.first().save()],
    ids=["adjustment published", "duty saved"],
)
def test_a_change_to_the_figures_invalidates(client, change):
    before = etag(client)
    change()
    response = client.get("/execution/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before


@pytest.mark.parametrize(
    "change",
    [
        lambda: _save_snapshot(disbursements=1),
        _draft_snapshot_deleted,
        _adjustment,
        lambda: HeadcountEntry.objects.first().save(),
    ],
    ids=["snapshot saved", "draft snapshot deleted", "adjustment added", "headcount saved"],
)
def test_a_change_the_public_does_not_see_yet_keeps_the_validators(client, change):
    """Execution figures, adjustments and headcount reach public pages only through an edition."""
    before = client.get("/execution/")
    change()
    again = client.get("/execution/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 304


def test_language_and_user_are_part_of_the_validators(client, staff_client):
    korean = etag(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert etag(client) != korean
    response = staff_client.get("/execution/")
    assert "private" in response["Cache-Control"]
    assert response["ETag"] != korean


def test_the_language_switch_sets_the_cookie_and_stays_on_the_site(client):
    response = client.get(reverse("language_switch"), {"language": "en", "next": "/execution/?year=2022"})
    assert response.status_code == 302 and response["Location"] == "/execution/?year=2022"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    away = client.get(reverse("language_switch"), {"language": "en", "next": "https://example.org/"})
    assert away["Location"] == "/"
    unknown = client.get(reverse("language_switch"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies


def test_an_anonymous_response_is_kept_until_the_figures_change(client, django_assert_max_num_queries):
    """The second read of a public page is served from the server's cache (one query: the figures'
    version); a change to the figures serves the new page at once; a signed-in user's page is not kept."""
    url = reverse("budget:execution") + "?year=2022"
    first = client.get(url)
    with django_assert_max_num_queries(1):
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    _adjustment_published()  # PA-01's 예산현액 281,650 → 281,651 thousand won in edition 2
    changed = client.get(url)
    assert (
        changed["ETag"] != first["ETag"]
        and "281,651" in changed.content.decode()
        and "281,651" not in first.content.decode()
    )
    client.force_login(get_user_model().objects.get(username="staff"))
    client.get(url)
    with django_assert_max_num_queries(30) as signed_in:
        client.get(url)
    assert len(signed_in.captured_queries) > 3  # drawn again: session, user, the figures


def test_a_staff_draft_and_an_approval_leave_public_pages_kept_and_a_publication_renews_them(client):
    """Staff saving, submitting and a director approving a month is work the public never sees: the public
    version (and so every kept public page) stays; the publication that makes the month public renews it."""
    from budget.services import division_month_approve, division_month_submit, execution_month_save
    from staffing.models import Division
    from tests.budget.test_entry import JULY, july_rows, user

    url = reverse("budget:execution") + "?year=2022"
    before = client.get(url)
    participation = Division.objects.get(code="participation")
    rows = july_rows(**{"PA-01": (100_000_000, 90_123_000)})
    month = execution_month_save(user=user("staff"), division=participation, as_of=JULY, rows=rows, version=0)
    month = division_month_submit(user=user("staff"), month=month, version=month.version)
    draft = client.get(url)
    assert draft["ETag"] == before["ETag"] and draft.content == before.content
    division_month_approve(user=user("director"), month=month, version=month.version)
    approved = client.get(url)
    assert approved["ETag"] == before["ETag"] and approved.content == before.content
    publish(participation.bureau, JULY, reason="시민참여과만 먼저")
    published = client.get(url)
    assert published["ETag"] != before["ETag"] and "90,123" in published.content.decode()
