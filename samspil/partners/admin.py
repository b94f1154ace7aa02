"""Django admin (platform administrators only): caseworkers' departments, and a read view of
partners. Organisations keep their partner register in Samspil's own pages."""

from django.contrib import admin

from samspil.core.admin import admin_site
from samspil.partners.models import CaseworkerProfile, Partner


@admin.register(CaseworkerProfile, site=admin_site)
class CaseworkerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]
    list_filter = ["department"]
    raw_id_fields = ["user"]


@admin.register(Partner, site=admin_site)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "municipality", "linked_organisation",
                    "active"]
    list_filter = ["kind", "organisation"]
