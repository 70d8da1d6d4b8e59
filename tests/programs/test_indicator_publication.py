"""Indicator values reach the public program pages only through a published period: a staff save is
counted as waiting on the period's page, and appears once the bureau publishes the next edition."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.selectors.periods import bureau_period
from programs.models import Indicator
from programs.services import indicator_value_save
from tests.factories import publish

pytestmark = pytest.mark.django_db
REPORT = datetime.date(2022, 7, 1)


def test_a_saved_value_is_public_once_its_period_is_published(client, people, bureau):
    indicator = Indicator.objects.filter(program__division__code="participation", additive=False).order_by("pk").first()
    url = reverse("programs:program_detail", args=[indicator.program.slug])
    before = client.get(url).content.decode()
    indicator_value_save(
        user=people["staff_a"],
        indicator=indicator,
        as_of=datetime.date(2022, 6, 30),
        category="",
        value=Decimal("4321"),
    )
    assert client.get(url).content.decode() == before  # saved, not published: the kept page stays
    period = bureau_period(bureau=bureau, as_of=REPORT)
    assert period.other_changes == [("지표 값", 1)] and period.has_changes
    publish(bureau, REPORT, reason="지표 값 추가")
    html = client.get(url).content.decode()
    assert "4,321" in html and "’22. 6. 30." in html
