from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from civicbureau import views

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("budget.urls")),
    path("", include("programs.urls")),
    path("", include("staffing.urls")),
    path("", include("dashboards.urls")),
    path("", include("reports.urls")),
    path("", include("city.urls")),
    path("", include("worklist.urls")),
    path("healthz", views.healthz, name="healthz"),  # no slash, as load balancers ask for it
    path("", include("jobs.urls")),
    path("i18n/switch/", views.language_switch, name="language_switch"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    # Django's auth views without password reset: staff accounts are the administrator's to reset (README)
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Browsers and feed readers ask for /favicon.ico whatever the page says; the file is a static one (its
    # hashed name in production, hence lazy, temporary). Pages name static/favicon.svg in base.html.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"), permanent=False)),
]

handler403 = "civicbureau.views.permission_denied"
handler500 = "civicbureau.views.server_error"
