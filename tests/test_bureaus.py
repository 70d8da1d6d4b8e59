"""Many bureaus on the public site: every public page and file of a bureau under /b/<slug>/ shows that
bureau's figures and never another's; an unknown bureau is a 404; the old addresses are the default
bureau's pages as they were; a prefixed page's links keep the bureau; the header's switcher; the
commands' --bureau."""

import datetime
import re
from urllib.parse import urljoin

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from staffing.models import Bureau
from staffing.selectors import bureau_default, bureau_list
from tests.factories import (
    FISCAL_YEAR,
    BudgetLineFactory,
    BureauFactory,
    DivisionFactory,
    DivisionMonthFactory,
    ExecutionSnapshotFactory,
    HeadcountEntryFactory,
    ProgramFactory,
    ProgramOutlineItemFactory,
    ScheduleItemFactory,
    publish,
)
from tests.test_read_matrix import ARGS, MATRIX, PUBLIC

pytestmark = pytest.mark.django_db
JULY = datetime.date(FISCAL_YEAR, 7, 31)
# A bureau's public pages and files: the read matrix's public URLs but the whole city's (city:…)
# every public page of a bureau: not the city's, nor the load balancer's /healthz (the servers', no bureau's)
BUREAU_PAGES = sorted(
    name
    for name, statuses in MATRIX.items()
    if statuses == PUBLIC and not name.startswith("city:") and name != "healthz"
)
# What a bureau built by `bureau_with_figures` has not: no program section table (execution rows) for its program.
ABSENT = {"programs:program_csv", "programs:program_json"}


def bureau_with_figures(name, slug, *, budget, paid):
    """A bureau with one division, one budget line paid `paid` of `budget` won by 31 July (approved and
    published), a program with an outline item and a milestone, and headcount."""
    bureau = BureauFactory(name=name, slug=slug)
    division = DivisionFactory(bureau=bureau, name=f"{name} 기획과")
    line = BudgetLineFactory(division=division, name=f"{name} 세부사업", original_budget=budget)
    ExecutionSnapshotFactory(budget_line=line, as_of=JULY, obligations=paid, disbursements=paid, approved=True)
    DivisionMonthFactory(division=division, as_of=JULY, approved=True)
    HeadcountEntryFactory(division=division)
    program = ProgramFactory(division=division, slug=f"{slug}-program", title=f"{name} 주요사업")
    ProgramOutlineItemFactory(program=program, text=f"{name} 사업개요")
    ScheduleItemFactory(program=program, text=f"{name} 추진일정")
    publish(bureau, JULY)
    return bureau


@pytest.fixture
def bureaus():
    """Two bureaus besides the demo's (the default one): 가람국 and 나래국, each with figures of its own."""
    return (
        bureau_with_figures("가람국", "garam", budget=100_000_000, paid=30_000_000),
        bureau_with_figures("나래국", "narae", budget=300_000_000, paid=240_000_000),
    )


def _args(name, bureau):
    """The arguments of a URL for a bureau built by `bureau_with_figures` (its own program's slug)."""
    if name.startswith("programs:") and name in ARGS:
        return [f"{bureau.slug}-program", *ARGS[name][1:]]
    return ARGS.get(name, [])


# The schedule from the month of the bureaus' milestones (by default it starts today, after them).
QUERY = {name: "?date=2023-07-01" for name in ("programs:schedule", "programs:schedule_csv", "programs:schedule_json")}


def _path(name, bureau) -> str:
    """The unprefixed address (reversed outside a request), with the query a page needs to show something."""
    return reverse(name, args=_args(name, bureau)) + QUERY.get(name, "")


def _main(response) -> str:
    """What a page says of its bureau (between <main> and </main>: the header's switcher names every
    bureau); a file, whole."""
    text = response.content.decode()
    if not response["Content-Type"].startswith("text/html"):
        return text
    return text[text.index('<main id="main">') : text.index("</main>")]


# Each page or file names something of its own bureau (the rest say nothing of a bureau: the glossary).
OWN_WORDS = {
    "portal:home": "{name} 기획과",
    "portal:organisation": "{name} 기획과",
    "budget:execution": "{name} 세부사업",
    "budget:execution_csv": "{name} 세부사업",
    "budget:execution_json": "{name} 세부사업",
    "budget:execution_lines_csv": "{name} 세부사업",
    "budget:datapackage": "{name} {year}",
    "programs:schedule": "{name} 추진일정",
    "programs:schedule_csv": "{name} 추진일정",
    "programs:schedule_json": "{name} 추진일정",
    "programs:program_list": "{name} 주요사업",
    "programs:program_detail": "{name} 주요사업",
    "programs:program_outline_csv": "{name} 사업개요",
    "programs:program_outline_json": "{name} 사업개요",
}


