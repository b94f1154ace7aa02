from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.activities import views

app_name = "activities"
urlpatterns = [
    # Coordinators and organisation administrators.
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("kinds/", views.kind_list, name="kinds"),
    path("<id:pk>/", views.activity_detail, name="detail"),
    path("<id:pk>/edit/", views.activity_edit, name="edit"),
    path("<id:pk>/sessions/", views.session_add, name="session_add"),
    path("<id:pk>/signups/", views.signup_create, name="signup"),
    path("<id:pk>/signups/<id:signup_pk>/cancel/", views.signup_cancel, name="cancel"),
    path("<id:pk>/signups/<id:signup_pk>/link/", views.signup_link, name="link"),
    path("networks/", views.network_list, name="networks"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<id:pk>/", views.network_detail, name="network_detail"),
    path("networks/<id:pk>/edit/", views.network_edit, name="network_edit"),
    path("networks/<id:pk>/members/", views.network_member_add, name="member_add"),
    path("networks/<id:pk>/members/<id:membership_pk>/leave/", views.network_member_leave,
         name="member_leave"),
    path("household/<id:household_pk>/", views.household_participation, name="participation"),
    # Organisation administrators: the national office's figures.
    path("figures/", views.figures, name="figures"),
    # Coordinators and the volunteers in charge: attendance on a phone.
    path("<id:pk>/sessions/<id:session_pk>/attendance/", views.attendance, name="attendance"),
    path("mine/", views.my_activities, name="mine"),
    # Anyone with the link, no login.
    path("join/<uuid:key>/", views.public_signup, name="public_signup"),
]
