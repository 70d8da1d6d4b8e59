"""python -m bench.extract_alone [--quick]: the city extract's benchmark (bench/extract.py) alone, on the
bench's fresh database (as python -m bench) holding the synthetic city only: no demo, no pages. Django is set
up here before anything of the portal is imported."""

import argparse
import os
import sys
import time

from bench.__main__ import ROOT, bench_database_url, fresh_database


def main(argv=None):
    """The extract alone: a fresh database (bench's), the synthetic city, the measure and its verdict."""
    parser = argparse.ArgumentParser(prog="python -m bench.extract_alone", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the small city")
    args = parser.parse_args(argv)
    url = bench_database_url()
    fresh_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbureau.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.city import DEFAULT, QUICK, city_generate
    from bench.extract import measure_extract, render, verdicts

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = city_generate(QUICK if args.quick else DEFAULT)
    print(f"database: {connection.vendor}; city generated in {time.perf_counter() - started:.1f} s: {counts}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    extract = measure_extract()
    print("\n".join(render(extract) + verdicts(extract)))


if __name__ == "__main__":
    main()
