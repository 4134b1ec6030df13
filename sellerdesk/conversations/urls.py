"""Routes of conversations inside the dashboard (staff and operator; namespace "dashboard")."""

from django.urls import path

from . import views

urlpatterns = [
    path("orders/<int:number>/messages/", views.order_thread, name="order_thread"),
    path(
        "orders/<int:number>/messages/files/<int:attachment_id>/",
        views.order_attachment,
        name="order_message_file",
    ),
    path("orders/<int:number>/feedback/remind/", views.feedback_remind, name="order_feedback_remind"),
    path("orders/<int:number>/complaints/", views.complaint_add, name="order_complaint_add"),
    path("operator/complaints/", views.operator_complaints, name="operator_complaints"),
    path(
        "operator/complaints/<int:complaint_id>/",
        views.operator_complaint_hide,
        name="operator_complaint_hide",
    ),
]

# The customer's page: no login, the token in the address is the key (outside the namespace).
customer_urlpatterns = [
    path("track/<str:token>/conversation/", views.customer_from_tracking, name="customer_from_tracking"),
    path("m/<str:token>/", views.customer_thread, name="customer_thread"),
    path("m/<str:token>/feedback/", views.customer_feedback, name="customer_feedback"),
    path("m/<str:token>/files/<int:attachment_id>/", views.customer_attachment, name="customer_message_file"),
]
