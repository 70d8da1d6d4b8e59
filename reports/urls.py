from django.urls import path

from reports import city_views, views

app_name = "reports"
urlpatterns = [
    path("briefing.xlsx", views.briefing_export, name="briefing_export"),
    path("city/briefing/", city_views.city_briefing_export, name="city_briefing"),
]
