from django.contrib import admin

from civicbureau.admin import AuditedAdmin, DivisionScopedAdmin
from staffing.models import Bureau, Division, DivisionDuty, Grade, HeadcountEntry, Membership, PartTimeStaff


class DivisionDutyInline(admin.TabularInline):
    model = DivisionDuty
    extra = 0


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "established_on", "team_count"]


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
    list_display = ["user", "role", "division", "bureau"]
    list_filter = ["role", "division"]
