"""The soak's view of the running Odoo server over XML-RPC, as the web client and the crons
reach it: front-desk bookings made and cancelled by staff, cron jobs and backend buttons."""
import xmlrpc.client
from datetime import date, timedelta


class OdooRpc:
    """One XML-RPC session as admin; one per thread (a ServerProxy is not thread-safe)."""

    def __init__(self, url, database, login="admin", password="admin", timeout=None):
        self.database, self.password = database, password
        transport = _TimeoutTransport(timeout) if timeout else None
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common", transport=transport)
        self.uid = common.authenticate(database, login, password, {})
        self._object = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True,
                                                 transport=transport)

    def call(self, model, method, *args, **kwargs):
        return self._object.execute_kw(self.database, self.uid, self.password, model, method,
                                       list(args), kwargs)

    def run_cron(self, cron_id):
        """What the cron thread does when the job is due, in a server worker."""
        return self.call("ir.cron", "method_direct_trigger", [cron_id])

    def press(self, backend_id, button):
        """A backend button (action_pull_now, action_full_resync, ...) as a manager presses it."""
        return self.call("phobs.backend", button, [backend_id])


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


class FrontDeskStaff:
    """Walk-in bookings far ahead (where channels rarely sell) and their cancellations.

    ``rooms`` maps a room type code to its front-desk room ids. The staff keep their own
    booking sheet so they pick rooms they believe free; the front desk may still refuse (it
    moved a guest into that room to make space for a channel booking): that is counted."""

    FIRST_DAY, LAST_DAY = 100, 200

    def __init__(self, rpc, rng, partner_id, pricelist_id, room_types, rooms):
        self.rpc, self.rng = rpc, rng
        self.partner_id, self.pricelist_id = partner_id, pricelist_id
        self.room_types, self.rooms = room_types, rooms
        self.sheet = {}  # room id -> [(arrival, departure)]
        self.live = []  # (reservation id, room id, arrival, departure)
        self.counts = {"booked": 0, "cancelled": 0, "refused": 0}

    def act(self):
        if self.live and self.rng.random() < 0.35:
            return self._cancel()
        return self._book()

    def _book(self):
        code = self.rng.choice(sorted(self.rooms))
        arrival = date.today() + timedelta(days=self.rng.randrange(self.FIRST_DAY, self.LAST_DAY))
        departure = arrival + timedelta(days=self.rng.randint(1, 4))
        free = [room for room in self.rooms[code] if not any(
            start < departure and arrival < end for start, end in self.sheet.get(room, ()))]
        if not free:
            self.counts["refused"] += 1
            return
        room = self.rng.choice(free)
        try:
            reservation = self.rpc.call("hotel.reservation", "create", {
                "partner_id": self.partner_id, "partner_invoice_id": self.partner_id,
                "partner_order_id": self.partner_id, "partner_shipping_id": self.partner_id,
                "pricelist_id": self.pricelist_id, "adults": 1,
                "checkin": "%s 14:00:00" % arrival, "checkout": "%s 11:00:00" % departure,
                "reservation_line": [(0, 0, {"categ_id": self.room_types[code],
                                             "reserve": [(6, 0, [room])]})]})
            self.rpc.call("hotel.reservation", "confirmed_reservation", [reservation])
        except (xmlrpc.client.Fault, OSError, xmlrpc.client.ProtocolError):
            self.counts["refused"] += 1
            return
        self.sheet.setdefault(room, []).append((arrival, departure))
        self.live.append((reservation, room, arrival, departure))
        self.counts["booked"] += 1

    def _cancel(self):
        entry = self.live.pop(self.rng.randrange(len(self.live)))
        reservation, room, arrival, departure = entry
        try:
            self.rpc.call("hotel.reservation", "cancel_reservation", [reservation])
        except (xmlrpc.client.Fault, OSError, xmlrpc.client.ProtocolError):
            self.live.append(entry)
            self.counts["refused"] += 1
            return
        self.sheet[room].remove((arrival, departure))
        self.counts["cancelled"] += 1
