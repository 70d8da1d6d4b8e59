"""Open data: a public table as plain records, and the writers for CSV and JSON.

Each app's `exports/open_data.py` builds a `Dataset` from its selectors (a pure row builder); these
writers turn any Dataset into a file. Column names are stable English identifiers documented in
docs/open-data.md; amounts are whole won and rates numbers, never formatted text; every row carries the
as-of date of its figures.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse, HttpResponseBadRequest

CSV_TYPE = "text/csv; charset=utf-8"
# JSON is UTF-8 by its standard, but a browser shows a file it was not told the charset of in Latin-1:
# the charset is named, and Hangul is written as itself, never as \u escapes.
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_BOM = "\ufeff"  # so that spreadsheet programs read the file as UTF-8 (Korean names)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column of an open-data file: its stable name, its Table Schema type, what it means, its unit."""

    name: str
    type: str  # "string", "integer", "number", "date", "boolean"
    description: str
    unit: str = ""  # "KRW" (whole won), "percent", "persons"
    nullable: bool = False


@dataclass
class Dataset:
    name: str  # file name without extension: "execution"
    title: str
    columns: list[Column]
    rows: list[dict]
    as_of: datetime.date | None = None
    meta: dict = field(default_factory=dict)  # parameters the rows were built for (fiscal_year …)

    def values(self, row: dict) -> list:
        return [row.get(column.name) for column in self.columns]


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value) if isinstance(value, str) else value


def csv_text(dataset: Dataset) -> str:
    """The dataset as CSV text, with the BOM first; an empty cell is a figure that was not reported."""
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in dataset.columns])
    for row in dataset.rows:
        writer.writerow([_csv_cell(v) for v in dataset.values(row)])
    return buffer.getvalue()


def json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def json_document(dataset: Dataset) -> dict:
    """The dataset as one JSON object: what it is, as of when, its columns, and its rows as objects."""
    return {
        "name": dataset.name,
        "title": dataset.title,
        "as_of": json_value(dataset.as_of),
        **{k: json_value(v) for k, v in dataset.meta.items()},
        "columns": [
            {"name": c.name, "type": c.type, "description": c.description, **({"unit": c.unit} if c.unit else {})}
            for c in dataset.columns
        ],
        "rows": [{c.name: json_value(row.get(c.name)) for c in dataset.columns} for row in dataset.rows],
    }


def json_response(document: dict, filename: str) -> HttpResponse:
    """Any JSON document the site serves (a dataset, the data package): UTF-8, Hangul unescaped, charset named."""
    result = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"), content_type=JSON_TYPE)
    result["Content-Disposition"] = f'inline; filename="{filename}"'
    return result


def table_schema(dataset: Dataset) -> dict:
    """The Frictionless Table Schema of the dataset's CSV."""
    fields = []
    for c in dataset.columns:
        spec = {"name": c.name, "type": c.type, "description": c.description}
        if c.type == "number":
            spec["decimalChar"] = "."
        if not c.nullable:
            spec["constraints"] = {"required": True}
        fields.append(spec)
    return {"fields": fields, "missingValues": [""]}


def refusal(errors) -> HttpResponseBadRequest:
    """A file asked for with bad parameters: a 400 saying why in plain text (a form's or filter's errors)."""
    text = "; ".join(str(e) for messages in errors.values() for e in messages)
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def response(dataset: Dataset, fmt: str) -> HttpResponse:
    """The dataset as a download: `fmt` is 'csv' or 'json'."""
    if fmt != "csv":
        return json_response(json_document(dataset), f"{dataset.name}.json")
    result = HttpResponse(csv_text(dataset).encode("utf-8"), content_type=CSV_TYPE)
    result["Content-Disposition"] = f'inline; filename="{dataset.name}.csv"'
    return result


# -- the data package's other resources -----------------------------------------------------------------
# /datapackage.json is served by budget, a layer below the apps whose files it also lists (the measures'):
# like civicbureau.notes, an app registers in its AppConfig.ready a provider of resources, which the data
# package asks with the period's query string (so that each path reads the same period).

_resource_providers: list[Callable[[str], list[dict]]] = []


def register_resources(provider: Callable[[str], list[dict]]) -> None:
    """`provider(query)` gives data-package resources (see `csv_resource`); called once per provider."""
    if provider not in _resource_providers:
        _resource_providers.append(provider)


def package_resources(query: str) -> list[dict]:
    """Every registered provider's resources for the period the query string names ('' for the latest)."""
    return [resource for provider in _resource_providers for resource in provider(query)]


def csv_resource(dataset: Dataset, path: str) -> dict:
    """A tabular data resource describing a dataset's CSV at `path` (its columns; the rows are not read)."""
    return {
        "name": dataset.name.replace("_", "-"),
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "title": dataset.title,
        "schema": table_schema(dataset),
    }
