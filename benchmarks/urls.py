"""The app's URLs plus one trivial view, the framework floor `make bench` compares pages against.

Selected for the bench server only (DJANGO_ROOT_URLCONF=benchmarks.urls); the app itself never routes to it.
The floor goes through the same server and middleware as every page (session, CSRF, authentication, CSP,
audit), but does no work of its own: a page's time over the floor's is what the page itself costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler500  # noqa: F401 (handler500 is looked up here)
from config.urls import urlpatterns as app_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("bench-floor/", floor, name="bench_floor"), *app_urlpatterns]
