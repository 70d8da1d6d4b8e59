"""The open-data writers (no database) and the Fiscal Data Package, validated by frictionless."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import frictionless
import pytest
from django.urls import reverse

from budget.exports.open_data import execution_dataset
from budget.selectors.execution import ExecutionRow, ExecutionTable
from civicbureau.open_data import Column, Dataset, csv_text, json_document, neutralise
from programs.models import Indicator, MeasureTarget


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["시민참여과", "1-2", "", -5, Decimal("-1.5"), None])
def test_other_cells_are_left_alone(value):
    assert neutralise(value) == value


def small_table():
    rows = [
        ExecutionRow("total", "합계", 3_000, 3_000, None, 1_500),
        ExecutionRow("division", "가과", 3_000, 3_000, None, 1_500, code="ga", division_code="ga"),
        ExecutionRow("line", "-음수 사업", 3_000, 0, 10, 0, code="GA-1", division_code="ga"),
    ]
    return ExecutionTable(as_of=datetime.date(2022, 7, 1), fiscal_year=2022, rows=rows)


def test_execution_rows_are_won_and_numbers():
    dataset = execution_dataset(small_table())
    assert [r["level"] for r in dataset.rows] == ["total", "division", "line"]
    line = dataset.rows[2]
    assert line["division"] == "가과" and line["original_budget"] == 3_000 and line["execution_rate"] is None
    assert dataset.rows[0]["execution_rate"] == Decimal("50.0")
    assert [r["level"] for r in execution_dataset(small_table(), levels=("line",)).rows] == ["line"]


def test_csv_has_a_bom_neutralised_text_and_plain_numbers():
    text = csv_text(execution_dataset(small_table()))
    assert text.startswith("\ufefffiscal_year,as_of,level")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[3][6] == "'-음수 사업"
    assert rows[1][7:] == [
        "3000",
        "3000",
        "",
        "1500",
        "1500",
        "50.0",
        "true",
        rows[1][1],
        "",
        "",
    ]  # no edition: internal
    assert rows[3][-1] == ""  # a rate that cannot be computed is empty, not '-'


def test_json_has_numbers_and_the_as_of_date():
    document = json_document(execution_dataset(small_table()))
    assert document["as_of"] == "2022-07-01" and document["fiscal_year"] == 2022
    assert document["rows"][0]["execution_rate"] == 50.0 and document["rows"][0]["obligations"] is None
    assert document["rows"][2]["name"] == "-음수 사업"  # JSON is not opened by spreadsheets: kept as is
    assert json.loads(json.dumps(document)) == document


def test_a_dataset_without_rows_still_has_its_header():
    dataset = Dataset("x", "x", [Column("a", "integer", "A")], [], None)
    assert csv_text(dataset) == "\ufeffa\r\n"


@pytest.mark.django_db
def test_the_fiscal_data_package_validates(client, tmp_path):
    package = json.loads(client.get(reverse("budget:datapackage")).content)
    assert package["resources"][0]["path"] == "execution-lines.csv"
    measures = package["model"]["measures"]
    assert {m["phase_detail"] for m in measures.values()} == {"original", "adjusted", "obligated", "executed"}
    assert (
        package["model"]["dimensions"]["administrative-classification"]["attributes"]["division_code"]["source"]
        == "division_code"
    )
    assert package["fiscalPeriod"] == {"start": "2022-01-01", "end": "2022-12-31"}
    (tmp_path / "execution-lines.csv").write_bytes(client.get(reverse("budget:execution_lines_csv")).content)
    # the measures' files, registered by the portal for the same period
    assert [r["path"] for r in package["resources"][1:]] == ["measures.csv", "measure_targets.csv"]
    for name in ("measures", "measure_targets"):
        (tmp_path / f"{name}.csv").write_bytes(client.get(reverse("portal:measures_file", args=[name, "csv"])).content)
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 34
    assert report.tasks[1].stats["rows"] == Indicator.objects.count()  # every measure of the bureau
    assert report.tasks[2].stats["rows"] == MeasureTarget.objects.filter(status="approved").count()


@pytest.mark.django_db
def test_the_datapackage_follows_the_period(client):
    package = json.loads(client.get(reverse("budget:datapackage"), {"year": 2022, "as_of": "2022-07"}).content)
    assert package["resources"][0]["path"] == "execution-lines.csv?year=2022&as_of=2022-07"
    assert package["resources"][1]["path"] == "measures.csv?year=2022&as_of=2022-07"
    assert client.get(reverse("budget:datapackage"), {"year": 2022, "as_of": "2022-02"}).status_code == 404


def _json_routes(patterns, prefix=""):
    """Every route of the site whose address ends in .json (or offers json as a format)."""
    from django.urls import URLPattern

    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLPattern):
            if "json" in route:
                yield p.name
        else:
            yield from _json_routes(p.url_patterns, route)


def _json_urls():
    """Each JSON address the public site serves, with the demo's programs and organisation tables."""
    from programs.models import Program

    urls = [reverse("budget:execution_json"), reverse("budget:datapackage"), reverse("programs:schedule_json")]
    urls += [
        reverse("portal:organisation_file", args=[name, "json"]) for name in ("headcount", "revenue", "expenditure")
    ]
    urls += [reverse("portal:measures_file", args=[name, "json"]) for name in ("measures", "measure_targets")]
    for program in Program.objects.order_by("slug"):
        urls.append(reverse("programs:program_outline_json", args=[program.slug]))
        if program.execution_rows.exists():
            urls.append(reverse("programs:program_json", args=[program.slug]))
    return urls


HANGUL_ESCAPE = re.compile(
    rb"\\u(?:[aA][c-fC-F]|[bB][0-9a-fA-F]|[cC][0-9a-fA-F]|[dD][0-7])[0-9a-fA-F]{2}|\\u3[01][0-9a-fA-F]{2}"
)


@pytest.mark.django_db
def test_every_json_route_is_checked():
    from django.urls import get_resolver

    names = {name for name in _json_routes(get_resolver().url_patterns)}
    checked = {
        "execution_json",
        "datapackage",
        "schedule_json",
        "organisation_file",
        "program_json",
        "program_outline_json",
        "measures_file",
    }
    assert names == checked  # a new JSON address must join _json_urls


@pytest.mark.django_db
def test_json_is_utf8_with_hangul_as_itself_and_says_so(client):
    urls = _json_urls()
    assert len(urls) >= 31  # 8 bureau files, 14 outlines and the programs with an execution table
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json; charset=utf-8", url
        assert not HANGUL_ESCAPE.search(response.content), url
        text = response.content.decode("utf-8")
        assert re.search("[가-힣]", text), url  # the Hangul is there, written as itself
        json.loads(text)
