"""Who is linked to which single sign-on provider: read-only, and a link can be deleted (the person links again
by her verified e-mail address at her next login). The provider's second-factor devices are not offered."""

from django.contrib import admin

from sso.models import Identity


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "created_at", "last_login_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "provider", "subject", "created_at", "last_login_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
