"""python -m bench [--quick] [--requests N]: the portal's speed and memory, printed and written to
bench-results.json. It builds its own database (bench.sqlite3, or DATABASE_URL's server with the
database name + "_bench"), loads the demo, measures, adds a synthetic city, and measures again."""

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlparse(url)
        return urlunparse(parts._replace(path=parts.path.rstrip("/") + "_bench"))
    return f"sqlite:///{ROOT / 'bench.sqlite3'}"


def fresh_database(url: str):
    if url.startswith("sqlite"):
        Path(urlparse(url).path).unlink(missing_ok=True)
        return
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small city, a run under two minutes")
    parser.add_argument("--requests", type=int, help="requests per page (default 50, quick 15)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench-results.json")
    parser.add_argument(
        "--budget-book", action="store_true", help="the budget book import alone (bench/budget_book.py)"
    )
    args = parser.parse_args(argv)

    url = bench_database_url()
    fresh_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbureau.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import budget_book, run

    if args.budget_book:
        print("\n".join(budget_book.render(results := budget_book.run_alone()) + budget_book.verdicts(results)))
        return
    results = run.run(quick=args.quick, requests=args.requests or (15 if args.quick else 50), database_url=url)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(run.render(results))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
