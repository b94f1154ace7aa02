from django.urls import path

from samspil.security import views

app_name = "security"

urlpatterns = [
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.setup, name="setup"),
    path("two-factor/settings/", views.overview, name="overview"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm,
         name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete,
         name="password_reset_complete"),
]
