"""HTTP habits every page shares."""

from collections.abc import Callable

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class AuthenticatedHttpRequest(HttpRequest):
    """For type checking only: the request of a view behind ``login_required``, whose user is signed in
    (django-stubs' documented pattern; nothing checks it at run time)."""

    user: User


class PrivatePagesMiddleware:
    """Nothing a signed-in person sees is kept in a browser or proxy cache.

    On a shared office computer, the back button after logging out must not bring an intake back, and a
    proxy must never hand one person's page to another. A response that already says how it may be cached
    (the public routine PDFs, with their ETag) keeps its own header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
            patch_vary_headers(response, ["Cookie"])
        return response
