from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from budget import services
from budget.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetPaceTarget,
    DivisionBudget,
    DivisionMonth,
    ExecutionSnapshot,
    RevenueAmount,
    RevenueCategory,
)
from civicbureau import audit
from civicbureau.admin import AuditedAdmin, SuperuserOnlyAdmin
from civicbureau.entry import Caution, EntryError
from staffing.admin_scope import BureauScopedAdmin, DivisionScopedAdmin, TeamWithinDivision


@admin.register(BudgetLine)
class BudgetLineAdmin(TeamWithinDivision, DivisionScopedAdmin):
    """A line's team, where its division has teams, is one of the division's (the dashboards group by it)."""

    list_display = ["code", "name", "division", "team", "fiscal_year", "original_budget"]
    list_filter = ["fiscal_year", "division"]
    search_fields = ["code", "name"]


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(DivisionScopedAdmin):
    list_display = ["budget_line", "kind", "amount", "effective_on", "reason"]
    list_filter = ["kind"]

    def has_delete_permission(self, request, obj=None):
        """A published change is part of an edition (BudgetAdjustment.delete refuses it too)."""
        return super().has_delete_permission(request, obj) and (obj is None or obj.published_in_id is None)


class ExecutionSnapshotAdminForm(forms.ModelForm):
    """One line's figures through the entry service, as on the grid, the import and the command: the same
    refusals, and the cautions held until 'confirm' is ticked (recorded with the save); the month's version
    moves, so a grid opened before this edit is refused as stale instead of overwriting it."""

    confirm = forms.BooleanField(
        label=_("경고 확인"),
        required=False,
        help_text=_("저장하기 전에 확인이 필요한 값이 있으면, 맞는지 확인한 뒤 체크하고 다시 저장합니다."),
    )

    class Meta:
        model = ExecutionSnapshot
        fields = ["budget_line", "as_of", "obligations", "disbursements"]

    def clean(self):
        cleaned = super().clean()
        line, as_of = cleaned.get("budget_line"), cleaned.get("as_of")
        self.confirmed = []
        if line is None or as_of is None or self.errors:
            return cleaned
        self.entry = services.ExecutionInput(
            code=line.code,
            obligations=cleaned.get("obligations"),
            disbursements=cleaned.get("disbursements"),
            row=f"{line.code} {line.name}",
        )
        for problem in services.execution_month_validate(division=line.division, as_of=as_of, rows=[self.entry]):
            field = problem.field if problem.field in self.fields else None
            if not isinstance(problem, Caution):
                self.add_error(field, problem.message)
            elif cleaned.get("confirm"):
                self.confirmed.append(problem.key)
            else:
                self.add_error(field, _("확인이 필요합니다: %(message)s") % {"message": problem.message})
        return cleaned

    def _post_clean(self):
        # the entry service has stated every rule of the row in clean(); the model's full_clean would
        # state the same rules a second time, and the service saves the row, not this form
        self.instance = construct_instance(self, self.instance, self._meta.fields)


@admin.register(ExecutionSnapshot)
class ExecutionSnapshotAdmin(DivisionScopedAdmin):
    form = ExecutionSnapshotAdminForm
    list_display = [
        "budget_line",
        "as_of",
        "obligations",
        "disbursements",
        "approved_obligations",
        "approved_disbursements",
    ]
    list_filter = ["as_of", "budget_line__division"]
    readonly_fields = ["approved_obligations", "approved_disbursements", "confirmed"]

    def has_delete_permission(self, request, obj=None):
        """Submitted, approved and published figures are kept (ExecutionSnapshot.delete refuses them too): the
        delete page and the list's delete action refuse them, for the administrator as well."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_kept())

    def save_model(self, request, obj, form, change):
        if not self.may(request, obj):  # a crafted POST naming another division's record
            raise PermissionDenied
        line = obj.budget_line
        month = DivisionMonth.objects.filter(division=line.division_id, as_of=obj.as_of).first()
        try:
            services.execution_month_save(
                user=request.user,
                division=line.division,
                as_of=obj.as_of,
                rows=[form.entry],
                version=month.version if month else 0,
                confirmed=form.confirmed,
                how=audit.How.ADMIN,
            )
        except EntryError as exc:  # changed by someone between the form's check and this save
            raise PermissionDenied(str(exc)) from None
        obj.pk = ExecutionSnapshot.objects.get(budget_line=line, as_of=obj.as_of).pk


@admin.register(DivisionMonth)
class DivisionMonthAdmin(DivisionScopedAdmin):
    """Read only: a month's status changes only through submission, approval, return and correction."""

    list_display = ["division", "as_of", "status", "revision", "approved_revision", "version", "changed_by"]
    list_filter = ["status", "as_of", "division"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The revenue tree and its amounts belong to no bureau in the model: the administrator's only.
@admin.register(RevenueCategory)
class RevenueCategoryAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order"]


@admin.register(RevenueAmount)
class RevenueAmountAdmin(SuperuserOnlyAdmin, AuditedAdmin):
    list_display = ["category", "fiscal_year", "as_of", "amount"]


@admin.register(DivisionBudget)
class DivisionBudgetAdmin(BureauScopedAdmin):
    list_display = ["division", "fiscal_year", "original_budget", "final_budget"]


@admin.register(BudgetPaceTarget)
class BudgetPaceTargetAdmin(BureauScopedAdmin):
    """The bureau's monthly execution targets; months left out follow a straight line between those set."""

    list_display = ["bureau", "fiscal_year", "month", "target_rate"]
    list_filter = ["fiscal_year", "bureau"]
    ordering = ["bureau", "fiscal_year", "month"]
