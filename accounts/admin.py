from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from accounts.models import Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Roles are granted with the seed command or accounts.services so groups stay in step.
        return False


@admin.register(Unit)
class UnitAdmin(GuardedModelAdmin):
    list_display = ["name", "slug", "kind"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
