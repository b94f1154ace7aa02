from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("new/", views.volunteer_create, name="create"),
    path("slot-row/", views.slot_row, name="slot_row"),
    path("certificates/", views.certificate_overview, name="certificates"),
    path("<id:pk>/", views.volunteer_detail, name="detail"),
    path("<id:pk>/edit/", views.volunteer_edit, name="edit"),
    path("<id:pk>/availability/", views.volunteer_availability, name="availability"),
    path("<id:pk>/screening/", views.volunteer_screening, name="screening"),
    path("<id:pk>/screening/dates/", views.screening_dates, name="screening_dates"),
    path("<id:pk>/screening/certificates/<id:certificate_pk>/", views.certificate_assess,
         name="certificate_assess"),
]
