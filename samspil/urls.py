from django.urls import include, path

from samspil.core.admin import admin_site

urlpatterns = [
    path("", include("samspil.core.urls")),
    path("households/", include("samspil.households.urls")),
    path("volunteers/", include("samspil.volunteers.urls")),
    path("engagements/", include("samspil.engagements.urls")),
    path("christmas/", include("samspil.christmas.urls")),
    path("matching/", include("samspil.engagements.matching.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin_site.urls),
]
