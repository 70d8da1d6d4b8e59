from django.contrib import admin
from django.urls import include, path

from civicbureau import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("programs.urls")),
    path("", include("budget.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
