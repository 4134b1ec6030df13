"""Routes of the order page and its actions, on-behalf/test orders, import and stock."""

from django.urls import path

from .views import imports, order_actions, order_changes, order_new, order_page, shipping, stock

urlpatterns = [
    path("orders/new/", order_new.order_new, name="order_new"),
    path("orders/new/customers/", order_new.customer_finder, name="order_new_customers"),
    path("orders/new/products/", order_new.product_finder, name="order_new_products"),
    path("orders/test/", order_new.order_test, name="order_test"),
    path("orders/import/", imports.import_upload, name="order_import"),
    path("orders/import/confirm/", imports.import_confirm, name="order_import_confirm"),
    path("orders/<int:number>/", order_page.order_page, name="order"),
    path("orders/<int:number>/confirm/", order_actions.order_confirm, name="order_confirm"),
    path("orders/<int:number>/process/", order_actions.order_process, name="order_process"),
    path("orders/<int:number>/deliver/", order_actions.order_deliver, name="order_deliver"),
    path("orders/<int:number>/close/", order_actions.order_close, name="order_close"),
    path("orders/<int:number>/cancel/", order_actions.order_cancel, name="order_cancel"),
    path("orders/<int:number>/mark-paid/", order_actions.order_mark_paid, name="order_mark_paid"),
    path("orders/<int:number>/refund/", order_actions.order_refund, name="order_refund"),
    path(
        "orders/<int:number>/refund/preview/",
        order_actions.order_refund_preview,
        name="order_refund_preview",
    ),
    path("orders/<int:number>/manager/", order_actions.order_manager, name="order_manager"),
    path("orders/<int:number>/customer/", order_actions.order_customer, name="order_customer"),
    path("orders/<int:number>/customers/", order_actions.customer_picker, name="order_customers"),
    path("orders/<int:number>/notes/", order_actions.note_add, name="order_note_add"),
    path("orders/<int:number>/notes/<int:note_id>/", order_actions.note_edit, name="order_note_edit"),
    path(
        "orders/<int:number>/notes/<int:note_id>/delete/",
        order_actions.note_delete,
        name="order_note_delete",
    ),
    path(
        "orders/<int:number>/notes/<int:note_id>/reminder-done/",
        order_actions.note_reminder_done,
        name="order_note_reminder_done",
    ),
    # Shipping (R-FUL): fulfil by hand, a carrier label, shipments by their number within the order.
    path("orders/<int:number>/fulfil/", shipping.ship_manual, name="order_fulfil"),
    path("orders/<int:number>/ship/rates/", shipping.ship_rates, name="order_ship_rates"),
    path("orders/<int:number>/ship/label/", shipping.ship_label, name="order_ship_label"),
    path("orders/<int:number>/packing-slip.pdf", shipping.packing_slip, name="order_packing_slip"),
    path("orders/<int:number>/returns/", shipping.order_return, name="order_return"),
    path(
        "orders/<int:number>/shipments/<int:shipment>/label.pdf",
        shipping.shipment_label,
        name="shipment_label",
    ),
    path(
        "orders/<int:number>/shipments/<int:shipment>/track/", shipping.shipment_track, name="shipment_track"
    ),
    path(
        "orders/<int:number>/shipments/<int:shipment>/deliver/",
        shipping.shipment_deliver,
        name="shipment_deliver",
    ),
    path("orders/<int:number>/shipments/<int:shipment>/void/", shipping.shipment_void, name="shipment_void"),
    path("orders/<int:number>/shipments/<int:shipment>/edit/", shipping.shipment_edit, name="shipment_edit"),
    path("orders/<int:number>/changes/", order_changes.order_change, name="order_change"),
    path(
        "orders/<int:number>/lines/<int:line_id>/substitute/",
        order_changes.line_substitute,
        name="order_line_substitute",
    ),
    path(
        "orders/<int:number>/lines/<int:line_id>/cancel/", order_changes.line_cancel, name="order_line_cancel"
    ),
    path("stock/", stock.stock_list, name="stock"),
    path("stock/<str:sku>/", stock.stock_edit, name="stock_edit"),
]
