from django.urls import path

from budget import views

app_name = "budget"
urlpatterns = [
    path("execution/", views.execution, name="execution"),
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
]
