"""The admin of bureaus, divisions and people, and the division-scoped admin every app's figures use:
a staff member with admin access sees and changes only the divisions permissions.py lets them edit."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from civicbureau.admin import AuditedAdmin
from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, Membership, PartTimeStaff
from staffing.permissions import EDIT, can_edit_division, membership_of, restrict


def division_of(obj):
    """The Division a division-scoped record belongs to, following the model's DIVISION_PATH."""
    for part in filter(None, obj.DIVISION_PATH.split("__")):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class DivisionScopedAdmin(AuditedAdmin):
    """A staff member with admin access cannot see or change another division's figures here either."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else restrict(queryset, request.user, EDIT)

    def _may_edit(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            membership = membership_of(request.user)
            return membership is not None and membership.role in Membership.DIVISION_ROLES
        return can_edit_division(request.user, division_of(obj))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self._may_edit(request, None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not request.user.is_superuser and hasattr(related, "DIVISION_PATH"):
            kwargs["queryset"] = restrict(related._default_manager.all(), request.user, EDIT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self._may_edit(request, obj):  # a crafted POST naming another division's record
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class DivisionDutyInline(admin.TabularInline):
    model = DivisionDuty
    extra = 0


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "established_on", "team_count", "entry_deadline_working_days"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "bureau", "order"]
    inlines = [DivisionDutyInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "track", "order"]


@admin.register(HeadcountEntry)
class HeadcountEntryAdmin(DivisionScopedAdmin):
    list_display = ["division", "grade", "as_of", "quota", "current"]
    list_filter = ["as_of", "division"]

    # 정원 is reference data (staffing.services): a division member with admin access changes 현원 only,
    # and adds a date through the grid at /staff/headcount/, which carries the quota over.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "quota"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)


@admin.register(PartTimeStaff)
class PartTimeStaffAdmin(DivisionScopedAdmin):
    list_display = ["division", "grade", "as_of", "count"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "division", "bureau", "language"]
    list_filter = ["role", "division"]
