from django.urls import include, path

from samspil.api.site import api
from samspil.core.admin import admin_site

urlpatterns = [
    path("", include("samspil.core.urls")),
    path("households/", include("samspil.households.urls")),
    path("volunteers/", include("samspil.volunteers.urls")),
    path("engagements/", include("samspil.engagements.urls")),
    path("christmas/", include("samspil.christmas.urls")),
    path("matching/", include("samspil.engagements.matching.urls")),
    path("tokens/", include("samspil.api.urls")),
    path("api/", api.urls),
    path("activities/", include("samspil.activities.urls")),
    path("outcomes/", include("samspil.outcomes.urls")),
    path("partners/", include("samspil.partners.urls")),
    path("privacy/", include("samspil.privacy.urls")),
    path("import/", include("samspil.imports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin_site.urls),
    path("accounts/", include("samspil.security.urls")),
]
