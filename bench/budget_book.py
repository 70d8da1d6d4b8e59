"""The budget book import at the size of the whole city: 30 bureaus × 6 divisions × 30 lines × 10 years =
54,000 rows, as CSV and as xlsx (openpyxl's, with inline strings: slower to read than Excel's shared
strings), into a database without them and again (the idempotent second run: nothing written).

Each import is timed without tracing; the peak memory is read in a traced dry run of the first import
(tracemalloc slows Python down). Everything is rolled back at the end: the rest of the benchmark finds
the database as it was."""

import csv
import io
import time
import tracemalloc

import openpyxl
from django.core.management import call_command
from django.db import transaction

from budget.importers.budget_book import LAYOUT, budget_book_import

BUREAUS, DIVISIONS, LINES, YEARS = 30, 6, 30, range(2017, 2027)
TARGET_ROWS_PER_SECOND = 5_000


def city_book_rows() -> list[list]:
    return [
        [
            f"예산서국{b:02d}",
            f"제{d}과",
            f"제{(line - 1) % 3 + 1}팀",
            f"BB{b:02d}-{d}-{line:02d}",
            f"세부사업 {d}-{line}",
            year,
            (b * 7 + d * 13 + line * 17 + year) % 5_000 * 1_000_000,
        ]
        for b in range(1, BUREAUS + 1)
        for d in range(1, DIVISIONS + 1)
        for line in range(1, LINES + 1)
        for year in YEARS
    ]


def city_book(fmt: str) -> bytes:
    header, rows = [c.header for c in LAYOUT.columns if c.read or c.key == "team"], city_book_rows()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(LAYOUT.sheet)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _timed(content: bytes, fmt: str, *, dry_run: bool = False) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    result = budget_book_import(content=content, filename=f"book.{fmt}", user=None, dry_run=dry_run)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.ok, result.problems[:3]
    return {
        "rows": result.rows,
        "changed": result.changed_count,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # this process's: on a shared machine, what the import itself took
        "rows_per_second": round(result.rows / seconds),
    }


def measure() -> dict:
    results = {}
    for fmt in ("csv", "xlsx"):
        content = city_book(fmt)
        with transaction.atomic():
            first = _timed(content, fmt)
            again = _timed(content, fmt)
            transaction.set_rollback(True)
        tracemalloc.start()
        _timed(content, fmt, dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results[fmt] = {"bytes": len(content), "first": first, "again": again, "peak_mb": round(peak / 2**20)}
    return results


def run_alone() -> dict:
    """python -m bench --budget-book: this measure alone, in the benchmark's fresh database."""
    call_command("migrate", verbosity=0)
    return measure()


def render(results: dict) -> list[str]:
    lines = []
    for fmt, r in results.items():
        for name in ("first", "again"):
            i = r[name]
            lines.append(
                f"budget book ({fmt}, {r['bytes'] / 2**20:.1f} MB), {'into a database without it' if name == 'first' else 'again (nothing to change)'}: "
                f"{i['rows']} rows, {i['changed']} records written, {i['seconds']} s ({i['cpu_seconds']} s CPU in Python): "
                f"{i['rows_per_second']} rows/s; peak {r['peak_mb']} MB"
            )
    return lines


def verdicts(results: dict) -> list[str]:
    return [
        f"{'ok  ' if r[name]['rows_per_second'] >= TARGET_ROWS_PER_SECOND else 'MISS'} budget book ({fmt}, {name} run): "
        f"{r[name]['rows_per_second']} rows/s (≥ {TARGET_ROWS_PER_SECOND:,})"
        for fmt, r in results.items()
        for name in ("first", "again")
    ]