@pytest.mark.parametrize("name", BUREAU_PAGES)
def test_every_public_page_of_a_bureau_shows_its_own_figures_never_anothers(client, bureaus, name):
    for bureau, other in (bureaus, bureaus[::-1]):
        response = client.get(f"/b/{bureau.slug}{_path(name, bureau)}")
        expected = 404 if name in ABSENT else 200
        assert response.status_code == expected, (bureau.slug, name)
        text = _main(response)
        if name in OWN_WORDS:
            assert OWN_WORDS[name].format(name=bureau.name, year=FISCAL_YEAR) in text, (bureau.slug, name)
        assert other.name not in text and "시민협력국" not in text and "시민참여과" not in text, (bureau.slug, name)


def test_a_bureaus_figures_are_its_own(client, bureaus):
    """The same table for each: 가람국 paid 30 of 100 million won (30.0%), 나래국 240 of 300 (80.0%)."""
    garam = client.get("/b/garam/execution.json").json()
    narae = client.get("/b/narae/execution.json").json()

    def total(document):
        row = document["rows"][0]
        return row["name"], row["budget_authority"], row["disbursements"], row["execution_rate"]

    assert total(garam) == ("합계", 100_000_000, 30_000_000, 30.0)
    assert total(narae) == ("합계", 300_000_000, 240_000_000, 80.0)


@pytest.mark.parametrize("name", BUREAU_PAGES)
def test_an_unknown_bureau_is_a_404(client, bureaus, name):
    assert client.get(f"/b/nowhere{_path(name, bureaus[0])}").status_code == 404


@pytest.mark.parametrize("name", BUREAU_PAGES)
def test_the_old_addresses_are_the_default_bureaus_pages(client, bureaus, name):
    """/execution/ is /b/citizen-cooperation/execution/, but for the links, which keep the prefix."""
    default = bureau_default()
    path = reverse(name, args=ARGS.get(name, []))
    old = client.get(path)
    prefixed = client.get(f"/b/{default.slug}{path}")
    assert old.status_code == prefixed.status_code == 200
    assert _main(old) == _main(prefixed).replace(f"/b/{default.slug}/", "/"), name


HREF = re.compile(r'(?:href|action)="(/[^"]*)"')


@pytest.mark.parametrize("name", [n for n in BUREAU_PAGES if n not in ABSENT])
def test_the_links_of_a_prefixed_page_keep_the_bureau(client, bureaus, name):
    response = client.get(f"/b/narae{_path(name, bureaus[1])}")
    if not response["Content-Type"].startswith("text/html"):
        return  # a file: no links
    html = response.content.decode()
    switcher = re.search(r'<details class="bureau-switcher".*?</details>', html, re.S)
    outside = html.replace(switcher[0], "")
    links = HREF.findall(outside)
    assert links and all(link.startswith(("/b/narae/", "/static/")) for link in links), [
        link for link in links if not link.startswith(("/b/narae/", "/static/"))
    ]


def test_the_data_package_lists_its_bureaus_files_at_its_address(client, bureaus):
    package = client.get("/b/narae/datapackage.json").json()
    assert package["title"] == f"나래국 {FISCAL_YEAR} 예산 집행 현황 (budget execution)"
    assert package["name"] == f"civicbureau-narae-budget-execution-{FISCAL_YEAR}"
    addresses = [urljoin("http://testserver/b/narae/datapackage.json", r["path"]) for r in package["resources"]]
    assert addresses == [
        "http://testserver/b/narae/execution-lines.csv",
        "http://testserver/b/narae/measures.csv",
        "http://testserver/b/narae/measure_targets.csv",
    ]
    lines = client.get(addresses[0].removeprefix("http://testserver")).content.decode()
    assert "나래국 세부사업" in lines and "가람국" not in lines


def test_revenue_is_the_default_bureaus_only(client, bureaus):
    """세입 amounts name no bureau: the report's, the default bureau's; another bureau shows none."""
    assert '<div id="revenue">' in client.get("/organisation/").content.decode()
    assert '<div id="revenue">' not in client.get("/b/narae/organisation/").content.decode()
    revenue = client.get("/b/narae/organisation/revenue.json").json()
    assert revenue["rows"] == []


