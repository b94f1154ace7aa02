from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<id:pk>/revoke/", views.token_revoke, name="revoke"),
]
