from django.urls import path

from staffing import views

app_name = "staffing"
urlpatterns = [path("staff/headcount/<slug:division>/", views.headcount_entry, name="headcount_entry")]
