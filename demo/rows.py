"""How a demo data file is read: each record a `Row` that knows where it is (file, row number or path)
and turns its raw values into numbers, amounts in won, dates and references, or raises a `DemoDataError`
naming the file, the row and the field. Every file is one table of the report, in the report's own unit
(천원, 백만원), readable in a diff."""

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

UNIT_WON = {"thousand_won": 1_000, "million_won": 1_000_000}


class DemoDataError(Exception):
    """A bad value in a demo data file: names the file, the row and the field."""

    def __init__(self, file: str, row, field: str, message: str):
        self.file, self.row, self.field, self.message = file, row, field, message
        super().__init__(f"{file}, row {row}, field '{field}': {message}")


@dataclass
class Row:
    """One record of a data file: where it is (file, row number or path) and its raw values."""

    file: str
    number: object
    values: dict

    def error(self, field: str, message: str) -> DemoDataError:
        return DemoDataError(self.file, self.number, field, message)

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.values.get(field)
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise self.error(field, "a value is required")
        return value

    def integer(self, field: str, *, required: bool = True, minimum: int | None = 0) -> int | None:
        raw = self.values.get(field)
        if raw is None or str(raw).strip() == "":
            if required:
                raise self.error(field, "a number is required")
            return None
        if isinstance(raw, bool):
            raise self.error(field, f"not a whole number: {raw!r}")
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise self.error(field, f"not a number: {raw!r}") from None
        if value != value.to_integral_value():
            raise self.error(field, f"not a whole number: {raw!r}")
        if minimum is not None and value < minimum:
            raise self.error(field, f"must be {minimum} or more, got {raw!r}")
        return int(value)

    def decimal(self, field: str) -> Decimal:
        raw = self.values.get(field)
        if isinstance(raw, bool) or raw is None or str(raw).strip() == "":
            raise self.error(field, "a number is required")
        try:
            return Decimal(str(raw).strip())
        except InvalidOperation:
            raise self.error(field, f"not a number: {raw!r}") from None

    def won(self, field: str, *, required: bool = True, minimum: int | None = 0) -> int | None:
        """An amount written in the unit its column names (`…_thousand_won`), as whole won."""
        unit = next((won for suffix, won in UNIT_WON.items() if field.endswith(suffix)), None)
        value = self.integer(field, required=required, minimum=minimum)
        return None if value is None else value * unit

    def date(self, field: str) -> datetime.date:
        raw = self.values.get(field)
        if isinstance(raw, datetime.date):
            return raw
        try:
            return datetime.date.fromisoformat(str(raw).strip())
        except (TypeError, ValueError):
            raise self.error(field, f"not a date (YYYY-MM-DD): {raw!r}") from None

    def boolean(self, field: str) -> bool:
        raw = self.values.get(field)
        if isinstance(raw, bool):
            return raw
        text = self.text(field)
        if text in ("yes", "true"):
            return True
        if text in ("no", "false"):
            return False
        raise self.error(field, f"expected yes or no, got {raw!r}")

    def choice(self, field: str, choices) -> str:
        value = self.text(field)
        if value not in choices:
            raise self.error(field, f"unknown value {value!r}; expected one of {', '.join(choices)}")
        return value

    def ref(self, field: str, mapping: dict, *, required: bool = True):
        key = self.text(field, required=required)
        if not key and not required:
            return None
        try:
            return mapping[key]
        except KeyError:
            raise self.error(field, f"unknown reference {key!r}") from None


def read_csv(directory: Path, name: str, columns: list[str]) -> Iterator[Row]:
    path = directory / name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise DemoDataError(name, 1, missing[0], f"missing column (the header must be {','.join(columns)})")
        for number, values in enumerate(reader, start=2):
            if None in values:
                raise DemoDataError(name, number, columns[-1], "more cells than columns")
            yield Row(name, number, values)


def read_yaml(directory: Path, name: str):
    path = directory / name
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DemoDataError(name, mark.line + 1 if mark else "?", "-", f"not valid YAML: {exc}") from None


def yaml_rows(name: str, items, path: str) -> Iterator[Row]:
    if not isinstance(items, list):
        raise DemoDataError(name, path, path.rsplit(".", 1)[-1], "expected a list")
    for index, values in enumerate(items):
        if not isinstance(values, dict):
            raise DemoDataError(name, f"{path}[{index}]", "-", "expected a mapping")
        yield Row(name, f"{path}[{index}]", values)
