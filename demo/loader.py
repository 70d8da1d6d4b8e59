"""Loading the 2022 report (`demo_data/`) into the database: the one bulk path that writes models directly.

The services are staff entry: each needs a user allowed to write, the version an edit started from and a
month still open. The report is none of these. Most of it is reference data no service writes (the
organisation, grades, budget lines, revenue, programs, centres, indicators; the admin is their only other
editor), and its figures are an approved record (each division's month is created approved). So the
loader writes the models itself, under the same checks and the same trail:

- every record passes the model's own rules before it is saved (`full_clean()`; an execution snapshot all
  but the month's lock, since the report's figures go into the month they approve); an error names the
  file, the row and the column (`DemoDataError`);
- every write, deletions included, goes through `Loader.write`, which records it in the history with
  how='load_demo' (`civicbureau.audit.record`);
- the whole load is one transaction: a bad row stops it and leaves the database exactly as it was;
- a row is written only when a value differs, so loading twice changes nothing and the history holds real
  changes only.

Every file is one table of the report, in the report's own unit (천원, 백만원), readable in a diff. The files
are read by staffing_files, budget_files and programs_files; their records are parsed by rows.
"""

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from civicbureau import audit
from demo import budget_files, programs_files, staffing_files
from demo.rows import Row

DEMO_DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"


class Loader:
    """Loads every file of a data directory; `load()` is all or nothing."""

    def __init__(self, directory: Path = DEMO_DATA_DIR):
        self.directory = Path(directory)
        self.written = 0
        self.unchanged = 0

    def load(self) -> "Loader":
        with transaction.atomic():
            organisation = staffing_files.organisation(self)
            staffing_files.headcount(self, organisation.divisions, organisation.grades)
            staffing_files.part_time_staff(self, organisation.divisions)
            lines = budget_files.budget_lines(self, organisation.divisions)
            budget_files.budget_adjustments(self, lines)
            periods = budget_files.execution(self, lines)
            budget_files.revenue(self)
            budget_files.division_budgets(self, organisation.divisions)
            programs = programs_files.programs(self, organisation.bureau, organisation.divisions, lines)
            programs_files.consigned_centres(self, organisation.divisions)
            programs_files.indicators(self, programs)
            budget_files.publish(self, periods)
        return self

    def upsert(
        self,
        row: Row,
        model: type[models.Model],
        lookup: dict,
        values: dict,
        fields: dict | None = None,
        *,
        validate: Callable[[models.Model], None] | None = None,
    ):
        """Create or update the record found by `lookup`; save only when a value differs.

        `fields` maps model fields to the file's columns, so that a model validation error names the column.
        `validate`: the model's rules for this record when they are not its `full_clean()`.
        """
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
        else:
            changed = False
            for name, value in values.items():
                current = getattr(obj, model._meta.get_field(name).attname)
                new = value.pk if isinstance(value, models.Model) else value
                if current != new:
                    setattr(obj, name, value)
                    changed = True
            if not changed:
                self.unchanged += 1
                return obj
        try:
            if validate is None:
                obj.full_clean()
            else:
                validate(obj)
        except ValidationError as exc:
            errors = exc.message_dict
            field = next((f for f in errors if f != NON_FIELD_ERRORS), NON_FIELD_ERRORS)
            column = (fields or {}).get(field, field)
            raise row.error(column, " ".join(errors[field])) from None
        self.write(obj)
        return obj

    def delete_after(self, model: type[models.Model], count: int, **lookup) -> None:
        """Delete the ordered records past the `count` the file now lists (a duty or an achievement taken out)."""
        for obj in model.objects.filter(**lookup, order__gt=count):
            self.write(obj, delete=True)

    def write(self, obj: models.Model, *, delete: bool = False) -> None:
        """The loader's only write: the history row it leaves says how (load_demo) and names no user."""
        audit.record(obj, None, audit.How.LOAD_DEMO)
        if delete:
            obj.delete()
        else:
            obj.save()
            self.written += 1


def load_demo(directory: Path = DEMO_DATA_DIR) -> Loader:
    return Loader(directory).load()
