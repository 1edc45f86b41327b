"""The chain benchmark's database: N properties with their room types, rooms, rate plans and a
year of front-desk bookings, built once into a template database and copied for each run.

What the ORM creates, what SQL inserts, and why:
- properties (``phobs.backend``), room types, rooms, rate plans and their prices are created
  through the ORM in this process, as an administrator would: they carry computed fields,
  products (a room is a product) and encrypted credentials that only the ORM gets right, and
  there are a few thousand of them;
- the year of bookings (tens of thousands of confirmed ``hotel.reservation`` with their
  ``hotel_reservation.line``, the line's room and the ``hotel.room.reservation.line`` that the
  availability computation reads) is inserted with COPY: through the ORM each booking costs a
  create, a confirmation that scans the room's earlier bookings and an outbox row, an hour of
  seeding for what a hotel accumulates over months. Nothing else reads these bookings before
  the benchmark's full resync, which sends what they leave free whatever the outbox says.
The outbox rows the ORM setup queued are dropped: the benchmark starts with a full resync.

The template is named after the seed parameters and the addons' source, so a second run with
the same parameters skips seeding (``CREATE DATABASE ... TEMPLATE``).
"""
import hashlib
import io
import random
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDONS = ("phobs_channel_manager", "hotel_frontdesk_bridge")
PLANS = ("BAR", "NRF", "FLEX")
#: Mean stay length in nights; the gap after a stay is drawn so rooms end ~occupancy full.
MEAN_STAY = 3


#: Python lines that shape the database: models, their fields and constraints.
_SCHEMA_LINE = re.compile(rb"^\s*(_name|_inherit|_inherits|_sql_constraints|_table|\w+ = fields\.)")


def seed_key(params):
    """``<parameters>_<schema>``: short hashes of the seed parameters and of what the addons
    install (model and field declarations, data files, the environment's stamp). A changed
    method keeps the template; a new field or view builds a new one."""
    schema = hashlib.sha256((ROOT / ".venv" / ".stamp").read_bytes())
    for addon in ADDONS:
        for path in sorted((ROOT / addon).rglob("*")):
            if not path.is_file() or path.suffix not in (".py", ".xml", ".csv"):
                continue
            schema.update(str(path.relative_to(ROOT)).encode())
            content = path.read_bytes()
            if path.suffix == ".py":
                content = b"\n".join(line for line in content.splitlines()
                                     if _SCHEMA_LINE.match(line))
            schema.update(content)
    parameters = hashlib.sha256(repr(sorted(params.items())).encode())
    return "%s_%s" % (parameters.hexdigest()[:6], schema.hexdigest()[:6])


def property_code(index):
    return "CH%03d" % (index + 1)


def credentials(code):
    """Each property's sandbox credentials, derived from its code (bench data, not secrets)."""
    return {"client_id": code.lower(), "client_secret": "chain-%s-secret" % code.lower(),
            "username": code.lower(), "password": "chain-%s-secret" % code.lower()}


def type_codes(params):
    return ["RT%02d" % (n + 1) for n in range(params["types"])]


def sandbox_hotel(code, params):
    """The sandbox's definition of a property: the same room types, units and plans."""
    codes = type_codes(params)
    return {"name": "Chain hotel %s" % code, "currency": "EUR", "timezone": "UTC",
            "credentials": credentials(code),
            "room_types": [{"code": c, "name": c, "units": params["rooms"]} for c in codes],
            "rate_plans": [{"code": plan, "name": plan, "room_types": codes}
                           for plan in PLANS[:params["plans"]]]}


def build_template(odoo, psql, template, params, log):
    """Creates ``template``: our addons installed (devenv/testdb.sh), then the chain seeded."""
    subprocess.run(["bash", str(ROOT / "devenv" / "testdb.sh"), template], check=True,
                   stdout=subprocess.DEVNULL)
    started = datetime.now()
    with odoo.api.Environment.manage(), odoo.registry(template).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"phobs_no_flush_trigger": True,
                                                           "tracking_disable": True})
        rooms = _create_properties(env, params, log)
        cr.commit()
        log("seed: properties, %d rooms, rate plans created through the ORM in %.0f s"
            % (len(rooms), (datetime.now() - started).total_seconds()))
        count = _copy_bookings(env, rooms, params)
        cr.execute("DELETE FROM phobs_outbox")
        cr.commit()
    log("seed: %d front-desk bookings inserted with COPY; template %s ready after %.0f s"
        % (count, template, (datetime.now() - started).total_seconds()))
    psql("VACUUM ANALYZE", database=template)


