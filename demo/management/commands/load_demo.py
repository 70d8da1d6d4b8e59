from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demo.loader import DEMO_DATA_DIR, load_demo
from demo.rows import DemoDataError


class Command(BaseCommand):
    help = "Load the 2022 report (demo_data/) into the configured database: idempotent, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", type=Path, default=DEMO_DATA_DIR, help="folder of the data files (default: demo_data/)"
        )

    def handle(self, *args, data_dir, **options):
        try:
            loader = load_demo(data_dir)
        except DemoDataError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from None
        self.stdout.write(
            f"Demo data loaded from {data_dir}: {loader.written} records written, {loader.unchanged} unchanged."
        )
