"""Demo print orders in different states, with fixed ids (the permission matrix uses them). Safe to repeat:
an order that exists is left as it is."""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import CENTRE_A, UNIVERSITY
from printing.models import PrintOrder, PrintOrderEvent
from routines.selectors import get_published_routine

# uuid5 of fixed names: the same ids on every machine.
NEW_ORDER = uuid.uuid5(uuid.NAMESPACE_URL, "krisestotte:demo:print-order:new")
ACCEPTED_ORDER = uuid.uuid5(uuid.NAMESPACE_URL, "krisestotte:demo:print-order:accepted")
DELIVERED_ORDER = uuid.uuid5(uuid.NAMESPACE_URL, "krisestotte:demo:print-order:delivered")


@transaction.atomic
def seed_print_orders(*, units: dict, users: dict) -> list[PrintOrder]:
    today = timezone.localdate()
    plans = [
        # (id, routine, orderer, unit, copies, wanted in days, steps taken by the print shop)
        (NEW_ORDER, "vold-og-trusler", "editor", UNIVERSITY, 200, 14, []),
        (
            ACCEPTED_ORDER,
            "selvmordsfare-og-alvorlig-sykdom",
            "manager",
            CENTRE_A,
            50,
            7,
            ["Accepted, print on Monday."],
        ),
        (
            DELIVERED_ORDER,
            "alvorlig-hendelse-utvekslingsstudenter",
            "editor",
            UNIVERSITY,
            100,
            3,
            ["Accepted.", "Printed on 170 g silk.", "Left at the reception."],
        ),
    ]
    orders = []
    for pk, slug, orderer, unit, quantity, days, steps in plans:
        existing = PrintOrder.objects.filter(pk=pk).first()
        if existing:
            orders.append(existing)
            continue
        version = get_published_routine(slug)
        order = PrintOrder.objects.create(
            id=pk,
            routine=version.routine,
            version=version,
            lang="nb",
            quantity=quantity,
            delivery_unit=units[unit],
            delivery_address="Bygg A, 2. etasje, resepsjonen",
            wanted_by=today + timedelta(days=days),
            ordered_by=users[orderer],
        )
        PrintOrderEvent.objects.create(order=order, status=order.status, by=users[orderer])
        for note in steps:
            order.status = PrintOrder.NEXT_STATUS[order.status]
            PrintOrderEvent.objects.create(order=order, status=order.status, note=note, by=users["printshop"])
        order.save()
        orders.append(order)
    return orders
