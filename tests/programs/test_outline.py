"""Program pages keep the report's outline (issue 17): the parser, the demo's items against the report, the
nested lists on the page, the open-data files, the admin's history of an edit, and every program's division."""

import csv
import io
import json
from collections import Counter

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from programs.models import Program, ProgramOutlineItem
from programs.outline import OutlineError, OutlineLine, outline_parents, outline_parse, outline_text, outline_tree
from programs.selectors.programs import program_outline_sections
from tests.factories import ProgramFactory, ProgramOutlineItemFactory

# -- the parser (no database) ------------------------------------------------------------------------

SECTION = """\
○ (현 황) ’22년 시민참여예산 246억원 편성 (한도액 700억원)
  ※ ’22년 자치구 참여예산 : 418억원(25개 자치구별 평균 16.7억원)
○ (사업평가) 자치구 소관사업 단순지원, 복잡한 제도로 시민 효능감 부진
  － 유사·중복 사업방식 시행으로 시민의 이해, 실질적 참여 어려움
    · ’21년 4개 유형 운영

  － 자치구 소관인 사업에도 시 재정지원 → 재정의 책임성․효과성 저하
< 신청 부적정 사업 >
"""


def test_levels_come_from_indentation_and_markers_from_the_report():
    lines = outline_parse(SECTION)
    assert [(line.level, line.marker) for line in lines] == [
        (1, "○"),
        (2, "※"),
        (1, "○"),
        (2, "－"),
        (3, "·"),
        (2, "－"),
        (1, ""),
    ]
    assert lines[4].text == "’21년 4개 유형 운영"
    assert lines[6].text == "< 신청 부적정 사업 >"  # a caption keeps its brackets: not a marker


def test_text_round_trips():
    text = outline_text(outline_parse(SECTION))
    assert text == SECTION.replace("\n\n", "\n")
    assert outline_parse(text) == outline_parse(SECTION)


def test_a_hyphen_is_a_marker_only_before_a_space():
    assert outline_parse("- 항목\n-1억원 감액") == [OutlineLine(1, "-", "항목"), OutlineLine(1, "", "-1억원 감액")]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("○ 첫째\n    － 두 단계 건너뜀", 2, "두 단계"),
        ("○ 첫째\n   － 세 칸", 2, "2칸"),
        ("  ○ 들여 쓴 첫 항목", 1, "두 단계"),
        ("○ 첫째\n－", 2, "내용이 없습니다"),
        ("○ 첫째\n\t－ 탭", 2, "공백"),
    ],
)
def test_a_bad_outline_names_its_line(text, line, words):
    with pytest.raises(OutlineError) as caught:
        outline_parse(text)
    assert caught.value.line_number == line and words in str(caught.value)


def test_tree_and_parents_agree():
    lines = outline_parse(SECTION)
    tree = outline_tree(lines)
    assert [node.text.split()[0] for node in tree] == ["(현", "(사업평가)", "<"]
    assert [child.marker for child in tree[1].children] == ["－", "－"]
    assert [grandchild.text for grandchild in tree[1].children[0].children] == ["’21년 4개 유형 운영"]
    assert outline_parents(lines) == [None, 0, None, 2, 3, 2, None]


# -- the model and the selector (factories) ------------------------------------------------------------


@pytest.mark.django_db
def test_sections_group_items_in_order_and_nest_them():
    program = ProgramFactory()
    for order, (section, level, marker) in enumerate(
        [("사업개요", 1, "○"), ("사업개요", 2, "－"), ("추진계획", 1, "□"), ("추진계획", 2, "○"), ("추진계획", 1, "□")],
        start=1,
    ):
        ProgramOutlineItemFactory(program=program, order=order, section=section, level=level, marker=marker)
    sections = program_outline_sections(items=program.outline_items.order_by("order"))
    assert [s.title for s in sections] == ["사업개요", "추진계획"]
    assert [len(s.items) for s in sections] == [1, 2]
    assert sections[0].items[0].children[0].marker == "－"
    assert [n.marker for n in sections[1].items] == ["□", "□"] and sections[1].items[1].children == []


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("marker", "★"), ("level", 0), ("level", 7)])
def test_the_model_refuses_a_marker_or_level_the_report_has_not(field, value):
    item = ProgramOutlineItemFactory.build(program=ProgramFactory(), **{field: value})
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert field in caught.value.message_dict


