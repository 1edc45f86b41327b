"""The Phobs side of each SOAP message: what it does to the sandbox and what it answers.

Every operation is all-or-nothing: a request with one bad item (unknown room type, bad date) is
answered with Errors and changes nothing, as a client retrying a corrected request expects.
"""
import copy

from . import ota, reservation_xml
from .config import require_codes
from .dates import day_range, utc_stamp
from .errors import OtaError
from .faults import DELIVERY
from .xmlutil import child, children, fragment, local, serialize

ENDPOINTS = {
    "/reservations": ("OTA_ReadRQ", "OTA_NotifReportRQ", "OTA_HotelResNotifRQ"),
    "/inventory": ("OTA_HotelAvailNotifRQ",),
    "/rates": ("OTA_HotelRateAmountNotifRQ",),
}


class Operations:
    def __init__(self, store, bookings, faults, page_size=100):
        self.store = store
        self.bookings = bookings
        self.faults = faults
        self.page_size = page_size
        self._handlers = {
            "OTA_ReadRQ": self.read, "OTA_NotifReportRQ": self.acknowledge,
            "OTA_HotelResNotifRQ": self.upload, "OTA_HotelAvailNotifRQ": self.availability,
            "OTA_HotelRateAmountNotifRQ": self.rates,
        }

    @staticmethod
    def supports(path, operation):
        return operation in ENDPOINTS.get(path, ())

    def handle(self, principal, payload, path):
        """The RS element for an authenticated request; business errors become an Errors RS."""
        name = local(payload)
        try:
            return self._handlers[name](principal, payload, path)
        except OtaError as err:
            return ota.rs(name, payload, errors=[err])

    def _hotel(self, principal, code):
        """The hotel a message names (default: the caller's); 392 if unknown, Type 4 if it is not
        the caller's."""
        code = code or principal
        hotel = self.store.hotel(code)
        if hotel is None:
            raise ota.error("392", code)
        if code != principal:
            raise ota.auth_error("credentials are not valid for hotel %s" % code)
        return hotel

    def read(self, principal, payload, path):
        code, max_responses = ota.parse_read(payload)
        hotel = self._hotel(principal, code)
        rows, more = self.store.take_undelivered(hotel["code"], max_responses or self.page_size)
        reservations = [fragment(row["xml"]) for row in rows]
        for rule in self.faults.draw(DELIVERY, path, local(payload), first_only=False,
                                     hotel=hotel["code"]):
            if rule["kind"] == "duplicate_delivery":
                reservations = [twin for r in reservations for twin in (r, copy.deepcopy(r))]
            else:
                reservations.reverse()
        return ota.res_retrieve_rs(payload, reservations, more)

    def acknowledge(self, principal, payload, path):
        acks = ota.parse_notif_report(payload)
        hotel = self._hotel(principal, None)
        warnings = []
        with self.store.transaction():
            for ack in acks:
                if not self.store.acknowledge(hotel["code"], ack["message_id"], utc_stamp(), "pull",
                                              ack["pms_id"], ack["error"]):
                    warnings.append({"text": "unknown message id", "record_id": ack["message_id"]})
        return ota.rs(local(payload), payload, warnings=warnings)

    def upload(self, principal, payload, path):
        elements = children(child(payload, "HotelReservations"), "HotelReservation")
        if not elements:
            raise ota.error("321", "HotelReservations/HotelReservation")
        results = []
        with self.store.transaction():
            for element in elements:
                summary = reservation_xml.parse(element, default_status=payload.get("ResStatus"))
                hotel = self._hotel(principal, summary["hotel"])
                result = dict(self.bookings.apply_upload(hotel, summary),
                              message_id=summary["message_id"])
                summary.update(reservation_id=result["reservation_id"], status=result["status"])
                self.store.add_upload(hotel["code"], summary, payload.get("EchoToken"), utc_stamp(),
                                      serialize(element).decode("utf-8"))
                results.append(result)
        return ota.hotel_res_notif_rs(payload, results)

    def availability(self, principal, payload, path):
        code, items = ota.parse_avail_notif(payload)
        hotel = self._hotel(principal, code)
        warnings = []
        for item in items:
            require_codes(hotel, item["room_type"], item["rate_plan"])
            if item["booking_limit"] is None and not item["restrictions"]:
                warnings.append({"text": "AvailStatusMessage for %s %s..%s changes nothing" % (
                    item["room_type"], item["start"], item["end"])})
        with self.store.transaction():
            for item in items:
                days = day_range(item["start"], item["end"])
                if item["booking_limit"] is not None:
                    self.store.set_availability(hotel["code"], item["room_type"], days,
                                                item["booking_limit"], payload.get("EchoToken"))
                if item["restrictions"]:
                    for plan in self._plans(hotel, item):
                        self.store.set_restrictions(hotel["code"], item["room_type"], plan, days,
                                                    item["restrictions"])
        return ota.rs(local(payload), payload, warnings=warnings)

    @staticmethod
    def _plans(hotel, item):
        """Restrictions without a RatePlanCode apply to every rate plan of the room type."""
        if item["rate_plan"]:
            return [item["rate_plan"]]
        return [plan["code"] for plan in hotel["rate_plans"]
                if item["room_type"] in plan["room_types"]]

    def rates(self, principal, payload, path):
        code, items = ota.parse_rate_amount_notif(payload)
        hotel = self._hotel(principal, code)
        for item in items:
            require_codes(hotel, item["room_type"], item["rate_plan"])
        with self.store.transaction():
            for item in items:
                self.store.set_rates(hotel["code"], item["room_type"], item["rate_plan"],
                                     day_range(item["start"], item["end"]), item["amounts"])
        return ota.rs(local(payload), payload)
