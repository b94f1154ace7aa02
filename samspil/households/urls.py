from django.urls import path

from samspil.households import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("member-row/", views.member_row, name="member_row"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/members/", views.household_members, name="members"),
    path("<int:pk>/consents/", views.household_consents, name="consents"),
    path("<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw,
         name="consent_withdraw"),
    path("<int:pk>/needs/", views.household_needs, name="needs"),
    path("<int:pk>/audit/", views.household_audit, name="audit"),
]
