from django.urls import path

import samspil.core.converters  # noqa: F401  (the "id" converter)
from samspil.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("<id:pk>/", views.job_detail, name="job_detail"),
    path("<id:pk>/import/", views.job_confirm, name="job_confirm"),
    path("example/<slug:kind>.csv", views.example, name="example"),
    path("export/<slug:list_name>.<slug:format>", views.list_export, name="export"),
]
