"""The trail of money and people figures: every change is a saved row with who, when, the old and new
values and how it came (django-simple-history), so writes that skip `save()` are refused or recorded.

`QuerySet.update()` and `bulk_update()` write without history: on audited models they raise.
`bulk_create()` records a history row per object with the reason 'bulk'. Models whose approved or published
rows are kept refuse deleting them, one by one and by `QuerySet.delete()` (DeleteRefusedError). `save_many()` is the bulk path
of the services: many rows of one model written in a few statements, each with its own history row.
"""

from enum import StrEnum

from django.db import connection, connections, models, transaction
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model


class How(StrEnum):
    """How a change came, recorded as its history row's change reason."""

    FORM = "form"  # a page of the portal
    IMPORT = "import"  # a spreadsheet, uploaded or through import_execution
    ADMIN = "admin"  # the Django admin
    BULK = "bulk"  # bulk_create() outside a service
    LOAD_DEMO = "load_demo"  # the demo loader


class AuditBypassError(RuntimeError):
    """A write that would change audited figures without recording them."""


class DeleteRefusedError(RuntimeError):
    """A delete of figures that are submitted, approved or published: they are kept, and only a correction
    changes them. The message says which and why, in the user's language."""


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditBypassError(
            f"{self.model.__name__}: QuerySet.update() writes no history; save each row through its service"
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditBypassError(
            f"{self.model.__name__}: bulk_update() writes no history; save each row through its service"
        )

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(list(objs), *args, **kwargs)
        if any(obj.pk is None for obj in objs):
            raise AuditBypassError(
                f"{self.model.__name__}: bulk_create() returned rows without keys; their history cannot be written"
            )
        get_history_manager_for_model(self.model).bulk_history_create(objs, default_change_reason=How.BULK)
        return objs


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):
    pass


def record(obj, user, how: How) -> None:
    """Who and how, for the history row the next save (or delete) of `obj` writes."""
    obj._history_user = user
    obj._change_reason = how


def as_recorded(model, at=None):
    """The rows of an audited model as they were recorded at a moment (the latest history row of each at or
    before it, deleted ones left out), or as they are now when `at` is None: a queryset to filter as usual.
    Public pages read figures without an approval of their own as they stood when their period was published."""
    return model.history.as_of(at) if at is not None else model.objects.all()


def history_version(history_queryset) -> int:
    """The version of one record or a set of records for optimistic locking: the id of their latest
    history row (0 when none). Any save writes a higher one, so an edit that started before it is refused."""
    return history_queryset.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def save_many(model, objs, *, fields: list[str], user, how: How) -> None:
    """Save many rows of one audited model the way `save()` would, each with its history row (who, how,
    when, the new values), but in a few statements: new rows by one INSERT (one COPY on PostgreSQL), changed
    rows by one UPDATE, their history rows by one INSERT (COPY). For services that have already validated every row (full_clean);
    `fields` are the fields a changed row may have changed."""
    objs = list(objs)
    created = [obj for obj in objs if obj.pk is None]
    changed = [obj for obj in objs if obj.pk is not None]
    history = get_history_manager_for_model(model)
    now = timezone.now()
    with transaction.atomic():
        if created and copies():
            _copy_created(model, created, history.model, user=user, how=how, now=now)
        elif created:
            models.QuerySet(model=model).bulk_create(created)  # the plain queryset: the audited one would write "bulk"
            if any(obj.pk is None for obj in created):
                raise AuditBypassError(
                    f"{model.__name__}: bulk_create() returned rows without keys; their history cannot be written"
                )
            history.bulk_history_create(created, default_user=user, default_change_reason=how, default_date=now)
        if changed:
            _update_rows(model, changed, fields)
            history.bulk_history_create(
                changed, update=True, default_user=user, default_change_reason=how, default_date=now
            )


