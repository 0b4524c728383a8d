from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from core import health, observability

urlpatterns = [
    path("", include("accounts.urls")),
    path("account/two-factor/", include("twofactor.urls")),
    path("routines/", include("routines.urls")),
    path("incidents/", include("incidents.urls")),
    path("intake/", include("intake.urls")),
    path("print-orders/", include("printing.urls")),
    path("safety-plans/", include("safety_plans.urls")),
    path("session/", include("usersessions.urls")),
    path("audit/", include("audit.urls")),
    # Answered by core.health.ProbeMiddleware before the host check; here for reverse() and the matrix.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    # Django's switcher (django.conf.urls.i18n), saving a signed-in person's choice as her preference too.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler500 = "config.views.server_error"
