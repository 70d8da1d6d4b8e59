from django.urls import path, re_path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation, name="organisation"),
    path("glossary/", views.glossary_page, name="glossary"),
    re_path(
        r"^organisation/(?P<name>headcount|revenue|expenditure)\.(?P<fmt>csv|json)$",
        views.organisation_file,
        name="organisation_file",
    ),
    re_path(r"^(?P<name>measures|measure_targets)\.(?P<fmt>csv|json)$", views.measures_file, name="measures_file"),
]
