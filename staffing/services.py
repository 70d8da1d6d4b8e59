"""Writes of headcount: a division's 정원 and 현원 by grade as of a date.

Who changes which column, kept explicit:
- 현원 (current) is entered by the division's own staff and director;
- 정원 (quota) is reference data set by the bureau's roles (국장, 국 기획 담당), and by the administrator
  in the Django admin; a division may not change its own quota.
Each saves the whole grid for the date, with the column it may not change carried over unchanged from
the stored figures (or, for a new date, from the latest earlier date). All rows or none, in one
transaction, with the grid's version (the id of its latest history row) and the history's who and how.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicbureau import audit
from civicbureau.entry import EntryError, Problem, check_entry_date, problems_from, require_version
from civicbureau.locks import ROW_LOCK
from staffing.models import Division, Grade, HeadcountEntry
from staffing.permissions import BUREAU_ROLES, can_edit_division, membership_of


@dataclass(frozen=True)
class HeadcountInput:
    grade: str  # Grade.code
    quota: int | None
    current: int | None


def headcount_columns(user, division: Division) -> set[str]:
    """The columns this person may change on the division's grid: {'current'}, {'quota'} or none."""
    if can_edit_division(user, division):
        return {"current"}
    membership = membership_of(user)
    if membership is not None and membership.role in BUREAU_ROLES and membership.bureau_id == division.bureau_id:
        return {"quota"}
    return set()


def headcount_reference(
    *, division: Division, as_of: datetime.date
) -> tuple[datetime.date | None, dict[int, HeadcountEntry]]:
    """The figures a grid for `as_of` starts from: those of that date, else of the latest earlier date."""
    dates = (
        HeadcountEntry.objects.filter(division=division, as_of__lte=as_of)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
    )
    day = dates.first()
    if day is None:
        return None, {}
    return day, {
        e.grade_id: e for e in HeadcountEntry.objects.filter(division=division, as_of=day).select_related("grade")
    }


def headcount_grid_version(*, division: Division, as_of: datetime.date) -> int:
    return audit.history_version(HeadcountEntry.history.filter(division_id=division.pk, as_of=as_of))


def headcount_save(
    *,
    user,
    division: Division,
    as_of: datetime.date,
    rows: list[HeadcountInput],
    version: int | None,
    how: audit.How = audit.How.FORM,
) -> int:
    """Save the division's grid as of a date; returns how many cells changed."""
    columns = headcount_columns(user, division)
    if not columns:
        raise PermissionDenied(_("이 과의 인원을 입력할 권한이 없습니다."))
    require_version(version)
    check_entry_date(as_of)
    grades = {g.code: g for g in Grade.objects.all()}
    with transaction.atomic():
        # Lock the date's cells (the whole grid is one edit); a first save of a date meets the unique constraint.
        list(HeadcountEntry.objects.select_for_update(**ROW_LOCK).filter(division=division, as_of=as_of))
        if version != headcount_grid_version(division=division, as_of=as_of):
            raise EntryError(
                [
                    Problem(
                        "",
                        "version",
                        _(
                            "다른 사람이 그 사이에 이 날짜의 인원을 바꿨습니다. 아무것도 저장하지 않았습니다; 새로 불러와 다시 입력하세요."
                        ),
                    )
                ]
            )
        day, reference = headcount_reference(division=division, as_of=as_of)
        problems, to_save, seen = [], [], set()
        for row in rows:
            grade = grades.get(row.grade)
            if grade is None or row.grade in seen:
                problems.append(Problem(row.grade, "grade", _("알 수 없는 직급입니다.")))
                continue
            seen.add(row.grade)
            known = reference.get(grade.pk)
            stored = known if known is not None and day == as_of else None
            entry = stored or HeadcountEntry(division=division, grade=grade, as_of=as_of)
            carried = {"quota": known.quota if known else None, "current": known.current if known else None}
            values = {"quota": row.quota, "current": row.current}
            for field in ("quota", "current"):
                if field not in columns and values[field] != carried[field]:
                    who = _("국(국장·기획 담당)") if field == "quota" else _("과(주무관·과장)")
                    problems.append(
                        Problem(
                            grade.name, field, _("이 값은 %(who)s에서 입력합니다; 바꿀 수 없습니다.") % {"who": who}
                        )
                    )
                    values[field] = carried[field]
            if known is None and not values["quota"] and not values["current"]:
                continue  # a grade the division has never had, left empty
            if values["quota"] is None:
                values["quota"] = 0
            if values["current"] is None:
                values["current"] = 0
            if stored is not None and (stored.quota, stored.current) == (values["quota"], values["current"]):
                continue
            entry.quota, entry.current = values["quota"], values["current"]
            try:
                entry.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                problems.extend(problems_from(exc, grade.name))
                continue
            to_save.append(entry)
        if problems:
            raise EntryError(problems)
        try:
            with transaction.atomic():
                for entry in to_save:
                    audit.record(entry, user, how)
                    entry.save()
        except IntegrityError:  # a first save of the same date that committed since this one locked nothing
            raise EntryError(
                [
                    Problem(
                        "",
                        "version",
                        _(
                            "다른 사람이 그 사이에 이 날짜의 인원을 바꿨습니다. 아무것도 저장하지 않았습니다; 새로 불러와 다시 입력하세요."
                        ),
                    )
                ]
            ) from None
    return len(to_save)
