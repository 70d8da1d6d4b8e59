"""Every URL of the URLconf, as every role, with generated values for every query parameter the portal
reads (and some it does not): never a 5xx, and the database unchanged. Derandomised and bounded, so it
runs the same examples on every machine and stays within CI's time; the values the outside attack used
are always among them (hypothesis `example`s run first)."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from staffing.models import Division
from tests.fingerprint import database_fingerprint
from tests.test_permissions import JULY, OWN, REPORT_DATE, ROLES, WRITES, client_for, url_for, url_names
from tests.test_read_matrix import ARGS

pytestmark = pytest.mark.django_db

# every query parameter a page or file reads (forms, filters, tables' sort), and two it does not
PARAMETERS = [
    "year", "as_of", "edition", "earlier", "later", "record", "sort", "preview", "published", "division",
    "kind", "pace", "program", "q", "date", "language", "next", "page", "status", "category", "unknown", "_",
    "totals-sort", "lines-sort",
]  # fmt: skip
# the attack's values, the edges of dates and numbers, digits that are not ASCII, markup and controls
HOSTILE = [
    "0", "-1", "10000", "99999999999999999999", "0000-07", "0000-01-01", "9999-12-31", "9999-12", "²", "٣",
    "2022-13-01", "2022-02-30", "2022-7", "2022-07-31", "2022-07-01", "1", "", " ", "\x00", "%00", "1e309",
    "NaN", "-0", "+1", "1.5", "'", '"><script>', "ＡＢ", "99999-01-01", "-2022-01-01", "2022-07-01T00:00",
]  # fmt: skip
EDGES = ["9999-12-31", "0001-01-01", "99999999999999999999", "²"]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=24), st.integers().map(str))
QUERIES = st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=4)


def path_edges() -> list[str]:
    """The dates and years in the path itself, at their edges."""
    return [
        reverse("budget:month_detail", args=[OWN, datetime.date(1, 1, 31)]),
        reverse("budget:month_detail", args=[OWN, datetime.date(9999, 12, 31)]),
        reverse("budget:line_history", args=[99999999999999999999, "PA-01"]),
        reverse("budget:line_adjustments", args=[0, "PA-01"]),
        reverse("budget:period_detail", args=[datetime.date(9999, 12, 31)]),
        reverse("budget:month_template", args=[OWN, JULY, "pdf"]),
        reverse("budget:month_history", args=[OWN, REPORT_DATE]),
    ]


def urls(people) -> list[str]:
    """One address per URL name: the read matrix's arguments, and the writing pages' own (read with GET)."""
    addresses = []
    for name in sorted(url_names()):
        if name in WRITES:
            addresses.append(url_for(name, Division.objects.get(code=OWN)).split("?")[0])
        else:
            addresses.append(reverse(name, args=ARGS.get(name, [])))
    return addresses + path_edges()


@pytest.fixture
def clients(people):
    """A client per role that answers a server error with its response (counted) instead of raising."""
    clients = {role: client_for(role, people) for role in ROLES}
    for client in clients.values():
        client.raise_request_exception = False
    return clients


def test_no_generated_query_gives_a_server_error_or_writes_anything(people, clients):
    addresses = urls(people)
    before = database_fingerprint()
    failures = []

    @settings(
        max_examples=300,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(address=st.sampled_from(addresses), role=st.sampled_from(ROLES), query=QUERIES)
    @example(address="/execution/", role="anonymous", query={"as_of": "0000-07"})
    @example(address="/staff/entry/", role="staff_a", query={"year": "99999999999999999999"})
    @example(address="/staff/entry/", role="planning", query={"year": "0"})
    @example(address=f"/dashboards/division/{OWN}/changes/", role="director_a", query={"later": "9999-12-31"})
    def request(address, role, query):
        response = clients[role].get(address, query)
        if response.status_code >= 500:
            failures.append(f"{role} GET {address}?{query} → {response.status_code}")

    request()
    assert failures == [], "\n".join(sorted(set(failures))[:40])
    assert database_fingerprint() == before


# The sweep below is some 9,400 requests: one test per address (named by its URL name, or by the address
# for the edges of the path), so that pytest-xdist spreads them over its workers; in one test the sweep ran
# on one worker for minutes after the other had finished. Together they send the same requests.
ADDRESS_IDS = [*sorted(url_names()), *path_edges()]


@pytest.mark.parametrize("index", range(len(ADDRESS_IDS)), ids=ADDRESS_IDS)
def test_no_hostile_value_gives_a_server_error_or_writes_anything(people, clients, index):
    every = urls(people)
    assert len(every) == len(ADDRESS_IDS), "urls() and ADDRESS_IDS list the same addresses"
    address = every[index]
    before = database_fingerprint()
    failures = []
    # as the bureau director (who reads the most): every hostile value in every parameter at once, then the
    # edges of dates and numbers in each parameter alone (a page may refuse a pair that it reads one by one)
    for value in HOSTILE:
        response = clients["bureau"].get(address, {parameter: value for parameter in PARAMETERS})
        if response.status_code >= 500:
            failures.append(f"bureau GET {address} with every parameter = {value!r} → {response.status_code}")
    for parameter in PARAMETERS:
        for value in EDGES:
            response = clients["bureau"].get(address, {parameter: value})
            if response.status_code >= 500:
                failures.append(f"bureau GET {address}?{parameter}={value!r} → {response.status_code}")
    assert failures == [], "\n".join(sorted(set(failures))[:40])
    assert database_fingerprint() == before
