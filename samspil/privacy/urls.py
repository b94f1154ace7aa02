from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("break-the-glass/", views.break_glass, name="break_glass"),
    path("households/<id:pk>/", views.household, name="household"),
    path("households/<id:pk>/export.json", views.export_json, name="export_json"),
    path("households/<id:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("households/<id:pk>/restrict/", views.restrict, name="restrict"),
    path("households/<id:pk>/lift/", views.lift, name="lift"),
    path("households/<id:pk>/erase/", views.erase, name="erase"),
    path("households/<id:pk>/follow-up/withdraw/", views.followup_withdraw,
         name="followup_withdraw"),
]
