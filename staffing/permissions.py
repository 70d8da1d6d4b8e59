"""Who may do what to which division's figures, in one place: every view, service and admin page asks
here, so none can forget.

The roles (staffing.models.Membership.Role):

- 주무관 (division staff) and 과장 (division director) enter, import and correct their own division's
  figures; the director approves or returns the division's submitted month.
- 국장 (bureau director) and 국 기획 담당 (bureau planning) approve or return any division of their bureau,
  and publish the bureau's reporting periods; they do not enter figures.
- Every member of the bureau reads everything internal (the entry board, the grids, the history): VIEW.
- Dashboards (DASHBOARD) are narrower: a division's dashboard is its working view (lagging lines, overdue
  milestones, vacancies, unapproved figures), open to that division and to the bureau's management; the
  bureau dashboard to the bureau's management only.
- 예산담당관 (the city budget office) belongs to no bureau: it reads every bureau's internal pages and
  dashboards as the bureau's management does, and sets the city's pace targets (can_set_city_pace); it
  enters, approves and publishes nothing of a bureau's.
- The administrator (superuser) reads everything and keeps reference data in the Django admin; holding no
  membership, they never enter or approve figures in the portal. The admin follows the same rules
  (staffing.admin_scope): a division's records for who may edit the division, a bureau's reference data
  (BUREAU_PATHS) for its director and planning staff, people, permissions and data of no bureau for the
  administrator alone. A login without a membership sees
  nothing internal; anonymous visitors see the public pages only.
"""

from django.db.models import QuerySet

from staffing.models import Bureau, Division, Membership

VIEW = "view"
DASHBOARD = "dashboard"
EDIT = "edit"
APPROVE = "approve"
ACTIONS = (VIEW, DASHBOARD, EDIT, APPROVE)

BUREAU_ROLES = (Membership.Role.BUREAU_DIRECTOR, Membership.Role.PLANNING)

# How models without a DIVISION_PATH attribute reach their division (a path for QuerySet.filter).
DIVISION_PATHS = {
    "programs.program": "division",
    "programs.scheduleitem": "program__division",
    "programs.consignedcentre": "division",
    "programs.indicatorvalue": "indicator__division",
}

# Bureau-level reference data kept in the admin, and how it reaches its bureau ("" for Bureau itself).
BUREAU_PATHS = {
    "staffing.bureau": "",
    "staffing.division": "bureau",
    "staffing.divisionduty": "division__bureau",
    "budget.budgetpacetarget": "bureau",
    "budget.divisionbudget": "division__bureau",
    "programs.vision": "bureau",
    "programs.direction": "bureau",
    "programs.coretask": "direction__bureau",
    "programs.centrebudget": "centre__division__bureau",
    "programs.centrestaffing": "centre__division__bureau",
}


def membership_of(user) -> Membership | None:
    """The user's membership, read once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_membership_cache"):
        related = Membership.user.field.remote_field  # user.membership, read with the user by staffing.auth
        if related.is_cached(user):
            user._membership_cache = related.get_cached_value(user)
        else:
            user._membership_cache = Membership.objects.filter(user=user).select_related("bureau", "division").first()
    return user._membership_cache


def _is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def is_budget_office(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Membership.Role.BUDGET_OFFICE


def reads_every_bureau(user) -> bool:
    """The administrator and the city budget office read every bureau's internal pages and dashboards."""
    return _is_superuser(user) or is_budget_office(user)


def can_set_city_pace(user) -> bool:
    """The city's pace targets (신속집행 목표), which bureaus without their own follow: the budget office and
    the administrator."""
    return reads_every_bureau(user)


def division_path(model) -> str:
    """The path from a model to its Division ("" for Division itself)."""
    path = getattr(model, "DIVISION_PATH", None)
    return path if path is not None else DIVISION_PATHS[model._meta.label_lower]


def bureau_path(model) -> str | None:
    """The path from a model to its Bureau: BUREAU_PATHS, else through its division; None when it has neither."""
    label = model._meta.label_lower
    if label in BUREAU_PATHS:
        return BUREAU_PATHS[label]
    if getattr(model, "DIVISION_PATH", None) is not None or label in DIVISION_PATHS:
        path = division_path(model)
        return f"{path}__bureau" if path else "bureau"
    return None


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """The rows of `queryset` the user may `action` (view, dashboard, edit, approve)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    path = division_path(queryset.model)
    division_key = path or "pk"
    bureau_key = f"{path}__bureau" if path else "bureau"
    if action in (VIEW, DASHBOARD) and reads_every_bureau(user):
        return queryset
    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    bureau_wide = queryset.filter(**{bureau_key: membership.bureau_id})
    own_division = queryset.filter(**{division_key: membership.division_id})
    if action == VIEW:
        return bureau_wide
    if action == DASHBOARD:
        return bureau_wide if membership.role in BUREAU_ROLES else own_division
    if action == EDIT:
        return own_division if membership.role in Membership.DIVISION_ROLES else queryset.none()
    if membership.role == Membership.Role.DIRECTOR:  # APPROVE
        return own_division
    return bureau_wide if membership.role in BUREAU_ROLES else queryset.none()


def can_view_internal(user) -> bool:
    """Internal pages (entry board, grids, history): any bureau member, and the administrator."""
    return membership_of(user) is not None or _is_superuser(user)


def can_edit_division(user, division) -> bool:
    """Enter, import and correct the division's figures: its own staff and director only."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role in Membership.DIVISION_ROLES
        and division is not None
        and membership.division_id == division.pk
    )