def _create_properties(env, params, log):
    """``[(room id, room type id)]`` of every property; everything through the ORM."""
    env.user.company_id.partner_id.tz = "UTC"
    eur = env.ref("base.EUR")
    eur.active = True
    today = date.today()
    half = today + timedelta(days=182)
    rooms = []
    for index in range(params["properties"]):
        code = property_code(index)
        secret = credentials(code)
        backend = env["phobs.backend"].create({
            "name": "Chain %s" % code, "hotel_code": code, "environment": "demo",
            "base_url": "http://127.0.0.1:9", "auth_mode": "oauth2",
            "client_id": secret["client_id"], "client_secret": secret["client_secret"],
            "webhook_secret": "bench-" + code, "currency_id": eur.id})
        for type_index, type_code in enumerate(type_codes(params)):
            room_type = env["hotel.room.type"].create({
                "name": "%s %s" % (code, type_code), "phobs_code": type_code,
                "phobs_backend_id": backend.id})
            for number in range(params["rooms"]):
                room = env["hotel.room"].create({
                    "name": "%s-%s-%d" % (code, type_code, number + 1),
                    "room_categ_id": room_type.id, "capacity": 3,
                    "list_price": 80 + 10 * (type_index % 8)})
                rooms.append((room.id, room_type.id))
        for plan_index, plan in enumerate(PLANS[:params["plans"]]):
            rate_plan = env["phobs.rate.plan"].create({
                "backend_id": backend.id, "code": plan, "name": plan, "currency_id": eur.id,
                "room_type_codes": ", ".join(type_codes(params)), "sequence": plan_index})
            for type_index, type_code in enumerate(type_codes(params)):
                base = 90 + 10 * type_index + 15 * plan_index
                # Two seasons, so rates are not one range per year.
                for start, end, amount in ((today, half - timedelta(days=1), base),
                                           (half, today + timedelta(days=364), base * 1.3)):
                    env["phobs.rate.price"].create({
                        "rate_plan_id": rate_plan.id, "room_type_code": type_code,
                        "date_from": str(start), "date_to": str(end),
                        "amount": round(amount, 2)})
        if (index + 1) % 10 == 0:
            log("seed: %d/%d properties" % (index + 1, params["properties"]))
    return rooms


def stays_of_room(rng, occupancy, first_day, days):
    """``[(arrival, nights)]`` filling about ``occupancy`` of the nights from ``first_day``."""
    mean_gap = MEAN_STAY * (1 - occupancy) / occupancy
    stays, day = [], rng.randint(0, int(2 * mean_gap))
    while day < days:
        nights = min(rng.randint(1, 2 * MEAN_STAY - 1), days - day)
        stays.append((first_day + timedelta(days=day), nights))
        day += nights + int(round(rng.uniform(0, 2 * mean_gap)))
    return stays


def _copy_bookings(env, rooms, params):
    """The year of bookings as confirmed reservations, one room each, inserted with COPY."""
    cr = env.cr
    partner = env["res.partner"].create({"name": "Chain guest"}).id
    pricelist = env.ref("product.list0").id
    warehouse = env["stock.warehouse"].search([], limit=1).id
    rng = random.Random(params["seed"])
    today = date.today()
    plan = [(room, room_type, arrival, nights) for room, room_type in rooms
            for arrival, nights in stays_of_room(rng, params["occupancy"], today, 365)]
    reservation_ids = _next_ids(cr, "hotel_reservation_id_seq", len(plan))
    line_ids = _next_ids(cr, "hotel_reservation_line_id_seq", len(plan))
    room_line_ids = _next_ids(cr, "hotel_room_reservation_line_id_seq", len(plan))
    now = datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
    reservations, lines, rels, room_lines = [], [], [], []
    for n, (room, room_type, arrival, nights) in enumerate(plan):
        checkin = "%s 14:00:00" % arrival
        checkout = "%s 11:00:00" % (arrival + timedelta(days=nights))
        reservations.append((reservation_ids[n], "CHN%07d" % (n + 1), now, warehouse, partner,
                             pricelist, partner, partner, partner, checkin, checkout, 1, 0,
                             "confirm", 1, now, 1, now))
        lines.append((line_ids[n], reservation_ids[n], room_type, 1, now, 1, now))
        rels.append((line_ids[n], room))
        room_lines.append((room_line_ids[n], room, checkin, checkout, "assigned",
                           reservation_ids[n], 1, now, 1, now))
    audit = ("create_uid", "create_date", "write_uid", "write_date")
    _copy(cr, "hotel_reservation", ("id", "reservation_no", "date_order", "warehouse_id",
                                    "partner_id", "pricelist_id", "partner_invoice_id",
                                    "partner_order_id", "partner_shipping_id", "checkin",
                                    "checkout", "adults", "children", "state")
          + audit, reservations)
    _copy(cr, "hotel_reservation_line", ("id", "line_id", "categ_id") + audit, lines)
    _copy(cr, "hotel_reservation_line_room_rel", ("hotel_reservation_line_id", "room_id"), rels)
    _copy(cr, "hotel_room_reservation_line", ("id", "room_id", "check_in", "check_out", "state",
                                              "reservation_id") + audit, room_lines)
    return len(plan)


def _next_ids(cr, sequence, count):
    cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)", (sequence, count))
    return [row[0] for row in cr.fetchall()]


def _copy(cr, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
    buffer.seek(0)
    cr.copy_expert("COPY %s (%s) FROM STDIN" % (table, ", ".join(columns)), buffer)
