from django.urls import path

from twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.account, name="account"),
    path("enrol/", views.enrol, name="enrol"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
