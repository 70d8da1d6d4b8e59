"""Measures on the public program page and in the open data: what the bureau published with a period
(results dated by its as-of date, approved targets as recorded when it was published), in both languages,
with the same number of queries whatever the number of measures."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budget.models import Publication
from programs.models import MeasureTarget
from staffing.models import Division
from tests import factories
from tests.html_tables import table

pytestmark = pytest.mark.django_db
YEAR = factories.FISCAL_YEAR
AS_OF = datetime.date(YEAR, 6, 30)


@pytest.fixture
def published(bureau):
    """A program of the demo bureau in YEAR with a measure that has a target and two results, another with
    neither target nor result, and a period published at AS_OF; then changes made after the publication
    (a new approved revision, a proposed one, a later result) that the public must not see yet."""
    division = Division.objects.get(code="participation")
    factories.BudgetLineFactory(division=division, fiscal_year=YEAR)  # the year is one the public can ask for
    program = factories.ProgramFactory(division=division, core_task__direction__bureau=bureau)
    measure = factories.IndicatorFactory(program=program, name="시험 교육 횟수", unit="회", order=1)
    untargeted = factories.IndicatorFactory(program=program, name="시험 참여 단체", unit="개소", order=2)
    factories.IndicatorValueFactory(indicator=measure, as_of=datetime.date(YEAR, 3, 31), value=Decimal("40"))
    factories.IndicatorValueFactory(indicator=measure, as_of=AS_OF, value=Decimal("80"))
    factories.MeasureTargetFactory(indicator=measure, value=Decimal("100"), source="연 100회 교육")
    publication = Publication.objects.create(bureau=bureau, as_of=AS_OF, edition=1, published_at=timezone.now())
    factories.MeasureTargetFactory(indicator=measure, revision=2, value=Decimal("200"), reason="확대")
    factories.MeasureTargetFactory(indicator=untargeted, value=Decimal("5"), status=MeasureTarget.Status.PROPOSED)
    factories.IndicatorValueFactory(indicator=measure, as_of=datetime.date(YEAR, 7, 31), value=Decimal("150"))
    return {"program": program, "measure": measure, "untargeted": untargeted, "publication": publication}


def _page(client, program, language="ko"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("programs:program_detail", args=[program.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_each_measure_as_published(client, published):
    html = _page(client, published["program"])
    found = table(html, "program-measures")
    assert (
        found["caption"]
        == f"{YEAR}년 성과지표 (’{YEAR % 100}. 6. 30.기준) 제1판, "
        + timezone.localtime(published["publication"].published_at).date().isoformat()
        + " 공표"
    )
    assert found["rows"] == [
        # the target approved by then (100, not the later 200), the result dated by then (80, not 150)
        ["시험 교육 횟수", "100회", "80회", f"’{YEAR % 100}. 6. 30.", "80.0", "주의"],
        # a target only proposed is not public: the measure has none
        ["시험 참여 단체", "목표 미설정", "-", "-", "-", "-"],
    ]
    series = table(html, f"measure-{published['measure'].code}-chart-table")
    assert series["rows"] == [[f"’{YEAR % 100}. 3. 31.", "40", "100"], [f"’{YEAR % 100}. 6. 30.", "80", "100"]]
    chart = json.loads(
        html.split(f'id="measure-{published["measure"].code}-chart-data" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    assert chart["datasets"][0]["data"] == ["40", "80"] and chart["target"] == "100"
    assert f'id="measure-{published["untargeted"].code}-chart"' not in html  # one result: no series, no chart
    assert '<a class="term" href="/glossary/#achievement">달성률</a>' in html


def test_the_page_in_english(client, published):
    found = table(_page(client, published["program"], "en"), "program-measures")
    assert [row[1:] for row in found["rows"]] == [
        ["100 times", "80 times", "30 Jun 2023", "80.0", "Caution"],
        ["No target set", "-", "-", "-", "-"],
    ]


def read_csv(response):
    text = response.content.decode("utf-8")
    assert response.status_code == 200 and text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_measures_files_say_what_the_page_says(client, published):
    query = {"year": YEAR, "as_of": AS_OF.isoformat()}
    rows = {
        r["code"]: r for r in read_csv(client.get(reverse("portal:measures_file", args=["measures", "csv"]), query))
    }
    measure, untargeted = published["measure"], published["untargeted"]
    assert rows[measure.code] == {
        "code": measure.code,
        "name": "시험 교육 횟수",
        "unit": "회",
        "program": published["program"].slug,
        "division": "participation",
        "direction": "higher",
        "baseline": "",
        "baseline_year": "",
        "fiscal_year": str(YEAR),
        "target": "100",
        "target_low": "",
        "target_high": "",
        "result": "80",
        "result_as_of": AS_OF.isoformat(),
        "achievement": "80.0",
        "status": "caution",
    }
    assert (rows[untargeted.code]["target"], rows[untargeted.code]["status"]) == ("", "no_target")
    targets = read_csv(client.get(reverse("portal:measures_file", args=["measure_targets", "csv"]), query))
    mine = [r for r in targets if r["code"] in (measure.code, untargeted.code)]
    assert [(r["code"], r["revision"], r["value"], r["source"]) for r in mine] == [
        (measure.code, "1", "100", "연 100회 교육")  # revision 2 came later; the proposed one is not public
    ]
    assert mine[0]["approved_at"] <= published["publication"].published_at.astimezone(datetime.UTC).isoformat()
    document = json.loads(client.get(reverse("portal:measures_file", args=["measures", "json"]), query).content)
    assert document["as_of"] == AS_OF.isoformat() and document["edition"] == 1
    row = next(r for r in document["rows"] if r["code"] == measure.code)
    assert (row["target"], row["result"], row["achievement"]) == (100, 80, 80.0)


def test_a_period_not_published_has_no_measures(client, published):
    url = reverse("portal:measures_file", args=["measures", "csv"])
    assert client.get(url, {"year": YEAR, "as_of": f"{YEAR}-05"}).status_code == 404
    assert client.get(url, {"year": YEAR, "as_of": "not a date"}).status_code == 400


def _count(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_takes_as_many_queries_with_ten_times_the_measures(client, published):
    program = published["program"]
    url = reverse("programs:program_detail", args=[program.slug])
    before = _count(client, url)
    for n in range(20):
        measure = factories.IndicatorFactory(program=program, order=10 + n)
        factories.MeasureTargetFactory(indicator=measure, fiscal_year=YEAR)
        factories.IndicatorValueFactory(indicator=measure, as_of=datetime.date(YEAR, 3, 31))
        factories.IndicatorValueFactory(indicator=measure, as_of=AS_OF)
    Publication.objects.create(bureau=program.division.bureau, as_of=AS_OF, edition=2, published_at=timezone.now())
    html = _page(client, program)
    assert len(table(html, "program-measures")["rows"]) == 22
    assert _count(client, url) == before <= 15
