from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.christmas import views

app_name = "christmas"
urlpatterns = [
    # The public form: no login. The slug is random, not the round's id.
    path("apply/<slug:slug>/", views.apply, name="apply"),
    path("apply/<slug:slug>/receipt/", views.receipt, name="receipt"),
    # Organisation administrators and branch coordinators.
    path("", views.round_list, name="rounds"),
    path("new/", views.round_create, name="round_new"),
    path("<id:pk>/", views.round_queue, name="queue"),
    path("<id:pk>/edit/", views.round_edit, name="round_edit"),
    path("<id:pk>/allocate/", views.round_allocate, name="allocate"),
    path("<id:pk>/duplicates/", views.duplicates, name="duplicates"),
    path("<id:pk>/duplicates/detect/", views.duplicates_detect, name="detect"),
    path("<id:pk>/report/", views.round_report, name="report"),
    path("<id:pk>/linkage/", views.linkage, name="linkage"),
    path("<id:pk>/linkage/export/", views.linkage_export, name="linkage_export"),
    path("links/<id:pk>/", views.link_decide, name="link_decide"),
    path("applications/<id:pk>/", views.application_detail, name="application"),
    path("applications/<id:pk>/decide/", views.application_decide, name="decide"),
    path("applications/<id:pk>/delivery/", views.application_delivery, name="delivery"),
    path("applications/<id:pk>/offers/", views.offer_add, name="offer_add"),
    path("offers/<id:pk>/", views.offer_update, name="offer_update"),
]
