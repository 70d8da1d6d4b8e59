"""The admin of bureaus, divisions and people. Who sees which records: staffing.admin_scope."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from civicbureau.admin import AuditedAdmin, SuperuserOnlyAdmin
from staffing.admin_scope import BureauScope, DivisionScopedAdmin, ScopedTabularInline, TeamWithinDivision
from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, Membership, PartTimeStaff, Team


class DivisionDutyInline(ScopedTabularInline):
    model = DivisionDuty
    extra = 0


@admin.register(Bureau)
class BureauAdmin(BureauScope, admin.ModelAdmin):
    """The bureau's director and planning staff change their own bureau (its deadline); only the
    administrator adds or deletes a bureau."""

    list_display = ["name", "established_on", "team_count", "entry_deadline_working_days"]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Division)
class DivisionAdmin(BureauScope, admin.ModelAdmin):
    list_display = ["name", "code", "bureau", "order"]
    inlines = [DivisionDutyInline]


@admin.register(Team)
class TeamAdmin(DivisionScopedAdmin):
    """A division's teams, kept by who may edit the division (DivisionScope), with their history."""

    list_display = ["name", "division", "order"]
    list_filter = ["division"]
    search_fields = ["name"]


@admin.register(Grade)
class GradeAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """Grades are shared by every bureau: the administrator's."""

    list_display = ["name", "code", "track", "order"]


@admin.register(HeadcountEntry)
class HeadcountEntryAdmin(DivisionScopedAdmin):
    list_display = ["division", "grade", "as_of", "quota", "current"]
    list_filter = ["as_of", "division"]

    # 정원 is reference data (staffing.services): a division member with admin access changes 현원 only,
    # and adds a date through the grid at /staff/headcount/, which carries the quota over; deleting a cell
    # would take its 정원 with it.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "quota"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(PartTimeStaff)
class PartTimeStaffAdmin(DivisionScopedAdmin):
    list_display = ["division", "grade", "as_of", "count"]


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyAdmin, TeamWithinDivision, AuditedAdmin):
    """Who is who: the administrator's only, and not for their own membership (nobody raises their own role).
    A division member's team and role in it (팀장, 팀원) are set here, the team one of their division's."""

    list_display = ["user", "role", "division", "team", "team_role", "bureau", "language"]
    list_filter = ["role", "division", "team_role"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_own(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_own(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model._default_manager.exclude(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if is_own(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


def is_own(request, membership) -> bool:
    return membership is not None and membership.user_id == request.user.pk
