from django.urls import path

from accounts import two_factor_views

urlpatterns = [
    path("", two_factor_views.two_factor_account, name="two_factor_account"),
    path("enrol/", two_factor_views.two_factor_enrol, name="two_factor_enrol"),
    path("verify/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("recovery-codes/", two_factor_views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
]
