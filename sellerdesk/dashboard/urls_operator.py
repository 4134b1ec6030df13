"""Routes of the marketplace operator's area and of the seller's balance (R-PAY-8)."""

from django.urls import path

from .views import earnings, operator

urlpatterns = [
    path("balance/", earnings.balance, name="balance"),
    path("payouts/<int:payout_id>/", earnings.payout, name="payout"),
    path("operator/", operator.home, name="operator_home"),
    path("operator/sellers/<int:seller_id>/plan/", operator.assign_plan, name="operator_assign_plan"),
    path("operator/sellers/<int:seller_id>/payouts/", operator.payout_create, name="operator_payout_create"),
    path("operator/plans/", operator.plans, name="operator_plans"),
    path("operator/plans/<int:plan_id>/", operator.plan_edit, name="operator_plan_edit"),
    path("operator/payouts/", operator.payouts, name="operator_payouts"),
    path("operator/payouts/<int:payout_id>/", operator.payout, name="operator_payout"),
    path("operator/requests/", operator.requests, name="operator_requests"),
    path("operator/requests/<int:request_id>/", operator.request_decide, name="operator_request_decide"),
]
