from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.households import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("member-row/", views.member_row, name="member_row"),
    path("postcode-town/", views.postcode_town, name="postcode_town"),
    path("<id:pk>/", views.household_detail, name="detail"),
    path("<id:pk>/edit/", views.household_edit, name="edit"),
    path("<id:pk>/members/", views.household_members, name="members"),
    path("<id:pk>/consents/", views.household_consents, name="consents"),
    path("<id:pk>/consents/<id:consent_pk>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
    path("<id:pk>/needs/", views.household_needs, name="needs"),
    path("<id:pk>/audit/", views.household_audit, name="audit"),
]
