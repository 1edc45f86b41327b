"""A sandbox hotel and its Odoo property, set up over RPC as an administrator would, for the
Rates & Availability grid's browser test and benchmark: room types with rooms, a fixed-price
plan, a pricelist plan and a third plan, all sent to the sandbox once."""
import uuid
from datetime import date, timedelta


def create_grid_hotel(rpc, sandbox, room_units, name="Grid hotel", plans=("BAR", "NRF", "FLEX"),
                      bookings=0):
    """Returns ``{"code", "backend_id", "room_types": {code: type id}, "plans": {code: id}}``.

    ``room_units``: ``{room type code: rooms}``. The first plan has fixed prices, the second
    takes 10 % off the room's list price through a pricelist, the others have fixed prices too.
    ``bookings`` front-desk reservations are spread over the first weeks.
    """
    suffix = uuid.uuid4().hex[:4].upper()
    hotel = sandbox.new_hotel(room_units, rate_plans=[
        {"code": plan, "name": plan, "room_types": list(room_units)} for plan in plans])
    backend_id = rpc.call("phobs.backend", "create", {
        "name": "%s %s" % (name, suffix), "hotel_code": hotel["code"], "environment": "demo",
        "base_url": sandbox.url, "auth_mode": "oauth2",
        "client_id": hotel["credentials"]["client_id"],
        "client_secret": hotel["credentials"]["client_secret"]})
    eur = rpc.ref("base.EUR")
    rpc.call("res.currency", "write", [eur], {"active": True})
    type_ids, room_ids = {}, {}
    for index, (code, units) in enumerate(room_units.items()):
        type_ids[code] = rpc.call("hotel.room.type", "create", {
            "name": "%s %s" % (_room_name(code, index), suffix), "phobs_backend_id": backend_id,
            "phobs_code": code})
        room_ids[code] = [rpc.call("hotel.room", "create", {
            "name": "G%s-%s-%d" % (suffix, code, number), "room_categ_id": type_ids[code],
            "capacity": 3, "list_price": 90 + 10 * (index % 8)}) for number in range(units)]
    pricelist = rpc.call("product.pricelist", "create", {
        "name": "Non-refundable %s" % suffix, "currency_id": eur,
        "item_ids": [(0, 0, {"applied_on": "3_global", "compute_price": "percentage",
                             "percent_price": 10})]})
    plan_ids = {}
    today = date.today()
    for index, plan in enumerate(plans):
        values = {"backend_id": backend_id, "code": plan, "name": _plan_name(plan),
                  "currency_id": eur, "room_type_codes": ", ".join(room_units),
                  "sequence": index}
        if index == 1:
            values.update(price_source="pricelist", pricelist_id=pricelist)
        plan_ids[plan] = rpc.call("phobs.rate.plan", "create", values)
        if index == 1:
            continue
        for type_index, code in enumerate(room_units):
            base = 100 + 10 * type_index + 15 * index
            rpc.call("phobs.rate.price", "create", {
                "rate_plan_id": plan_ids[plan], "room_type_code": code,
                "date_from": str(today), "date_to": str(today + timedelta(days=364)),
                "amount": base})
    _book(rpc, type_ids, room_ids, bookings, today)
    rpc.call("phobs.backend", "action_full_resync", [backend_id])
    return {"code": hotel["code"], "backend_id": backend_id, "room_types": type_ids,
            "plans": plan_ids, "sandbox_hotel": hotel}


def archive_grid_hotel(rpc, grid_hotel):
    """Takes the property out of the dashboards other tests read."""
    rpc.call("phobs.backend", "write", [grid_hotel["backend_id"]], {"active": False})


def _book(rpc, type_ids, room_ids, count, today):
    """Two-night stays, a room type after the other; a type's next stay is 20 days later."""
    if not count:
        return
    partner = rpc.call("res.partner", "create", {"name": "Grid guest"})
    pricelist = rpc.ref("product.list0")
    codes = list(room_ids)
    for number in range(count):
        code = codes[number % len(codes)]
        arrival = today + timedelta(days=1 + (number * 3) % 40)
        reservation = rpc.call("hotel.reservation", "create", {
            "partner_id": partner, "partner_invoice_id": partner, "partner_order_id": partner,
            "partner_shipping_id": partner, "pricelist_id": pricelist,
            "checkin": "%s 14:00:00" % arrival,
            "checkout": "%s 11:00:00" % (arrival + timedelta(days=2)), "adults": 1,
            "reservation_line": [(0, 0, {
                "categ_id": type_ids[code],
                "reserve": [(6, 0, [room_ids[code][number // len(codes) % len(room_ids[code])]])],
            })],
        })
        rpc.call("hotel.reservation", "confirmed_reservation", [reservation])


_ROOM_NAMES = ["Single", "Double", "Twin", "Junior Suite", "Family", "Sea View Double",
               "Superior Double", "Apartment"]
_NAMES_BY_PREFIX = {"SGL": "Single", "DBL": "Double", "TWN": "Twin", "FAM": "Family",
                    "APT": "Apartment"}


def _room_name(code, index):
    if code[:3] in _NAMES_BY_PREFIX:
        return _NAMES_BY_PREFIX[code[:3]]
    name = _ROOM_NAMES[index % len(_ROOM_NAMES)]
    return name if index < len(_ROOM_NAMES) else "%s %d" % (name, index // len(_ROOM_NAMES) + 1)


def _plan_name(code):
    return {"BAR": "Best Available Rate", "NRF": "Non-refundable",
            "FLEX": "Flexible with breakfast"}.get(code, code)