# -- the demo: the report's 2022 programs ----------------------------------------------------------------


def _items(slug):
    return list(ProgramOutlineItem.objects.filter(program__slug=slug).order_by("order"))


@pytest.mark.django_db
def test_participatory_budgeting_keeps_the_reports_levels():
    """시민참여예산 내실화 (report l.741-918): its first items as the report nests them, and per section the
    number of items at each level (□ 추진계획 holds three □ headings, each with its ○ and － items)."""
    items = _items("participatory-budgeting")
    assert [(i.section, i.level, i.marker, i.text) for i in items[:7]] == [
        ("사업개요", 1, "○", "(목 적) 시민관심 높은 제안사업을 발굴․시행하여, 시민의 삶의 질 향상"),
        ("사업개요", 1, "○", "(현 황) ’22년 시민참여예산 246억원 편성 (한도액 700억원)"),
        ("사업개요", 2, "※", "’22년 자치구 참여예산 : 418억원(25개 자치구별 평균 16.7억원)"),
        ("사업개요", 2, "－", "’13~’22년 참여예산편성 4,782억원 중 자치구 지원예산 3,480억원(73%)"),
        ("사업개요", 2, "※", "’13~’22년 자치구 자체편성 참여예산 : 2,836억원"),
        ("사업개요", 1, "○", "(사업평가) 자치구 소관사업 단순지원, 복잡한 제도로 시민 효능감 부진"),
        ("사업개요", 2, "－", "유사·중복 사업방식 시행으로 시민의 이해, 실질적 참여 어려움"),
    ]
    counts = Counter((i.section, i.level, i.marker) for i in items)
    assert counts[("사업개요", 1, "○")] == 3  # 목적, 현황, 사업평가
    assert counts[("사업개요", 3, "·")] == 2
    assert counts[("’22년 개선방향 : 시민에게 공감되고 도움되는 실효성 있는 재정운영", 1, "○")] == 3
    assert counts[("추진계획", 1, "□")] == 3  # 기획제안형 …, 「서울살림 천만의 선택」, 운영제도 개선
    assert counts[("추진계획", 2, "○")] == 11
    assert [i.text for i in items if i.section == "추진계획" and i.level == 1] == [
        "기획제안형 시민참여예산 단일화 운영",
        "「서울살림 천만의 선택」운영",
        "시민참여예산 운영제도 개선",
    ]
    # the five 신청 부적정 사업 sit under their caption, itself under 편성규모
    caption = next(i for i in items if i.text == "< 신청 부적정 사업 >")
    parents = outline_parents(items)
    under = [items[k].text for k, p in enumerate(parents) if p is not None and items[p] is caption]
    assert len(under) == 5 and under[0] == "市 기존 추진사업 (단, 기존사업의 개선 제안은 가능)"
    assert items[parents[items.index(caption)]].text == "편성규모 : 총 500억원 한도"


@pytest.mark.django_db
def test_seoul_reset_nests_four_levels_under_its_two_headings():
    """‘서울시 바로세우기’ 내실있는 추진 (report l.283-365): 민간위탁 and 자치구 지원사업, each with □ items."""
    items = _items("seoul-reset")
    assert [i.section for i in items if i.level == 1] == ["민간위탁", "민간위탁", "자치구 지원사업", "자치구 지원사업"]
    assert [i.marker for i in items if i.level == 1] == ["□"] * 4
    assert Counter(i.level for i in items) == {1: 4, 2: 10, 3: 13, 4: 3}
    note = next(i for i in items if i.marker == "※")
    assert note.level == 4 and note.text.startswith("동북권(’22.6월 종료)")


