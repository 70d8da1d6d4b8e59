"""The admin's scope follows staffing.permissions for every registered model (issue 16, finding 1).

Like the portal's permission matrix, the test walks EVERY model registered in admin.site: a model
registered later fails until its admin takes one of the three scopes (staffing.admin_scope). Each of
the bureau's four roles is a non-superuser with admin access (is_staff) and every model permission, the
setup the README supports, and for its own division's (or bureau's) record and another's:
- the list shows only records within reach (or the page is refused);
- another division's (bureau's) record cannot be opened, changed, deleted or reverted (404 or 403) and the
  database is unchanged;
- on a form the person may open, no foreign key (inlines included) offers a record out of reach;
- adding a record pointed at another division is refused;
- their own membership (and user) cannot be changed through any admin page.
Then the four actions of the attack, each on its own.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from budget.models import BudgetAdjustment, BudgetLine, BudgetPaceTarget, DivisionBudget
from civicbureau.admin import SuperuserOnlyAdmin
from programs.models import (
    CentreBudget,
    CentreStaffing,
    ConsignedCentre,
    CoreTask,
    Direction,
    Indicator,
    IndicatorValue,
    Program,
    ScheduleItem,
    Vision,
)
from staffing.admin_scope import BureauScope, DivisionScope, bureau_of, division_of
from staffing.models import Bureau, Division, Membership
from staffing.permissions import membership_of
from tests.factories import BureauFactory, CoreTaskFactory, DirectionFactory, DivisionFactory
from tests.fingerprint import database_fingerprint
from worklist.models import ReminderSent

pytestmark = pytest.mark.django_db

JULY = datetime.date(2022, 7, 1)
ROLES = ("staff_a", "director_a", "bureau", "planning")
SCOPES = (DivisionScope, BureauScope, SuperuserOnlyAdmin)


def scope_of(model_admin):
    scopes = [scope for scope in SCOPES if isinstance(model_admin, scope)]
    return scopes[0] if len(scopes) == 1 else None


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_has_one_scope():
    unclassified = [m._meta.label for m, a in admin.site._registry.items() if scope_of(a) is None]
    assert unclassified == [], "give the model's admin one scope of staffing.admin_scope"


@pytest.fixture
def staff_admins(people):
    """The four roles with admin access and every model permission there is."""
    every = list(Permission.objects.all())
    for role in ROLES:
        user = people[role]
        user.is_staff = True
        user.save()
        user.user_permissions.set(every)
    return people


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_bureau(db):
    """A second bureau with one record of each kind of reference data (the demo has one bureau)."""
    bureau = BureauFactory()
    division = DivisionFactory(bureau=bureau)
    direction = DirectionFactory(bureau=bureau, fiscal_year=2022)
    centre = ConsignedCentre.objects.create(code="t-centre", name="시험 센터", division=division)
    return {
        Bureau: bureau,
        Division: division,
        Direction: direction,
        CoreTask: CoreTaskFactory(direction=direction),
        Vision: Vision.objects.create(bureau=bureau, fiscal_year=2022, text="시험 비전"),
        BudgetPaceTarget: BudgetPaceTarget.objects.create(bureau=bureau, fiscal_year=2022, month=6, target_rate=50),
        DivisionBudget: DivisionBudget.objects.create(
            division=division, fiscal_year=2021, as_of=datetime.date(2021, 12, 31), original_budget=1
        ),
        CentreBudget: CentreBudget.objects.create(centre=centre, fiscal_year=2022, as_of=JULY, amount=1),
        CentreStaffing: CentreStaffing.objects.create(centre=centre, as_of=JULY, headcount=1),
    }


@pytest.fixture
def records(staff_admins, other_bureau):
    """Records the demo lacks: an adjustment of the own division, a pace target of the bureau, a group and a
    reminder (the superuser's pages)."""
    own_line = BudgetLine.objects.get(code="PA-01")
    BudgetAdjustment.objects.create(
        budget_line=own_line, kind="supplementary", amount=1_000, effective_on="2022-06-01", reason="시험"
    )
    BudgetPaceTarget.objects.create(
        bureau=Bureau.objects.get(name="시민협력국"), fiscal_year=2022, month=6, target_rate=50
    )
    Group.objects.create(name="시험 그룹")
    ReminderSent.objects.create(user=staff_admins["staff_a"], item_key="시험", sent_on=datetime.date(2022, 8, 1))
    return other_bureau


def in_reach(model_admin, user, obj) -> bool:
    """What the user may reach, read from the person's membership, not from the admin under test."""
    membership = membership_of(user)
    scope = scope_of(model_admin)
    if scope is DivisionScope:
        division = division_of(obj)
        return (
            membership.role in Membership.DIVISION_ROLES
            and division is not None
            and division.pk == membership.division_id
        )
    if scope is BureauScope:
        bureau = bureau_of(obj)
        return (
            membership.role in ("bureau_director", "planning")
            and bureau is not None
            and bureau.pk == membership.bureau_id
        )
    return False


def samples(model, model_admin, user, other_bureau):
    """One record within the user's reach (if any) and records out of it (the other division's, the other bureau's)."""
    objects = list(model._default_manager.all()) + ([other_bureau[model]] if model in other_bureau else [])
    inside = [o for o in objects if in_reach(model_admin, user, o)]
    outside = [o for o in objects if not in_reach(model_admin, user, o)]
    # the other demo division's record first, then another bureau's
    outside.sort(key=lambda o: 0 if scope_of(model_admin) is DivisionScope and division_of(o) else 1)
    return inside[:1], outside[:2]


def form_data(response) -> dict:
    """The change form as it was shown, ready to post back (inlines and their management forms included)."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            data[key] = "on" if value is True else value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.forms:
            put(form)
    return data


def foreign_key_choices(response):
    """Every foreign key of the form and its inlines: (field name, the records it offers)."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [*inline.formset.forms, inline.formset.empty_form]
    for form in forms:
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and name not in ("id", "DELETE"):
                yield name, list(queryset)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_follows_the_permissions_for_every_model(records, staff_admins, role):
    user = staff_admins[role]
    client = login(user)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        inside, outside = samples(model, model_admin, user, records)
        listing = client.get(url(model, "changelist"))
        if listing.status_code == 200:
            shown = list(listing.context["cl"].queryset)
            assert all(in_reach(model_admin, user, o) for o in shown), (model._meta.label, shown)
        else:
            assert listing.status_code == 403, model._meta.label
            assert inside == [], (model._meta.label, "a record in reach but no list")
        for obj in outside:
            before = database_fingerprint()
            label = (model._meta.label, role, str(obj))
            assert client.get(url(model, "change", obj.pk)).status_code in (403, 404), label
            assert client.post(url(model, "change", obj.pk), {}).status_code in (403, 404), label
            assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code in (403, 404), label
            if hasattr(model, "history"):
                version = model.history.filter(pk=obj.pk).first()
                if version is not None:
                    revert = client.post(url(model, "simple_history", obj.pk, version.history_id), {})
                    assert revert.status_code in (403, 404), label
            action = client.post(
                url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
            )
            assert action.status_code in (200, 302, 403), label  # no such action, nothing selected, or refused
            assert database_fingerprint() == before, label
            assert model._default_manager.filter(pk=obj.pk).exists(), label
            checked += 1
        for obj in inside:
            page = client.get(url(model, "change", obj.pk))
            assert page.status_code == 200, (model._meta.label, role)
            for name, offered in foreign_key_choices(page):
                related = [
                    o for o in offered if scope_of(admin.site._registry.get(type(o))) in (DivisionScope, BureauScope)
                ]
                strays = [o for o in related if not reachable_choice(model_admin, user, o)]
                assert strays == [], (model._meta.label, role, name, strays[:3])
    assert checked > 20


def reachable_choice(model_admin, user, obj) -> bool:
    """A foreign key on a division's record names the user's own division's records (or their bureau's
    reference data); on the bureau's reference data, records of the user's bureau."""
    membership = membership_of(user)
    if isinstance(model_admin, DivisionScope) and isinstance(admin.site._registry[type(obj)], DivisionScope):
        division = division_of(obj)
        return division is not None and division.pk == membership.division_id
    bureau = bureau_of(obj)
    return bureau is not None and bureau.pk == membership.bureau_id


@pytest.mark.parametrize("role", ("staff_a", "director_a"))
def test_a_record_cannot_be_added_to_another_division(staff_admins, role):
    client = login(staff_admins[role])
    other_line = BudgetLine.objects.get(code="CO-01")
    other_program = Program.objects.filter(division__code="community").first()
    before = database_fingerprint()
    attempts = [
        (BudgetAdjustment, {"budget_line": other_line.pk, "kind": "supplementary", "amount": 1, "effective_on": "2022-06-01", "reason": "위조"}),
        (ScheduleItem, {"program": other_program.pk, "order": 99, "text": "위조", "date_text": "’22. 9월"}),
        (Indicator, {"code": "forged", "name": "위조", "unit": "건", "program": other_program.pk, "order": 1,
                     "values-TOTAL_FORMS": 0, "values-INITIAL_FORMS": 0}),
        (Program, {"title": "위조", "division": other_program.division_id, "core_task": other_program.core_task_id,
                   "number": 99, "slug": "forged"}),
    ]  # fmt: skip
    for model, data in attempts:
        response = client.post(url(model, "add"), data)
        assert response.status_code in (200, 403), model
        if response.status_code == 200:
            assert response.context["adminform"].form.errors, model  # the other division is not a choice
    assert database_fingerprint() == before


@pytest.mark.parametrize("role", (*ROLES, "admin"))
def test_nobody_changes_their_own_membership_or_permissions(staff_admins, role):
    user = staff_admins[role]
    if role == "admin":  # the superuser, given a membership of their own
        Membership.objects.create(user=user, role="staff", division=Division.objects.get(code="participation"),
                                  bureau=Bureau.objects.get(name="시민협력국"))  # fmt: skip
    own = Membership.objects.get(user=user)
    client = login(user)
    before = database_fingerprint()
    raised = {"user": user.pk, "role": "bureau_director", "bureau": own.bureau_id, "language": "ko"}
    assert client.post(url(Membership, "change", own.pk), raised).status_code in (403, 404)
    assert client.post(url(Membership, "delete", own.pk), {"post": "yes"}).status_code in (403, 404)
    version = own.history.first()
    assert client.post(url(Membership, "simple_history", own.pk, version.history_id), raised).status_code in (403, 404)
    action = {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"}
    assert client.post(url(Membership, "changelist"), action).status_code in (200, 302, 403)
    # a second membership for oneself: the user is not among the choices (the superuser) or the page is refused
    response = client.post(url(Membership, "add"), raised)
    assert response.status_code == 403 or response.context["adminform"].form.errors
    User = get_user_model()
    flags = {"username": user.username, "is_superuser": "on", "is_staff": "on", "is_active": "on",
             "user_permissions": [p.pk for p in Permission.objects.all()[:5]], "date_joined_0": "2022-01-01",
             "date_joined_1": "00:00:00"}  # fmt: skip
    response = client.post(url(User, "change", user.pk), flags)
    assert response.status_code in (302, 403, 404)
    assert Membership.objects.get(pk=own.pk).role == own.role
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.is_superuser, fresh.user_permissions.count()) == (user.is_superuser, user.user_permissions.count())
    if role != "admin":
        assert database_fingerprint() == before


@pytest.mark.parametrize("role", ROLES)
def test_people_and_permissions_are_the_superusers_only(staff_admins, role):
    client = login(staff_admins[role])
    other = Membership.objects.get(user=staff_admins["staff_b"])
    for model in (get_user_model(), Group, Membership):
        assert client.get(url(model, "changelist")).status_code == 403
    assert client.get(url(Membership, "change", other.pk)).status_code == 403
    data = {
        "user": other.user_id,
        "role": "director",
        "division": other.division_id,
        "bureau": other.bureau_id,
        "language": "ko",
    }
    assert client.post(url(Membership, "change", other.pk), data).status_code == 403
    assert Membership.objects.get(pk=other.pk).role == "staff"


# -- the attack, action by action (each succeeded on main before the admin followed permissions.py) -----


@pytest.fixture
def attacker(staff_admins):
    """staff_a (주무관 of 시민참여과) with admin access and every model permission, and a superuser's client
    to read the forms as they are shown."""
    superuser = login(get_user_model().objects.get(username="admin"))
    return login(staff_admins["staff_a"]), superuser


def test_attack_changing_another_divisions_milestone_is_refused(attacker):
    client, superuser = attacker
    item = ScheduleItem.objects.filter(program__division__code="community").first()
    data = {**form_data(superuser.get(url(ScheduleItem, "change", item.pk))), "status": "done", "note": "위조"}
    response = client.post(url(ScheduleItem, "change", item.pk), data)
    assert response.status_code in (403, 404)
    fresh = ScheduleItem.objects.get(pk=item.pk)
    assert (fresh.status, fresh.note) == (item.status, item.note)


def test_attack_moving_another_divisions_program_to_ones_own_is_refused(attacker):
    client, superuser = attacker
    program = Program.objects.filter(division__code="community").first()
    own = Division.objects.get(code="participation")
    data = {**form_data(superuser.get(url(Program, "change", program.pk))), "division": own.pk}
    response = client.post(url(Program, "change", program.pk), data)
    assert response.status_code in (403, 404)
    assert Program.objects.get(pk=program.pk).division.code == "community"


def test_attack_moving_ones_own_program_to_another_division_is_refused(attacker):
    client, superuser = attacker
    program = Program.objects.filter(division__code="participation").first()
    other = Division.objects.get(code="community")
    data = {**form_data(superuser.get(url(Program, "change", program.pk))), "division": other.pk}
    response = client.post(url(Program, "change", program.pk), data)
    assert response.status_code in (200, 403)  # the other division is not a choice
    assert Program.objects.get(pk=program.pk).division.code == "participation"


def test_attack_changing_another_divisions_indicator_value_inline_is_refused(attacker):
    client, superuser = attacker
    indicator = Indicator.objects.filter(program__division__code="community", values__isnull=False).first()
    value = indicator.values.first()
    data = form_data(superuser.get(url(Indicator, "change", indicator.pk)))
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and str(v) == str(value.pk))
    data[f"values-{index}-value"] = "999999"
    response = client.post(url(Indicator, "change", indicator.pk), data)
    assert response.status_code in (403, 404)
    assert IndicatorValue.objects.get(pk=value.pk).value == value.value != Decimal("999999")


def test_attack_raising_ones_own_membership_to_bureau_director_is_refused(attacker, staff_admins):
    client, superuser = attacker
    own = Membership.objects.get(user=staff_admins["staff_a"])
    data = {**form_data(superuser.get(url(Membership, "change", own.pk))), "role": "bureau_director", "division": ""}
    response = client.post(url(Membership, "change", own.pk), data)
    assert response.status_code in (403, 404)
    fresh = Membership.objects.get(pk=own.pk)
    assert (fresh.role, fresh.division.code) == ("staff", "participation")
    # and the bureau's pages stay closed to them
    assert client.get(reverse("dashboards:bureau_dashboard")).status_code == 403


def test_the_superuser_still_keeps_everything(records):
    client = login(get_user_model().objects.get(username="admin"))
    for model in admin.site._registry:
        assert client.get(url(model, "changelist")).status_code == 200, model._meta.label
    program = Program.objects.filter(division__code="community").first()
    data = {**form_data(client.get(url(Program, "change", program.pk))), "title": "고친 제목"}
    assert client.post(url(Program, "change", program.pk), data).status_code == 302
    assert Program.objects.get(pk=program.pk).title == "고친 제목"
