from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [path("briefing.xlsx", views.briefing_export, name="briefing_export")]