def _update_rows(model, objs, fields: list[str]) -> None:
    """The changed rows' new values, written by primary key. On PostgreSQL one UPDATE … FROM (VALUES …);
    elsewhere one UPDATE executed for every row in one go (executemany). Django's bulk_update builds a CASE
    expression per row and field: 100 ms of query building for a 30-line sheet, against about 1 ms here."""
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    rows = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [quote(column.column) for column in columns]
            casts = [column.db_type(connection) for column in columns]
            values = ", ".join(
                "(" + ", ".join([f"%s::{cast}" for cast in casts] + [f"%s::{model._meta.pk.db_type(connection)}"]) + ")"
                for _ in rows
            )
            assignments = ", ".join(f"{name} = v.{name}" for name in names)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v({', '.join(names)}, {pk}) WHERE {table}.{pk} = v.{pk}",
                [value for row in rows for value in row],
            )
        else:
            assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)


def copies() -> bool:
    """Whether save_many writes new rows by COPY (PostgreSQL) or by bulk_create (elsewhere)."""
    return connection.vendor == "postgresql"


def _copy_created(model, objs, history_model, *, user, how: How, now) -> None:
    """PostgreSQL's path for new rows: their keys taken from the table's sequence in one query, then the rows
    and their history rows each written by one COPY. Django's bulk INSERT of 54,000 budget lines and as many
    history rows spends seconds building the statement (a million prepare_value calls); COPY sends the values
    as they are. The history rows hold what bulk_history_create writes (tests/budget/test_budget_book.py compares
    the two paths), the values prepared by the same fields as bulk_create prepares them, once for both rows."""
    db = connections[connection.alias]  # the connection itself: each use of the proxy looks it up again
    quote = db.ops.quote_name
    pk_field = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk_field]
    history_fields = [f for f in history_model._meta.concrete_fields if f is not history_model._meta.pk]
    tracked = {f.attname for f in history_model.tracked_fields}  # prepared by the model's own fields
    filled = tracked | {"history_date", "history_user_id", "history_change_reason", "history_type"}
    relation = hasattr(history_model, "history_relation")
    missing = {f.attname for f in history_fields} - filled - ({"history_relation_id"} if relation else set())
    if missing:  # a history field this path does not fill (a custom history model): refused, not left empty
        raise AuditBypassError(f"{model.__name__}: history fields {sorted(missing)} have no value")
    position = {f.attname: n for n, f in enumerate([pk_field, *fields])}
    copied = [position[f.attname] for f in history_fields if f.attname in tracked]  # prepared once, for both rows
    own = [f for f in history_fields if f.attname not in tracked]
    order = sorted(range(len(history_fields)), key=lambda n: history_fields[n].attname not in tracked)
    history_fields = [history_fields[n] for n in order]  # the tracked fields first, then the history's own
    prepared: dict = {}  # (field, value) → its database value: the history's own values repeat row after row
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk_field.column, len(objs)],
        )
        keys = [pk for (pk,) in cursor.fetchall()]
    rows, history_rows = [], []
    for obj, pk in zip(objs, keys, strict=True):
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # a new parent's key, as bulk_create
        obj.pk = pk
        obj._state.adding, obj._state.db = False, db.alias
        row = [pk, *(f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields)]
        rows.append(row)
        history_user = (  # as bulk_history_create finds it, the default asked only when the object has none
            obj._history_user if hasattr(obj, "_history_user") else user or history_model.get_default_history_user(obj)
        )
        values = {
            "history_date": getattr(obj, "_history_date", now),
            "history_user_id": history_user.pk if history_user is not None else None,
            "history_change_reason": get_change_reason_from_object(obj) or how,
            "history_type": "+",
            "history_relation_id": pk,
        }
        history_row = [row[n] for n in copied]
        for f in own:
            key = (f.attname, values[f.attname])
            if key not in prepared:
                prepared[key] = f.get_db_prep_save(values[f.attname], db)
            history_row.append(prepared[key])
        history_rows.append(history_row)
    for table, columns, table_rows in (
        (model._meta.db_table, [pk_field, *fields], rows),
        (history_model._meta.db_table, history_fields, history_rows),
    ):
        names = ", ".join(quote(f.column) for f in columns)
        with db.cursor() as cursor, cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in table_rows:
                copy.write_row(row)