def can_approve(user, division) -> bool:
    """Approve or return the division's submitted month: its director, or the bureau's director and planning staff."""
    membership = membership_of(user)
    if membership is None or division is None:
        return False
    if membership.role == Membership.Role.DIRECTOR:
        return membership.division_id == division.pk
    if membership.role in BUREAU_ROLES:
        return membership.bureau_id == division.bureau_id
    return False


def can_view_division(user, division: Division) -> bool:
    """May the user open this division's dashboard (all of it)?"""
    if reads_every_bureau(user):
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role in BUREAU_ROLES:
        return membership.bureau_id == division.bureau_id
    return membership.division_id == division.pk


def can_view_bureau(user, bureau: Bureau) -> bool:
    """May the user open the bureau dashboard (all divisions side by side)?"""
    if reads_every_bureau(user):
        return True
    membership = membership_of(user)
    return membership is not None and membership.role in BUREAU_ROLES and membership.bureau_id == bureau.pk


def can_publish(user, bureau: Bureau) -> bool:
    """Publish the bureau's reporting period (공표): its director and planning staff only."""
    membership = membership_of(user)
    return (
        membership is not None
        and bureau is not None
        and membership.role in BUREAU_ROLES
        and membership.bureau_id == bureau.pk
    )


def can_keep_reference_data(user, bureau: Bureau | None) -> bool:
    """Keep the bureau's reference data in the admin (the bureau's own record and deadline, its divisions and
    duties, its plan, pace targets, its centres' figures, the comparison year's budgets): the administrator,
    and the bureau's director and planning staff, who publish its periods and set its 정원."""
    return _is_superuser(user) or can_publish(user, bureau)


def restrict_reference_data(queryset: QuerySet, user) -> QuerySet:
    """The rows of bureau-level reference data (a model of BUREAU_PATHS) the user may keep in the admin."""
    if _is_superuser(user):
        return queryset
    membership = membership_of(user)
    if membership is None or membership.role not in BUREAU_ROLES:
        return queryset.none()
    path = bureau_path(queryset.model)
    return queryset.filter(**{path or "pk": membership.bureau_id})


def in_own_bureau(queryset: QuerySet, user) -> QuerySet:
    """The rows of the user's bureau: what a foreign key in the admin may name of a model outside the user's
    own scope (a program's core task, a centre budget's centre). Every row for the administrator, and of a
    model that belongs to no bureau (grades, the revenue tree)."""
    path = bureau_path(queryset.model)
    if _is_superuser(user) or path is None:
        return queryset
    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    return queryset.filter(**{path or "pk": membership.bureau_id})


def can_export_briefing(user, bureau: Bureau | None = None) -> bool:
    """The council briefing: directors (division and bureau), the planning staff, the budget office and the
    administrator; with a `bureau`, that bureau's briefing: the budget office and the administrator any
    bureau's, the others their own bureau's only."""
    if reads_every_bureau(user):
        return True
    membership = membership_of(user)
    if membership is None or membership.role not in (Membership.Role.DIRECTOR, *BUREAU_ROLES):
        return False
    return bureau is None or membership.bureau_id == bureau.pk


def can_export_city_briefing(user) -> bool:
    """The city briefing (every bureau's published execution side by side): the budget office's, and the
    administrator's. A bureau's own people download their bureau's briefing."""
    return reads_every_bureau(user)


def home_dashboard(user) -> tuple[str, str | None] | None:
    """Where a user's dashboard is: ('bureau', None) or ('division', code); None when they have none."""
    if reads_every_bureau(user):
        return ("bureau", None)
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role in BUREAU_ROLES:
        return ("bureau", None)
    return ("division", membership.division.code)


def can_import_city_extract(user) -> bool:
    """Import the finance system's extract of every bureau at a month end (budget.services.extract): the
    budget office and the administrator. It fills each division's month as a draft, which the division
    reviews and submits: the budget office still submits, approves and publishes nothing."""
    return _is_superuser(user) or is_budget_office(user)
