import datetime

from django.urls import path, register_converter

from budget import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value


register_converter(IsoDateConverter, "isodate")

app_name = "budget"
urlpatterns = [
    path("execution/", views.execution, name="execution"),
    path("execution/city/", views.city_execution, name="city_execution"),
    path("execution.csv", views.execution_csv, name="execution_csv"),
    path("execution.json", views.execution_json, name="execution_json"),
    path("execution-lines.csv", views.execution_lines_csv, name="execution_lines_csv"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("briefing.xlsx", views.briefing_export, name="briefing_export"),
    path("dashboards/", views.dashboard_home, name="dashboard_home"),
    path("dashboards/bureau/", views.bureau_dashboard, name="bureau_dashboard"),
    path("dashboards/bureau/changes/", views.bureau_changes, name="bureau_changes"),
    path("dashboards/division/<slug:code>/", views.division_dashboard, name="division_dashboard"),
    path("dashboards/division/<slug:code>/changes/", views.division_changes, name="division_changes"),
    path("staff/entry/", views.entry_board, name="entry_board"),
    path("staff/entry/import/", views.import_upload, name="import_upload"),
    path("staff/entry/import/apply/", views.import_apply, name="import_apply"),
    path("staff/entry/<slug:division>/<isodate:as_of>/", views.month_detail, name="month_detail"),
    path("staff/entry/<slug:division>/<isodate:as_of>/submit/", views.month_submit, name="month_submit"),
    path("staff/entry/<slug:division>/<isodate:as_of>/approve/", views.month_approve, name="month_approve"),
    path("staff/entry/<slug:division>/<isodate:as_of>/return/", views.month_return, name="month_return"),
    path("staff/entry/<slug:division>/<isodate:as_of>/correct/", views.month_correct, name="month_correct"),
    path("staff/entry/<slug:division>/<isodate:as_of>/template.<str:fmt>", views.month_template, name="month_template"),
    path("staff/entry/<slug:division>/<isodate:as_of>/history/", views.month_history, name="month_history"),
    path("staff/lines/<int:year>/<slug:code>/history/", views.line_history, name="line_history"),
    path("staff/adjustments/", views.adjustment_list, name="adjustment_list"),
    path("staff/lines/<int:year>/<slug:code>/adjustments/", views.line_adjustments, name="line_adjustments"),
]