@pytest.mark.django_db
def test_every_program_has_its_overview_items_and_each_section_starts_at_level_one():
    """Each of the fourteen programs has an outline; 사업개요 is where the report has it (all but 바로세우기)."""
    programs = list(Program.objects.filter(core_task__direction__fiscal_year=2022).order_by("slug"))
    assert len(programs) == 14
    for program in programs:
        items = _items(program.slug)
        assert items, program.slug
        sections = [s.title for s in program_outline_sections(items=items)]
        assert ("사업개요" in sections) == (program.slug != "seoul-reset"), program.slug
        previous = None
        for item in items:
            if previous is None or previous.section != item.section:
                assert item.level == 1, (program.slug, item.text)
            else:
                assert item.level <= previous.level + 1, (program.slug, item.text)
            previous = item


@pytest.mark.django_db
def test_loading_twice_changes_no_outline_item():
    from demo.loader import load_demo

    before = {i.pk: (i.level, i.marker, i.text) for i in ProgramOutlineItem.objects.all()}
    history = ProgramOutlineItem.history.count()
    load_demo()
    assert {i.pk: (i.level, i.marker, i.text) for i in ProgramOutlineItem.objects.all()} == before
    assert ProgramOutlineItem.history.count() == history


# -- the page and the files ----------------------------------------------------------------------------------


def _page(client, slug):
    response = client.get(reverse("programs:program_detail", args=[slug]))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _item(li):
    """(marker, own text) of a list item, without the lists nested in it."""
    marker = li.xpath("string(./span[@class='outline-marker'])")
    text = "".join(li.xpath("./text()")).strip()
    return marker, text


@pytest.mark.django_db
def test_the_page_nests_a_list_per_level(client):
    page = _page(client, "participatory-budgeting")
    overview = page.get_element_by_id("overview")
    top = overview.xpath("./ul[@class='outline']/li")
    assert [_item(li) for li in top] == [
        ("○", "(목 적) 시민관심 높은 제안사업을 발굴․시행하여, 시민의 삶의 질 향상"),
        ("○", "(현 황) ’22년 시민참여예산 246억원 편성 (한도액 700억원)"),
        ("○", "(사업평가) 자치구 소관사업 단순지원, 복잡한 제도로 시민 효능감 부진"),
    ]
    evaluation = top[2].xpath("./ul/li")
    assert [m for m, _ in map(_item, evaluation)] == ["－", "－", "－"]
    assert [_item(li) for li in evaluation[0].xpath("./ul/li")] == [
        ("·", "’21년 4개 유형(광역제안형, 민주주의서울제안형, 구단위계획형, 동단위계획형) 운영"),
        ("·", "’21년 평균 2천여건 제안사업 접수 → 14개 사업 예산편성(0.7% 반영)"),
    ]
    headings = [h.text_content() for h in page.xpath("//main//section/h2")]
    assert headings[:3] == ["사업개요", "’22년 개선방향 : 시민에게 공감되고 도움되는 실효성 있는 재정운영", "추진계획"]
    plan = page.xpath("//section[h2='추진계획']/ul[@class='outline']/li")
    assert [_item(li)[0] for li in plan] == ["□", "□", "□"]
    assert len(page.xpath("//section[h2='추진계획']//ul")) == 1 + 3 + 8 + 7  # per □, ○ and － with items under it


@pytest.mark.django_db
def test_a_section_the_report_puts_first_comes_first(client):
    """서울시간은행 opens with 도입배경, then 사업개요 (report l.997-1007)."""
    headings = [h.text_content() for h in _page(client, "seoul-timebank").xpath("//main//section/h2")]
    assert headings[:2] == ["도입배경", "사업개요"]


