"""The measures' files in the data package (/datapackage.json, served by budget): their resources for the
period the package describes, registered in PortalConfig.ready (civicbureau.open_data.register_resources)."""

from civicbureau.open_data import Dataset, csv_resource
from programs.exports.open_data import MEASURE_COLUMNS, MEASURE_TARGET_COLUMNS


def measure_resources(query: str) -> list[dict]:
    """measures.csv and measure_targets.csv for the same ?year=&as_of=&edition= as the package."""
    suffix = f"?{query}" if query else ""
    return [
        csv_resource(Dataset("measures", "성과지표", MEASURE_COLUMNS, []), f"measures.csv{suffix}"),
        csv_resource(
            Dataset("measure_targets", "성과지표 목표치", MEASURE_TARGET_COLUMNS, []), f"measure_targets.csv{suffix}"
        ),
    ]
