from django.urls import path, re_path

from staffing import views

app_name = "staffing"
urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    re_path(
        r"^organisation/(?P<name>headcount|revenue|expenditure)\.(?P<fmt>csv|json)$",
        views.organisation_file,
        name="organisation_file",
    ),
    path("staff/headcount/<slug:division>/", views.headcount_entry, name="headcount_entry"),
]
