from django.urls import path

from programs import views

app_name = "programs"
urlpatterns = [
    path("staff/consistency/", views.consistency, name="consistency"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule.csv", views.schedule_csv, name="schedule_csv"),
    path("schedule.json", views.schedule_json, name="schedule_json"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path("programs/<slug:slug>.csv", views.program_csv, name="program_csv"),
    path("programs/<slug:slug>.json", views.program_json, name="program_json"),
    path("programs/<slug:slug>/outline.csv", views.program_outline_csv, name="program_outline_csv"),
    path("programs/<slug:slug>/outline.json", views.program_outline_json, name="program_outline_json"),
    path("staff/schedule/", views.schedule_progress_list, name="schedule_progress_list"),
    path("staff/schedule/<int:pk>/", views.schedule_item_progress, name="schedule_item_progress"),
    path("staff/indicators/", views.indicator_list, name="indicator_list"),
    path("staff/indicators/<slug:code>/", views.indicator_values, name="indicator_values"),
    path("staff/measures/", views.measure_list, name="measure_list"),
    path("staff/measures/<slug:code>/<int:year>/", views.measure_targets, name="measure_targets"),
    path("staff/measures/<slug:code>/<int:year>/settings/", views.measure_settings, name="measure_settings"),
    path(
        "staff/measures/<slug:code>/<int:year>/approve/", views.measure_targets_approve, name="measure_targets_approve"
    ),
    path("staff/measures/<slug:code>/<int:year>/return/", views.measure_targets_return, name="measure_targets_return"),
]
