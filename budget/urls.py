from django.urls import path

from budget import views

app_name = "budget"
urlpatterns = [
    path("briefing.xlsx", views.briefing_export, name="briefing_export"),
]
