from django.urls import path  # noqa: F401

import samspil.core.converters  # noqa: F401  (registers the "id" converter)

app_name = "matching"
urlpatterns: list = []
