"""The demo's orders worked on the department's tablet (kiosk/cases/order_work.py): progress
notes, and most completions with the customer's signature, some with a photo, the fee
confirmed on site when the order was priced there."""

import io
from datetime import timedelta

from kiosk.cases import order_work, orders
from kiosk.models.case_orders import ProgressKind

ARRIVED_NOTES = ("已到现场，开始检查", "到场，业主在家", None)
PARTS_NOTES = ("需更换角阀，回仓库取件", "灯座老化，需换新件")
SITE_FEES = (0, 2000, 3500, 5000, 8000)


def _photo(site, rng):
    from flask import current_app
    from PIL import Image, ImageDraw

    from kiosk import photos

    image = Image.new("RGB", (640, 480), (rng.randint(150, 230), rng.randint(150, 230), rng.randint(150, 230)))
    ImageDraw.Draw(image).rectangle([200, 150, 440, 330], outline=(60, 60, 60), width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return photos.store(photos.root(current_app.config, current_app.instance_path), site.id, buffer.getvalue())


def work(order, rng, engineer, dispatched, finished, signature) -> None:
    """Arrived (and sometimes parts needed) between dispatch and the end, then done on the tablet."""
    arrived = dispatched + (finished - dispatched) / 3
    order_work.add_progress(
        order, engineer, kind=ProgressKind.ARRIVED, note=rng.choice(ARRIVED_NOTES), at=arrived, received=arrived
    )
    if rng.random() < 0.3:
        later = arrived + timedelta(minutes=20)
        order_work.add_progress(
            order, engineer, kind=ProgressKind.PARTS_NEEDED, note=rng.choice(PARTS_NOTES), at=later, received=later
        )
    if rng.random() < 0.2:  # done on the console, as before the tablets
        orders.complete(order, engineer, "已修复，业主现场确认", finished)
        return
    order_work.complete_on_site(
        order,
        engineer,
        note="已修复，业主现场确认并签字",
        photos=[_photo(order.site, rng)] if rng.random() < 0.25 else [],
        signature=signature,
        site_fee_cents=rng.choice(SITE_FEES) if order.fee_cents is None else None,
        at=finished,
        received=finished,
    )
