from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from core import health, i18n, observability
from routines.views import offline

urlpatterns = [
    path("", include("accounts.urls")),
    path("account/two-factor/", include("twofactor.urls")),
    path("sso/", include("sso.urls")),
    path("routines/", include("routines.urls")),
    path("incidents/", include("incidents.urls")),
    path("exercises/", include("exercises.urls")),
    path("intake/", include("intake.urls")),
    path("print-orders/", include("printing.urls")),
    path("safety-plans/", include("safety_plans.urls")),
    path("contacts/", include("contacts.urls")),
    path("statistics/", include("annual_report.urls")),
    path("session/", include("usersessions.urls")),
    path("audit/", include("audit.urls")),
    # Answered by core.health.ProbeMiddleware before the host check; here for reverse() and the matrix.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    # Django's switcher (django.conf.urls.i18n), saving a signed-in person's choice as her preference too.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    # The language switch of anonymous pages: a link, so those pages carry no CSRF token (core/i18n.py).
    path("language/", i18n.choose_language, name="choose_language"),
    path("admin/", admin.site.urls),
    # Offline on the phone: the service worker must be served from the root to act for the whole site.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.web_manifest, name="web_manifest"),
]

handler500 = "config.views.server_error"
