from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from accounts.models import AuditEvent, Membership, Unit


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the app and never edited (the model refuses it as well)."""

    actions = None
    list_display = ["at", "actor", "action", "target_type", "target_id", "unit"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
