from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.partners import views
from samspil.partners.models import Direction

app_name = "partners"
urlpatterns = [
    # Coordinators and organisation administrators: the partner register and referrals.
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create, name="create"),
    path("<id:pk>/", views.partner_detail, name="detail"),
    path("<id:pk>/edit/", views.partner_edit, name="edit"),
    path("<id:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<id:pk>/agreements/", views.agreement_add, name="agreement_add"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<id:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<id:pk>/move/", views.referral_move, name="referral_move"),
    path("households/<id:household_pk>/", views.household_partners, name="household"),
    path("households/<id:household_pk>/refer-in/", views.referral_create,
         {"direction": Direction.IN}, name="refer_in"),
    path("households/<id:household_pk>/refer-out/", views.referral_create,
         {"direction": Direction.OUT}, name="refer_out"),
    # The shared family plan: coordinators and the caseworkers with access.
    path("plans/<id:household_pk>/", views.plan_detail, name="plan"),
    path("plans/<id:household_pk>/goals/", views.plan_goal_add, name="plan_goal_add"),
    path("plans/<id:household_pk>/actions/", views.plan_action_add, name="plan_action_add"),
    path("plans/<id:household_pk>/actions/<id:action_pk>/", views.plan_action_update,
         name="plan_action_update"),
    path("plans/<id:household_pk>/reviews/", views.plan_review_add, name="plan_review_add"),
    path("plans/<id:household_pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    # Municipal caseworkers.
    path("caseworker/", views.caseworker_households, name="caseworker_households"),
    path("caseworker/<id:household_pk>/", views.caseworker_household,
         name="caseworker_household"),
]
