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
]
