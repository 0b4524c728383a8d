"""The admin's "lost phone" reset of two-factor login, on the user list; and no django-otp device pages."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log
from twofactor.services import two_factor_reset

User = get_user_model()


@admin.action(description=_("Reset two-factor login (lost phone)"), permissions=["change"])
def reset_two_factor(modeladmin, request, queryset):
    """Remove the chosen people's authenticators and recovery codes and end their sessions; they set up
    two-factor login again at their next login. Audit-logged per person (auth.otp_reset). Only those who may
    change users run it, and only a superuser resets a superuser."""
    if not request.user.is_superuser and queryset.filter(is_superuser=True).exists():
        modeladmin.message_user(
            request, _("Only a superuser can reset a superuser's two-factor login."), messages.ERROR
        )
        return
    count = 0
    for user in queryset:
        two_factor_reset(actor=request.user, user=user)
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "Two-factor login was reset for %(count)d person. They set it up again at their next login.",
            "Two-factor login was reset for %(count)d people. They set it up again at their next login.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


if admin.site.is_registered(User):
    _user_admin_class = type(admin.site._registry[User])
    admin.site.unregister(User)
else:  # pragma: no cover - django.contrib.auth always registers it
    _user_admin_class = UserAdmin


def _without_raw_access(fieldsets):
    """The admin's fieldsets less the raw groups and permissions: a role is a membership, given on the unit
    page (accounts.views) through accounts.services, never a group ticked here."""
    hidden = {"groups", "user_permissions"}
    return tuple(
        (name, {**options, "fields": tuple(f for f in options["fields"] if f not in hidden)})
        for name, options in fieldsets
    )


@admin.register(User)
class TwoFactorUserAdmin(_user_admin_class):  # type: ignore[valid-type,misc]  # whichever admin was registered
    actions = [*(_user_admin_class.actions or []), reset_two_factor]
    list_display = [*_user_admin_class.list_display, "two_factor"]
    fieldsets = _without_raw_access(_user_admin_class.fieldsets)
    list_filter = [f for f in _user_admin_class.list_filter if f != "groups"]
    filter_horizontal = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Whatever a posted form names, groups and permissions are no fields of it.
        kwargs["exclude"] = [*(kwargs.get("exclude") or []), "groups", "user_permissions"]
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        deactivated = change and "is_active" in form.changed_data and not obj.is_active
        if deactivated:
            obj._deactivated_by = request.user  # usersessions.signals logs the ended sessions with who did it
        super().save_model(request, obj, form, change)
        if deactivated:
            audit_log(actor=request.user, action="member.deactivated", target=obj)

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed))

    @admin.display(boolean=True, description=_("Two-factor login"), ordering="has_two_factor")
    def two_factor(self, user):
        return user.has_two_factor


# Groups carry the roles' permissions, kept in step with the code by accounts.services: not edited by hand.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# django-otp's own device pages are not offered: an administrator could type a known key into a person's
# authenticator there. Resetting (the action above) is the one thing an administrator does with devices.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