@pytest.mark.django_db
def test_the_outline_files_carry_levels_and_parents(client):
    items = _items("participatory-budgeting")
    response = client.get(reverse("programs:program_outline_json", args=["participatory-budgeting"]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    rows = json.loads(response.content)["rows"]
    assert [(r["order"], r["level"], r["marker"], r["text"]) for r in rows] == [
        (i.order, i.level, i.marker, i.text) for i in items
    ]
    by_order = {r["order"]: r for r in rows}
    dot = next(r for r in rows if r["text"].startswith("’21년 4개 유형"))
    assert by_order[dot["parent"]]["text"] == "유사·중복 사업방식 시행으로 시민의 이해, 실질적 참여 어려움"
    assert by_order[by_order[dot["parent"]]["parent"]]["text"].startswith("(사업평가)")
    assert all(r["parent"] is None for r in rows if r["level"] == 1)
    text = client.get(reverse("programs:program_outline_csv", args=["participatory-budgeting"])).content.decode()
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(int(r["order"]), int(r["level"]), r["parent"]) for r in table] == [
        (r["order"], r["level"], "" if r["parent"] is None else str(r["parent"])) for r in rows
    ]
    assert client.get(reverse("programs:program_outline_csv", args=["no-such-program"])).status_code == 404


# -- an edit in the admin is in the item's history -------------------------------------------------------------


def _form_data(response) -> dict:
    """The change form as shown, to post back (the main form, each inline and its management form)."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = "on" if value is True else value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.forms:
            put(form)
    return data


@pytest.mark.django_db
def test_an_outline_edit_in_the_admin_is_recorded_with_who_and_before(client):
    admin_user = get_user_model().objects.get(username="admin")
    browser = Client()
    browser.force_login(admin_user)
    program = Program.objects.get(slug="participatory-budgeting")
    item = ProgramOutlineItem.objects.get(program=program, order=2)
    before = item.text
    url = reverse("admin:programs_program_change", args=[program.pk])
    data = _form_data(browser.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(item.pk))[: -len("-id")]
    assert data[f"{prefix}-text"] == before
    data[f"{prefix}-text"] = before + " (수정)"
    data[f"{prefix}-level"] = 1
    response = browser.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    latest, previous = item.history.order_by("-history_id")[:2]
    assert (latest.text, latest.history_user, latest.history_change_reason) == (before + " (수정)", admin_user, "admin")
    assert previous.text == before
    assert before + " (수정)" in client.get(reverse("programs:program_detail", args=[program.slug])).content.decode()


@pytest.mark.django_db
def test_an_outline_item_with_a_marker_the_report_has_not_is_refused_in_the_admin():
    browser = Client()
    browser.force_login(get_user_model().objects.get(username="admin"))
    program = Program.objects.get(slug="village-community-centre")
    url = reverse("admin:programs_program_change", args=[program.pk])
    data = _form_data(browser.get(url))
    prefix = next(k for k in data if k.endswith("-marker"))[: -len("-marker")]
    data[f"{prefix}-marker"] = "★"
    response = browser.post(url, data)
    assert response.status_code == 200  # the form again, naming the field
    assert "보고서의 항목 표시" in response.content.decode()
    assert not ProgramOutlineItem.objects.filter(marker="★").exists()


# -- every program names its division ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "division"),
    [
        ("participatory-budgeting", "시민숙의예산과"),  # 부서별 주요업무: ○ 시민참여예산제 운영계획 수립 (l.54-56)
        ("seoul-timebank", "지역공동체과"),  # 부서별 주요업무: ○ 서울시간은행 사업 운영계획 수립 및 시행 (l.66-70)
    ],
)
def test_programs_without_a_table_name_the_division_the_report_gives(client, slug, division):
    page = _page(client, slug)
    overview = page.xpath("//dl[@class='overview']")[0]
    assert [dt.text_content() for dt in overview.xpath("dt")][0] == "부서"
    assert overview.xpath("dd")[0].text_content() == division
    listing = lxml.html.fromstring(client.get(reverse("programs:program_list")).content.decode())
    link = listing.xpath(f"//a[@href='/programs/{slug}/']")[0]
    assert f"부서: {division}" in link.getparent().text_content()


@pytest.mark.django_db
def test_the_program_the_report_gives_no_division_says_so(client):
    dd = _page(client, "seoul-reset").xpath("//dl[@class='overview']/dd")[0].text_content()
    assert dd == "부서 미상 (보고서가 이 사업을 맡은 과를 밝히지 않습니다.)"
    listing = client.get(reverse("programs:program_list")).content.decode()
    assert "부서: -" not in listing and listing.count("부서: 미상") == 1


@pytest.mark.django_db
def test_every_other_program_page_names_a_division(client):
    for program in Program.objects.exclude(slug="seoul-reset"):
        dd = _page(client, program.slug).xpath("//dl[@class='overview']/dd")[0].text_content()
        assert dd and "미상" not in dd and dd != "-", program.slug


# -- 추진실적: each achievement's lines nested under its ○ ------------------------------------------------------


@pytest.mark.django_db
def test_achievements_nest_the_lines_under_them(client):
    """자치구 마을생태계 (report l.489-503): ○ with its date, － under it, and ※ or unmarked lines under the －."""
    page = _page(client, "district-village-ecosystem")
    items = page.xpath("//section[h2='추진실적']/ul[@class='outline']/li")
    assert [_item(li) for li in items] == [
        ("○", "2022년 자치구 시민참여사업 지원기준 마련 (’22. 2월)"),
        ("○", "사업설명회 개최 및 자치구 사업계획서 검토·승인 (’22. 2~3월)"),
        ("○", "자치구 마을생태계 조성 및 주민자치 활동지원 사업 추진 (’22. 3월~)"),
    ]
    first = items[0].xpath("./ul/li")
    assert [_item(li) for li in first] == [("－", "자치구 책임과 권한으로 중간지원조직 및 주민자치회 자율 운영")]
    assert [_item(li) for li in first[0].xpath("./ul/li")] == [
        ("", "중간지원조직 인건비·운영비 및 주민자치회 운영비(의제개발비) 구비 편성"),
        ("", "시 예산 의존적 수동적 참여 탈피하여 자치구 주도성·책임성 강화"),
    ]
    third = items[2].xpath("./ul/li")
    assert [_item(li)[0] for li in third] == ["－", "－"]
    assert [_item(li) for li in third[1].xpath("./ul/li")] == [
        ("※", "주민자치 역량강화를 위한 18개 자치구 208명 사업담당자 교육(’22. 6. 8.)")
    ]


@pytest.mark.django_db
def test_an_achievement_typed_without_the_outline_rules_is_listed_flat():
    from programs.models import Achievement
    from programs.selectors.programs import achievement_outline

    item = Achievement(text="실적\n    두 단계 들여 쓴 줄\n－ 다음 줄", date_text="", as_of="2022-07-01")
    node = achievement_outline(item)
    assert (node.marker, node.text) == ("○", "실적")
    assert [(c.marker, c.text) for c in node.children] == [("", "두 단계 들여 쓴 줄"), ("", "－ 다음 줄")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("                ○ 【마을공동체센터】", "                   ○ 【마을공동체센터】", "items"),  # odd indent
        ("              － (정원 운영)", "                  － (정원 운영)", "detail"),  # skips a level
    ],
)
def test_a_bad_outline_in_the_demo_names_its_program_and_field(tmp_path, old, new, field):
    import shutil

    from demo.loader import DEMO_DATA_DIR, load_demo
    from demo.rows import DemoDataError

    data = tmp_path / "demo_data"
    shutil.copytree(DEMO_DATA_DIR, data)
    path = data / "programs.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = list(ProgramOutlineItem.objects.values_list("pk", "text"))
    with pytest.raises(DemoDataError) as caught:
        load_demo(data)
    assert caught.value.field == field and "행:" in caught.value.message
    assert list(ProgramOutlineItem.objects.values_list("pk", "text")) == before
