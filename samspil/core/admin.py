"""Django admin, for the platform's administrators (superusers) only.

Organisation administrators and coordinators work in Samspil's own pages, which are scoped to
their organisation; the admin is not, so it is closed to them.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from samspil.core.models import AuditEvent, Branch, Municipality, Organisation, Postcode, User


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Samspil"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


admin_site = SuperuserAdminSite(name="admin")


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]


@admin.register(Branch, site=admin_site)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "municipality"]
    list_filter = ["organisation"]


@admin.register(Municipality, site=admin_site)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region_name"]
    search_fields = ["name", "code"]


@admin.register(Postcode, site=admin_site)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "town", "municipality"]
    search_fields = ["code", "town"]


@admin.register(User, site=admin_site)
class SamspilUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["organisation", "role", "is_active"]
    fieldsets = UserAdmin.fieldsets + (
        ("Samspil", {"fields": ("organisation", "role", "branches")}),
    )


@admin.register(AuditEvent, site=admin_site)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only for everyone, administrators included."""

    list_display = ["at", "actor", "organisation", "action", "object_type", "object_id"]
    list_filter = ["action", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
