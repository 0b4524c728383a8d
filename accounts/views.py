import time
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods, require_safe

from accounts import services
from accounts.access import get_managed_unit_for_user, get_member_for_user, get_unit_for_user, may_manage_unit
from accounts.devices import remember_device
from accounts.forms import LoginForm, MemberAddForm, MemberRolesForm, PasswordResetForm, PreferencesForm
from accounts.home import ROLE_DESCRIPTIONS, home_cards
from accounts.roles import Role
from accounts.selectors import memberships_of, preferences_of, unit_members
from accounts.tokens import invitation_token_generator
from audit.services import audit_log
from usersessions.middleware import SESSION_STARTED_KEY
from usersessions.services import end_sessions


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    memberships = memberships_of(request.user)
    roles = sorted({Role(m.role) for m in memberships}, key=list(ROLE_DESCRIPTIONS).index)
    return render(
        request,
        "home.html",
        {
            "memberships": memberships,
            "role_descriptions": [ROLE_DESCRIPTIONS[role] for role in roles],
            "cards": home_cards(request.user),
        },
    )


@login_required
@require_safe
def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, slug)
    audit_log(actor=request.user, action="unit.viewed", target=unit, unit=unit)
    memberships = unit_members(unit)
    return render(
        request,
        "accounts/unit_detail.html",
        {"unit": unit, "memberships": memberships, "may_manage": may_manage_unit(request.user, unit)},
    )


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[SESSION_STARTED_KEY] = time.time()
        audit_log(actor=self.request.user, action="auth.login")
        remember_device(self.request, response, self.request.user.get_username())
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_log(actor=request.user, action="auth.logout")
        response = super().post(request, *args, **kwargs)
        # Tell the browser to drop what it cached or stored for this site (a shared computer).
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(actor=self.request.user, action="auth.password_changed")
        # Whoever else holds a session of this person (another device, someone who learnt the old password)
        # is logged out; this one was renewed under a new key by the password change.
        end_sessions(self.request.user, actor=self.request.user, keep=self.request.session.session_key)
        return response


# --- The people of a unit ------------------------------------------------------------------------------------


def _person_label(user: Any) -> str:
    return user.get_full_name() or user.email or user.username


@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager of the unit (or an administrator) adds a person by e-mail with a role; a new person is invited."""
    unit = get_managed_unit_for_user(request.user, slug)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.member_add(by=request.user, unit=unit, **form.cleaned_data)
        except services.MemberError as error:
            form.add_error("email", str(error))
        else:
            if added.invited:
                message = gettext("%(name)s has the role and was sent an invitation to set a password.")
            else:
                message = gettext("%(name)s has the role.")
            messages.success(request, message % {"name": _person_label(added.user)})
            return redirect("unit_detail", slug=unit.slug)
    return render(request, "accounts/member_add.html", {"unit": unit, "form": form})


@login_required
def member_detail(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    """One person's roles in the unit: change them, invite her again, or deactivate her."""
    unit = get_managed_unit_for_user(request.user, slug)
    person = get_member_for_user(request.user, unit, username)
    current = [m.role for m in unit.memberships.filter(user=person)]
    form = MemberRolesForm(initial={"roles": current})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "deactivate":
            try:
                services.person_deactivate(by=request.user, user=person)
            except services.MemberError as error:
                messages.error(request, str(error))
                return redirect("member_detail", slug=unit.slug, username=person.username)
            messages.success(request, gettext("%(name)s is deactivated.") % {"name": _person_label(person)})
            return redirect("unit_detail", slug=unit.slug)
        if action == "invite" and person.is_active and not person.has_usable_password():
            services.invitation_send(by=request.user, user=person)
            messages.success(request, gettext("The invitation was sent again."))
            return redirect("member_detail", slug=unit.slug, username=person.username)
        form = MemberRolesForm(request.POST)
        if form.is_valid():
            services.member_roles_set(by=request.user, unit=unit, user=person, roles=form.cleaned_data["roles"])
            messages.success(request, gettext("The roles of %(name)s are saved.") % {"name": _person_label(person)})
            if not form.cleaned_data["roles"]:
                return redirect("unit_detail", slug=unit.slug)
            return redirect("member_detail", slug=unit.slug, username=person.username)
    return render(
        request,
        "accounts/member_detail.html",
        {
            "unit": unit,
            "person": person,
            "form": form,
            "invited": person.is_active and not person.has_usable_password(),
            "may_deactivate": services.may_deactivate(by=request.user, user=person),
        },
    )


def client_address(request: HttpRequest) -> str:
    """The client's address as the login lockout counts it (behind ``DJANGO_PROXY_COUNT`` proxies)."""
    return get_client_ip_address(request) or ""


# --- One-time links: the invitation and the password reset ------------------------------------------------


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """A new person sets her first password from the invitation's one-time link, then logs in (and enrols
    two-factor login where her roles require it)."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(actor=form.user, action="auth.invitation_accepted", target=form.user)
        messages.success(self.request, gettext("Your password is set. Log in with your e-mail address."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client_address": client_address(self.request)}

    def form_valid(self, form):
        # The links point at the site's public address, not at whatever Host the request named.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(actor=form.user, action="auth.password_reset", target=form.user)
        # Whoever holds a session of this person (someone who knew the old password) is logged out.
        end_sessions(form.user, actor=form.user)
        return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The person's own preferences: the language of her e-mail and whether she gets the daily reminder."""
    preferences = preferences_of(request.user)
    form = PreferencesForm(
        request.POST or None,
        initial={"language": preferences.language, "daily_reminder": preferences.daily_reminder},
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, **form.cleaned_data)
        language = form.cleaned_data["language"]
        with translation.override(language):
            messages.success(request, gettext("Your preferences are saved."))
        response = redirect("account")
        # The pages follow the language chosen here too, as the language switcher would.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/account.html", {"form": form})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher (the cookie, and back to the page), which for a signed-in person also saves the
    language as her own preference: the daily reminder is then written in it too."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.preferences_language_set(user=request.user, language=language)
    return response
