from django.urls import path

from routines import views

# /print-orders/: the print shop's queue and the orderers' own orders. Orders have opaque UUIDs.
urlpatterns = [
    path("", views.print_order_list, name="print_order_list"),
    path("new/", views.print_order_new, name="print_order_new"),
    path("<uuid:pk>/", views.print_order_detail, name="print_order_detail"),
    path("<uuid:pk>/advance/", views.print_order_advance_view, name="print_order_advance"),
    path("<uuid:pk>/reissue/", views.print_order_reissue_view, name="print_order_reissue"),
    path("<uuid:pk>/folder.pdf", views.print_order_pdf, name="print_order_pdf"),
]
