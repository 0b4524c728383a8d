import time

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_safe

from accounts.access import get_unit_for_user
from accounts.home import ROLE_DESCRIPTIONS, home_cards
from accounts.roles import Role
from accounts.selectors import memberships_of, unit_members
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
    return render(request, "accounts/unit_detail.html", {"unit": unit, "memberships": memberships})


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[SESSION_STARTED_KEY] = time.time()
        audit_log(actor=self.request.user, action="auth.login")
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
