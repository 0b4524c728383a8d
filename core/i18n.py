"""The language of a request, and the language switch anonymous visitors use."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe


class LanguageMiddleware(LocaleMiddleware):
    """Bokmål unless the person has chosen English with the language switcher.

    Django's own LocaleMiddleware also follows the browser's Accept-Language; here the product's language is
    bokmål first, so a browser set to English still gets bokmål until the person switches. The language comes
    from the language cookie alone, so a response varies by Cookie, not by Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@require_safe
def choose_language(request: HttpRequest) -> HttpResponse:
    """``?language=en&next=/routines/``: sets the language cookie and sends the visitor back to ``next`` (a
    path on this site; anything else goes to the front page).

    The switch anonymous visitors see is a plain link to this view, so their pages carry no form and no
    per-visitor CSRF token and can be cached whole (routines.views.public). A GET that sets a cookie is safe
    here: the cookie is only a display preference, and it is SameSite=Lax, so only
    a top-level navigation the person makes can set it. Signed-in pages keep Django's POST ``set_language``.
    """
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    language = request.GET.get("language")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            # Lax: another site can set it only through a link the person follows (Django's default is None).
            samesite="Lax",
        )
    add_never_cache_headers(response)
    return response
