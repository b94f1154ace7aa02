from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.engagements import views

app_name = "engagements"
urlpatterns = [
    # Coordinators and organisation administrators.
    path("", views.engagement_list, name="list"),
    path("waiting/", views.waiting_list, name="waiting"),
    path("figures/", views.duration_figures, name="figures"),
    path("hours/", views.volunteer_hours, name="hours"),
    path("refer/<id:household_pk>/", views.engagement_refer, name="refer"),
    path("<id:pk>/", views.engagement_detail, name="detail"),
    path("<id:pk>/wait/", views.engagement_move, {"move": "wait"}, name="wait"),
    path("<id:pk>/match/", views.engagement_move, {"move": "match"}, name="match"),
    path("<id:pk>/start/", views.engagement_move, {"move": "start"}, name="start"),
    path("<id:pk>/end/", views.engagement_move, {"move": "end"}, name="end"),
    path("<id:pk>/goals/", views.goal_add, name="goal_add"),
    # Also volunteers, for their own engagements (mark a step reached from the phone).
    path("<id:pk>/goals/<id:goal_pk>/", views.goal_update, name="goal_update"),
    # Volunteers: their own families, on the phone.
    path("mine/", views.my_families, name="mine"),
    path("mine/<id:pk>/", views.my_engagement, name="my_detail"),
    path("mine/<id:pk>/meeting/", views.log_meeting, name="log_meeting"),
]