# -- the header's switcher --------------------------------------------------------------------------


def _switcher(html):
    found = re.search(r'<details class="bureau-switcher".*?<summary>(.*?)</summary>(.*?)</details>', html, re.S)
    if found is None:
        return None
    links = re.findall(r'<a href="([^"]*)"( aria-current="page")?>([^<]*)</a>', found[2])
    return found[1], [(text, href, bool(current)) for href, current, text in links]


def test_one_bureau_has_no_switcher(client):
    assert Bureau.objects.count() == 1  # the demo's
    assert _switcher(client.get("/execution/").content.decode()) is None


def test_the_switcher_names_the_bureau_and_keeps_the_page(client, bureaus):
    current, links = _switcher(client.get("/b/narae/execution/?year=2023").content.decode())
    assert current == "나래국"
    assert links == [
        ("시 전체 현황", "/city/", False),
        ("가람국", "/b/garam/execution/", False),
        ("나래국", "/b/narae/execution/", True),
        ("시민협력국", "/b/citizen-cooperation/execution/", False),
    ]
    # the old address is the default bureau's
    assert _switcher(client.get("/organisation/").content.decode())[0] == "시민협력국"


def test_the_switcher_opens_another_bureaus_nearest_page(client, bureaus):
    """A program is its bureau's own: the other bureau's program list; a page of the city: each bureau's home."""
    _, links = _switcher(client.get("/b/garam/programs/garam-program/").content.decode())
    assert ("나래국", "/b/narae/programs/", False) in links
    current, links = _switcher(client.get("/city/").content.decode())
    assert current == "국 선택" and ("가람국", "/b/garam/", False) in links


def test_staff_see_their_own_bureau_and_its_home_from_an_internal_page(client, bureaus):
    from tests.factories import member

    client.force_login(member("planning", bureau=bureaus[1]))
    current, links = _switcher(client.get(reverse("budget:period_list")).content.decode())
    assert current == "나래국" and ("가람국", "/b/garam/", False) in links
    # a public page at its old address is the default bureau's, whoever reads it
    current, links = _switcher(client.get(reverse("budget:execution")).content.decode())
    assert current == "시민협력국" and ("나래국", "/b/narae/execution/", False) in links


def test_the_switcher_reads_the_bureaus_once_until_one_is_saved(client, bureaus, django_assert_max_num_queries):
    list_sql = str(Bureau.objects.order_by("name").only("pk", "name", "slug").query)
    with django_assert_max_num_queries(20) as first:
        client.get("/glossary/")
    with django_assert_max_num_queries(20) as kept:
        client.get("/glossary/?year=1")  # another address: drawn again (not the kept response)
    assert [q["sql"] for q in first.captured_queries].count(list_sql) == 1
    assert [q["sql"] for q in kept.captured_queries].count(list_sql) == 0
    assert len(kept.captured_queries) == len(first.captured_queries) - 1
    BureauFactory(name="다온국", slug="daon")
    assert "다온국" in client.get("/glossary/?year=2").content.decode()


# -- the commands' --bureau -------------------------------------------------------------------------


def test_an_unknown_bureau_is_a_command_error_naming_the_bureaus(bureaus, tmp_path):
    known = ", ".join(sorted(b.slug for b in bureau_list()))
    with pytest.raises(CommandError, match=f"No bureau 'nowhere'; the bureaus are: {known}."):
        call_command("check_consistency", bureau="nowhere")
    with pytest.raises(CommandError, match="the bureaus are: citizen-cooperation, garam, narae"):
        call_command("export_briefing", year=FISCAL_YEAR, output=tmp_path / "x.xlsx", bureau="nowhere")
    assert not (tmp_path / "x.xlsx").exists()


def test_the_commands_work_on_the_bureau_named(bureaus, tmp_path, capsys):
    with pytest.raises(CommandError, match="^나래국: no figures to compare"):
        call_command("check_consistency", bureau="narae")
    call_command("export_briefing", year=FISCAL_YEAR, output=tmp_path / "narae.xlsx", bureau="narae")
    assert "edition 1" in capsys.readouterr().out
    call_command("check_consistency")  # the default bureau: the demo's report
    assert capsys.readouterr().out.startswith("시민협력국, 2022")
