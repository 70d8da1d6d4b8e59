"""Who may see what, in one place: every dashboard view asks here, so none can forget.

The roles (staffing.models.Membership.Role) and what they see:

- 국장 (bureau director) and 국 기획 담당 (bureau planning): the bureau dashboard and every division's
  dashboard of their bureau, each in full, and the change between two dates for any of them.
- 과장 (division director) and 주무관 (division staff): their own division's dashboard in full and its
  change between two dates. Another division's dashboard and the bureau dashboard are refused (403):
  lagging lines, overdue milestones, vacancies by grade and unapproved monthly figures are a division's
  working view; what every reader may see of other divisions is the public report on the first page.
- An administrator (superuser) sees everything; a login without a membership sees no dashboard.
"""

from django.db.models import QuerySet

from staffing.models import Bureau, Division, Membership

VIEW = "view"
ACTIONS = (VIEW,)

BUREAU_ROLES = (Membership.Role.BUREAU_DIRECTOR, Membership.Role.PLANNING)

# How each restricted model reaches its division (a path for QuerySet.filter).
DIVISION_PATHS = {
    "staffing.division": "pk",
    "budget.budgetline": "division",
    "programs.program": "division",
    "programs.scheduleitem": "program__division",
    "programs.consignedcentre": "division",
}


def membership_of(user) -> Membership | None:
    """The user's membership, read once per request (cached on the user object)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = Membership.objects.filter(user=user).select_related("bureau", "division").first()
    return user._membership_cache


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """The rows of `queryset` the user may `action`: all for a superuser, the bureau's for a bureau role,
    the own division's for a division role, none otherwise."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    path = DIVISION_PATHS[queryset.model._meta.label_lower]
    if user.is_authenticated and user.is_superuser:
        return queryset
    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    if membership.role in BUREAU_ROLES:
        bureau_path = "bureau" if path == "pk" else f"{path}__bureau"
        return queryset.filter(**{bureau_path: membership.bureau_id})
    return queryset.filter(**{path: membership.division_id})


def can_view_division(user, division: Division) -> bool:
    """May the user open this division's dashboard (all of it)? Decided without a query beyond the membership."""
    if user.is_authenticated and user.is_superuser:
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role in BUREAU_ROLES:
        return membership.bureau_id == division.bureau_id
    return membership.division_id == division.pk


def can_view_bureau(user, bureau: Bureau) -> bool:
    """May the user open the bureau dashboard (all divisions side by side)?"""
    if user.is_authenticated and user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.role in BUREAU_ROLES and membership.bureau_id == bureau.pk


def home_dashboard(user) -> tuple[str, str | None] | None:
    """Where a user's dashboard is: ('bureau', None) or ('division', code); None when they have none."""
    if user.is_authenticated and user.is_superuser:
        return ("bureau", None)
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role in BUREAU_ROLES:
        return ("bureau", None)
    return ("division", membership.division.code)
