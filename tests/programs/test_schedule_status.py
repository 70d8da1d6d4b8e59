"""The public schedule's status of each milestone (완료 / 추진 중 / 지연 / 예정) and its actual dates: derived
at the published period's date from the planned months and the progress staff recorded, as published."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from civicbureau.audit import history_version
from programs import services
from programs.exports.open_data import schedule_dataset
from programs.models import ScheduleItem
from programs.selectors.schedule import Progress, milestone_status, public_schedule, schedule_publication
from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    ProgramFactory,
    ScheduleItemFactory,
    member,
    publish,
)
from tests.html_tables import all_tables

pytestmark = pytest.mark.django_db
Status = ScheduleItem.Status
Y = FISCAL_YEAR
AUGUST, SEPTEMBER = datetime.date(Y, 8, 1), datetime.date(Y, 9, 1)


def status(item, on, progress=None):
    return milestone_status(
        start_month=item.start_month, end_month=item.end_month, progress=progress or Progress(), on=on
    )


@pytest.fixture
def item():
    """’23. 8월: planned for August alone."""
    return ScheduleItemFactory(date_text=f"’{Y % 100}. 8월")


def test_planned_until_its_month_begins(item):
    assert (item.start_month, item.end_month) == (AUGUST, AUGUST)
    assert status(item, datetime.date(Y, 7, 31)) == Status.PLANNED
    assert status(item, AUGUST) == Status.IN_PROGRESS


def test_delayed_the_day_after_its_last_month_ends_unless_done(item):
    assert status(item, datetime.date(Y, 8, 31)) == Status.IN_PROGRESS
    assert status(item, SEPTEMBER) == Status.DELAYED
    assert status(item, SEPTEMBER, Progress(Status.IN_PROGRESS, AUGUST)) == Status.DELAYED  # started, not finished
    assert status(item, SEPTEMBER, Progress(Status.DONE)) == Status.DONE


def test_done_on_its_actual_end_date(item):
    ended = Progress(Status.IN_PROGRESS, AUGUST, datetime.date(Y, 8, 20))
    assert status(item, datetime.date(Y, 8, 19), ended) == Status.IN_PROGRESS
    assert status(item, datetime.date(Y, 8, 20), ended) == Status.DONE


def test_what_staff_recorded_before_the_plan(item):
    july = datetime.date(Y, 7, 15)
    assert status(item, july, Progress(Status.PLANNED, actual_start=july)) == Status.IN_PROGRESS  # started early
    assert status(item, july, Progress(Status.PLANNED, actual_start=datetime.date(Y, 7, 16))) == Status.PLANNED
    assert status(item, july, Progress(Status.DELAYED)) == Status.DELAYED  # the division says it will be late


def test_an_open_ended_milestone_is_never_late_by_the_plan():
    ongoing = ScheduleItemFactory(date_text=f"’{Y % 100}. 8월~")
    assert ongoing.end_month is None
    assert status(ongoing, datetime.date(Y + 5, 1, 1)) == Status.IN_PROGRESS


@pytest.fixture
def published_program():
    """A bureau with a program, its period of 31 July published (one division, one line, approved)."""
    bureau = BureauFactory()
    division = DivisionFactory(bureau=bureau)
    line = BudgetLineFactory(division=division)
    ExecutionSnapshotFactory(budget_line=line, as_of=datetime.date(Y, 7, 31), approved=True)
    DivisionMonthFactory(division=division, as_of=datetime.date(Y, 7, 31), approved=True)
    program = ProgramFactory(division=division, core_task__direction__bureau=bureau)
    return program


def entries(bureau, from_day):
    months = public_schedule(
        bureau=bureau,
        items=ScheduleItem.objects.all(),
        from_day=from_day,
        publication=schedule_publication(bureau=bureau),
    )
    return {e.item.text: e for month in months for e in month.entries}


def test_progress_is_public_as_the_next_edition_publishes_it(published_program):
    bureau = published_program.core_task.direction.bureau
    june = ScheduleItemFactory(program=published_program, text="6월 일", date_text=f"’{Y % 100}. 6월")
    july = ScheduleItemFactory(program=published_program, text="7월 일", date_text=f"’{Y % 100}. 7월")
    publish(bureau, datetime.date(Y, 7, 31))
    shown = entries(bureau, datetime.date(Y, 7, 1))
    # at 31 July: June is over and not recorded done, so delayed (and shown although it ended before July)
    assert {text: (e.status, e.progress.actual_end) for text, e in shown.items()} == {
        "6월 일": (Status.DELAYED, None),
        "7월 일": (Status.IN_PROGRESS, None),
    }
    services.schedule_item_progress_save(
        user=member("staff", division=published_program.division),
        item=june,
        status=Status.DONE,
        actual_start=datetime.date(Y, 6, 2),
        actual_end=datetime.date(Y, 7, 10),
        note="",
        version=history_version(june.history.all()),
    )
    assert entries(bureau, datetime.date(Y, 7, 1))["6월 일"].status == Status.DELAYED  # saved, not published
    # the next period (31 August) publishes it, with the month's figures
    line = published_program.division.budget_lines.get()
    ExecutionSnapshotFactory(budget_line=line, as_of=datetime.date(Y, 8, 31), approved=True)
    DivisionMonthFactory(division=line.division, as_of=datetime.date(Y, 8, 31), approved=True)
    publish(bureau, datetime.date(Y, 8, 31))
    shown = entries(bureau, datetime.date(Y, 6, 1))
    assert {text: (e.status, e.progress) for text, e in shown.items()} == {
        "6월 일": (Status.DONE, Progress(Status.DONE, datetime.date(Y, 6, 2), datetime.date(Y, 7, 10))),
        "7월 일": (Status.DELAYED, Progress()),  # at 31 August July is over, and nothing was recorded
    }
    assert list(entries(bureau, AUGUST)) == ["7월 일"]  # from August: June's, done, is past; July's, late, is not
    # the open data says the same as the page
    months = public_schedule(
        bureau=bureau,
        items=ScheduleItem.objects.all(),
        from_day=datetime.date(Y, 6, 1),
        publication=schedule_publication(bureau=bureau),
    )
    rows = {r["text"]: r for r in schedule_dataset(months, from_day=datetime.date(Y, 6, 1), as_of=None).rows}
    assert [(rows[t]["status"], rows[t]["actual_start"], rows[t]["actual_end"]) for t in ("6월 일", "7월 일")] == [
        ("done", datetime.date(Y, 6, 2), datetime.date(Y, 7, 10)),
        ("delayed", None, None),
    ]
    assert july.end_month == datetime.date(Y, 7, 1)


def test_without_an_edition_the_status_comes_from_the_plan_at_the_chosen_day(published_program):
    bureau = published_program.core_task.direction.bureau
    ScheduleItemFactory(program=published_program, text="8월 일", date_text=f"’{Y % 100}. 8월")
    assert schedule_publication(bureau=bureau) is None
    assert entries(bureau, datetime.date(Y, 7, 1))["8월 일"].status == Status.PLANNED
    assert entries(bureau, AUGUST)["8월 일"].status == Status.IN_PROGRESS


def test_the_demo_schedule_shows_status_and_actual_dates(client):
    html = client.get(reverse("programs:schedule")).content.decode()
    rows = [
        row
        for found in all_tables(html)
        for row in found["rows"]
        if found["head"][-2:] == ["상태", "실제 시작일 ~ 종료일"]
    ]
    by_text = {row[0]: row for row in rows}
    # as of ’22. 7. 1. with no progress recorded: July's items have begun, August's have not
    assert by_text["공익활동공간 삼각지 입주단체 간담회 추진"][-2:] == ["추진 중", "-"]
    assert by_text["참여예산 사업 선정 시민투표 실시"][-2:] == ["예정", "-"]
    assert "’22. 7. 1. 기준입니다" in html


def test_the_schedule_file_carries_status_and_actual_dates(client):
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("programs:schedule_csv")).content.decode("utf-8-sig"))))
    by_text = {row["text"]: row for row in rows}
    assert {
        k: by_text["공익활동공간 삼각지 입주단체 간담회 추진"][k] for k in ("status", "actual_start", "actual_end")
    } == {"status": "in_progress", "actual_start": "", "actual_end": ""}
    assert by_text["참여예산 사업 선정 시민투표 실시"]["status"] == "planned"
