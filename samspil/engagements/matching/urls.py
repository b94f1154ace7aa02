from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.engagements.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.index, name="index"),
    path("engagements/<id:pk>/", views.suggestions, name="suggestions"),
    path("engagements/<id:pk>/match/", views.match, name="match"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/queued/<uuid:task_id>/", views.plan_pending, name="plan_pending"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/proposals/<id:proposal_pk>/", views.proposal_edit, name="proposal"),
    path("plans/<id:pk>/proposals/<id:proposal_pk>/remove/", views.proposal_remove,
         name="proposal_remove"),
    path("plans/<id:pk>/confirm/", views.plan_confirm, name="plan_confirm"),
    path("plans/<id:pk>/discard/", views.plan_discard, name="plan_discard"),
]
