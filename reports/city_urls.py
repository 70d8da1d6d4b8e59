"""The city briefing's address, in the city's namespace (city/urls.py includes this module by its dotted
path, as the root URLconf includes every app, so that city, a sibling feature, imports nothing of reports)."""

from django.urls import path

from reports import city_views

urlpatterns = [path("briefing.xlsx", city_views.city_briefing_export, name="briefing")]
