from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("dashboards/", views.dashboard_home, name="dashboard_home"),
    path("dashboards/bureau/", views.bureau_dashboard, name="bureau_dashboard"),
    path("dashboards/bureau/changes/", views.bureau_changes, name="bureau_changes"),
    path("dashboards/bureau/progress/", views.bureau_progress, name="bureau_progress"),
    path("dashboards/division/<slug:code>/", views.division_dashboard, name="division_dashboard"),
    path("dashboards/division/<slug:code>/changes/", views.division_changes, name="division_changes"),
]
