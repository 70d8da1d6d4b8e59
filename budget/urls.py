import datetime

from django.urls import path, register_converter

from budget.views import adjustments, budget_book, entry, history, periods, public


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value


register_converter(IsoDateConverter, "isodate")

app_name = "budget"
urlpatterns = [
    path("execution/", public.execution, name="execution"),
    path("execution.csv", public.execution_csv, name="execution_csv"),
    path("execution.json", public.execution_json, name="execution_json"),
    path("execution-lines.csv", public.execution_lines_csv, name="execution_lines_csv"),
    path("datapackage.json", public.datapackage, name="datapackage"),
    path("staff/entry/", entry.entry_board, name="entry_board"),
    path("staff/entry/import/", entry.import_upload, name="import_upload"),
    path("staff/entry/import/apply/", entry.import_apply, name="import_apply"),
    path("staff/entry/<slug:division>/<isodate:as_of>/", entry.month_detail, name="month_detail"),
    path("staff/entry/<slug:division>/<isodate:as_of>/submit/", entry.month_submit, name="month_submit"),
    path("staff/entry/<slug:division>/<isodate:as_of>/withdraw/", entry.month_withdraw, name="month_withdraw"),
    path("staff/entry/<slug:division>/<isodate:as_of>/approve/", entry.month_approve, name="month_approve"),
    path("staff/entry/<slug:division>/<isodate:as_of>/return/", entry.month_return, name="month_return"),
    path("staff/entry/<slug:division>/<isodate:as_of>/correct/", entry.month_correct, name="month_correct"),
    path("staff/entry/<slug:division>/<isodate:as_of>/template.<str:fmt>", entry.month_template, name="month_template"),
    path("staff/entry/<slug:division>/<isodate:as_of>/history/", history.month_history, name="month_history"),
    path("staff/lines/<int:year>/<slug:code>/history/", history.line_history, name="line_history"),
    path("staff/periods/", periods.period_list, name="period_list"),
    path("staff/periods/<isodate:as_of>/", periods.period_detail, name="period_detail"),
    path("staff/periods/<isodate:as_of>/publish/", periods.period_publish, name="period_publish"),
    path("staff/adjustments/", adjustments.adjustment_list, name="adjustment_list"),
    path("staff/lines/<int:year>/<slug:code>/adjustments/", adjustments.line_adjustments, name="line_adjustments"),
    path("staff/budget-book/", budget_book.budget_book_upload, name="budget_book"),
    path("staff/budget-book/apply/", budget_book.budget_book_apply, name="budget_book_apply"),
]
