"""The city extract's benchmark (issue 19): the finance system's figures of every synthetic line of the city
at one month end, one file, through budget.importers.city_extract as the budget office imports it.

Two files of every line at ’22. 8. 31. (each line's 지출액 누계 lowered by 1,000 won, then by 2,000), so
each import changes every row: the first timed (rows/s), the second traced for its peak memory (tracemalloc
slows Python down). Target: ≥ 2,000 rows/s and ≤ 200 MB on PostgreSQL at the default scale (5,400 lines).

Hooked into bench/run.py; alone, on a database of its own with the city only (no demo, no pages):
`python -m bench.extract_alone [--quick]`.
"""

import datetime
import time
import tracemalloc
from io import BytesIO

from django.contrib.auth import get_user_model
from openpyxl import Workbook

from budget.importers.city_extract import LAYOUT, city_extract_import
from budget.models import ExecutionSnapshot
from staffing.models import Membership

EXTRACT_AS_OF = datetime.date(2022, 8, 31)
TARGET_ROWS_PER_SECOND, TARGET_PEAK_MB = 2_000, 200


def budget_office(username: str):
    """A login of the city's budget office (예산담당관), which imports the extract."""
    user = get_user_model().objects.create_user(username=username)
    Membership.objects.create(user=user, role=Membership.Role.BUDGET_OFFICE)
    return user


def extract_sheet(as_of: datetime.date = EXTRACT_AS_OF, *, lowered_by: int = 1_000) -> tuple[bytes, int]:
    """The finance system's extract (xlsx) of every synthetic line's figures at `as_of` (bench/city.py), with
    each 지출액 누계 lowered by `lowered_by` won (a correction within the obligations): an import of it
    changes every row. Returns the file and its number of rows."""
    snapshots = (
        ExecutionSnapshot.objects.filter(as_of=as_of, budget_line__division__bureau__name__startswith="합성국")
        .order_by("budget_line__code")
        .values_list("budget_line__code", "budget_line__name", "obligations", "disbursements")
    )
    workbook = Workbook()  # as Excel saves a sheet, with its <dimension> (see bench.city.correction_sheet)
    sheet = workbook.active
    sheet.title = LAYOUT.sheet
    sheet.append(["세부사업 코드", "세부사업명", "회계연도", "원인행위 누계(원)", "지출액 누계(원)"])
    rows = 0
    for code, name, obligations, disbursements in snapshots:
        sheet.append([code, name, as_of.year, obligations, max(0, disbursements - lowered_by)])
        rows += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows


def _import(user, content: bytes):
    result = city_extract_import(
        user=user, content=content, filename="extract.xlsx", as_of=EXTRACT_AS_OF, dry_run=False
    )
    assert result.applied, (result.problems[:3], result.cautions[:3])
    return result


def measure_extract() -> dict:
    user = budget_office("bench-budget-office")
    first, rows = extract_sheet(lowered_by=1_000)
    second, _rows = extract_sheet(lowered_by=2_000)
    started, cpu = time.perf_counter(), time.process_time()
    result = _import(user, first)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    tracemalloc.start()
    _import(user, second)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "divisions": sum(1 for d in result.plan.divisions if d.to_save),
        "changed": result.plan.changed_count,
        "bytes": len(first),
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds else None,
        # this process's CPU alone (all of the work on SQLite; PostgreSQL's server apart): on a busy machine,
        # what the import itself costs
        "cpu_seconds": round(cpu, 2),
        "peak_mb": round(peak / 2**20, 1),
    }


def render(extract: dict) -> list[str]:
    return [
        f"city extract: {extract['rows']} rows ({extract['bytes']:,} bytes of xlsx) into {extract['divisions']} divisions' drafts "
        f"in {extract['seconds']} s ({extract['cpu_seconds']} s of this process's CPU): {extract['rows_per_second']} rows/s, "
        f"peak {extract['peak_mb']} MB"
    ]


def verdicts(extract: dict) -> list[str]:
    rate, peak = extract["rows_per_second"] or 0, extract["peak_mb"]
    ok = rate >= TARGET_ROWS_PER_SECOND and peak <= TARGET_PEAK_MB
    return [
        f"{'ok  ' if ok else 'MISS'} city extract ({extract['rows']} rows, one file): {rate} rows/s "
        f"(≥ {TARGET_ROWS_PER_SECOND:,}), {peak} MB (≤ {TARGET_PEAK_MB})"
    ]
