"""OpenTravel messages at the edge: read the RQs leniently, build the RSs the way 2016B wants them.

Parsers return plain dicts and raise ``OtaError`` with the OTA code a real channel manager would
use, so operations never touch XML and the codes live in one table.
"""
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from .dates import utc_stamp
from .errors import OtaError
from .xmlutil import child, children, descendants, ota, path, text

RS_FOR = {
    "OTA_ReadRQ": "OTA_ResRetrieveRS",
    "OTA_NotifReportRQ": "OTA_NotifReportRS",
    "OTA_HotelResNotifRQ": "OTA_HotelResNotifRS",
    "OTA_HotelAvailNotifRQ": "OTA_HotelAvailNotifRS",
    "OTA_HotelRateAmountNotifRQ": "OTA_HotelRateAmountNotifRS",
}

#: OTA error code -> (error Type, text). Types: 3 business rule, 4 authentication,
#: 5 authentication timeout, 10 required field missing, 12 processing exception.
CODES = {
    "15": ("3", "Invalid date"),
    "187": ("12", "System currently unavailable"),
    "320": ("3", "Invalid value"),
    "321": ("10", "Required field missing"),
    "392": ("3", "Invalid hotel code"),
    "400": ("3", "Invalid property code"),
    "402": ("3", "Invalid room type"),
    "436": ("3", "Rate does not exist"),
    "447": ("12", "Unable to process - simultaneous update"),
    "448": ("12", "System error"),
    "497": ("4", "Authorization error"),
    "737": ("12", "Throttle limit exceeded"),
    "783": ("3", "Room or rate not found"),
}
MAX_RANGE_DAYS = 1100
XS_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def error(code, detail=None, error_type=None):
    """An ``OtaError`` for a known code, its Type and text taken from ``CODES``."""
    default_type, label = CODES.get(str(code), ("3", "Error"))
    text_value = "%s: %s" % (label, detail) if detail else label
    return OtaError(code, text_value, error_type or default_type)


def auth_error(detail, timeout=False):
    """Type 4 (bad credentials) or Type 5 (authentication timeout) error."""
    return OtaError("497", detail, "5" if timeout else "4")


def _echoed(request):
    """(EchoToken, Version) to repeat in the RS: the request's when 2016B allows them there."""
    token = request.get("EchoToken") if request is not None else None
    version = (request.get("Version") or "").strip() if request is not None else ""
    return (token if token and len(token) <= 128 else None,
            version if XS_DECIMAL.fullmatch(version) else "1.0")


def rs(rq_name, request, errors=(), warnings=()):
    """The RS root for an RQ: echo token and version echoed, then Success+Warnings or Errors."""
    token, version = _echoed(request)
    root = ota(RS_FOR[rq_name], attrs={"EchoToken": token, "TimeStamp": utc_stamp(),
                                       "Version": version})
    if errors:
        container = ota("Errors", root)
        for err in errors:
            ota("Error", container, {"Type": err.error_type, "Code": err.code}, err.text)
        return root
    ota("Success", root)
    if warnings:
        container = ota("Warnings", root)
        for warning in warnings:
            ota("Warning", container, {"Type": "3", "RecordID": warning.get("record_id")},
                warning["text"])
    return root


def res_retrieve_rs(request, reservations, more):
    root = rs("OTA_ReadRQ", request)
    if more:
        root.set("MoreIndicator", "true")
    listing = ota("ReservationsList", root)
    for reservation in reservations:
        listing.append(reservation)
    return root


def hotel_res_notif_rs(request, results):
    """Upload reply: per reservation our id (Type 14), the upload's message id (Type 16) if it had
    one, and the PMS id (ResID_Type 10)."""
    root = rs("OTA_HotelResNotifRQ", request)
    container = ota("HotelReservations", root)
    for result in results:
        reservation = ota("HotelReservation", container, {"ResStatus": result["status"]})
        ota("UniqueID", reservation, {"Type": "14", "ID": result["reservation_id"]})
        if result.get("message_id"):
            ota("UniqueID", reservation, {"Type": "16", "ID": result["message_id"]})
        info = ota("ResGlobalInfo", reservation)
        if result.get("pms_id"):
            ids = ota("HotelReservationIDs", info)
            ota("HotelReservationID", ids, {"ResID_Type": "10", "ResID_Value": result["pms_id"]})
        ota("BasicPropertyInfo", info, {"HotelCode": result["hotel"]})
    return root


def hotel_res_notif_rq(echo_token, reservations):
    """What Phobs pushes to the registered webhook."""
    root = ota("OTA_HotelResNotifRQ", attrs={
        "EchoToken": echo_token, "TimeStamp": utc_stamp(), "Version": "1.0",
    })
    container = ota("HotelReservations", root)
    for reservation in reservations:
        container.append(reservation)
    return root


def parse_day(value, what):
    """A calendar day from a date or dateTime attribute; OTA 15 when absent or unreadable."""
    if not value:
        raise error("321", "%s is required" % what)
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError as err:
        raise error("15", "%s %r" % (what, value)) from err


def parse_range(control):
    """Inclusive (start, end) of a StatusApplicationControl, bounded so no request loops forever."""
    start = parse_day(control.get("Start"), "Start")
    end = parse_day(control.get("End") or control.get("Start"), "End")
    if end < start:
        raise error("15", "End %s before Start %s" % (end, start))
    if (end - start).days >= MAX_RANGE_DAYS:
        raise error("15", "range longer than %d days" % MAX_RANGE_DAYS)
    return start, end


def parse_int(value, what, minimum=0):
    try:
        number = int(value)
    except (TypeError, ValueError) as err:
        raise error("320", "%s %r" % (what, value)) from err
    if number < minimum:
        raise error("320", "%s %r" % (what, value))
    return number


def parse_amount(value, what):
    try:
        amount = Decimal(value.strip())
    except (InvalidOperation, AttributeError) as err:
        raise error("320", "%s %r" % (what, value)) from err
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -3:
        raise error("320", "%s %r (Money: non-negative, at most three decimals)" % (what, value))
    return amount


def hotel_code(container):
    if container is None:
        return None
    return (container.get("HotelCode") or "").strip() or None


def _control(message):
    control = child(message, "StatusApplicationControl")
    if control is None:
        raise error("321", "StatusApplicationControl")
    room_type = control.get("InvTypeCode") or control.get("InvCode")
    if not room_type:
        raise error("321", "InvTypeCode")
    start, end = parse_range(control)
    return {"start": start, "end": end, "room_type": room_type,
            "rate_plan": control.get("RatePlanCode") or None}


_LOS = {
    "SetMinLOS": ("min_los", True), "MinLOS": ("min_los", True),
    "SetMaxLOS": ("max_los", True), "MaxLOS": ("max_los", True),
    "RemoveMinLOS": ("min_los", False), "RemoveMaxLOS": ("max_los", False),
}
_RESTRICTION_COLUMN = {None: "stop_sell", "Master": "stop_sell",
                       "Arrival": "closed_to_arrival", "Departure": "closed_to_departure"}


def _restrictions(message):
    """Restriction columns this AvailStatusMessage sets (value None removes a length of stay)."""
    changes = {}
    for los in descendants(child(message, "LengthsOfStay"), "LengthOfStay"):
        kind = los.get("MinMaxMessageType")
        if kind not in _LOS:
            raise error("320", "MinMaxMessageType %r" % kind)
        column, sets = _LOS[kind]
        changes[column] = parse_int(los.get("Time"), "LengthOfStay Time", 1) if sets else None
    for status in children(message, "RestrictionStatus"):
        column = _RESTRICTION_COLUMN.get(status.get("Restriction"))
        if column is None:
            raise error("320", "Restriction %r" % status.get("Restriction"))
        if status.get("Status") not in ("Open", "Close"):
            raise error("320", "RestrictionStatus Status %r" % status.get("Status"))
        changes[column] = status.get("Status") == "Close"
    return changes


def parse_avail_notif(payload):
    """(hotel code, items) with per item the range, codes, BookingLimit and restriction changes."""
    messages = child(payload, "AvailStatusMessages")
    if messages is None:
        raise error("321", "AvailStatusMessages")
    items = []
    for message in children(messages, "AvailStatusMessage"):
        item = _control(message)
        limit_type = message.get("BookingLimitMessageType")
        if limit_type not in (None, "SetLimit"):
            raise error("320", "BookingLimitMessageType %r" % limit_type)
        limit = message.get("BookingLimit")
        item["booking_limit"] = None if limit is None else parse_int(limit, "BookingLimit")
        item["restrictions"] = _restrictions(message)
        items.append(item)
    return hotel_code(messages), items


def parse_rate_amount_notif(payload):
    """(hotel code, items) with per item the range, codes, currency and amounts by guest count."""
    messages = child(payload, "RateAmountMessages")
    if messages is None:
        raise error("321", "RateAmountMessages")
    items = []
    for message in children(messages, "RateAmountMessage"):
        item = _control(message)
        if not item["rate_plan"]:
            raise error("321", "RatePlanCode")
        amounts = {}
        for rate in descendants(child(message, "Rates"), "Rate"):
            for base in descendants(rate, "BaseByGuestAmt"):
                value = base.get("AmountAfterTax") or base.get("AmountBeforeTax")
                currency = base.get("CurrencyCode") or rate.get("CurrencyCode")
                if not value:
                    raise error("321", "BaseByGuestAmt AmountAfterTax")
                if not currency:
                    raise error("321", "CurrencyCode")
                guests = base.get("NumberOfGuests")
                guests = 0 if guests is None else parse_int(guests, "NumberOfGuests", 1)
                amounts[guests] = (str(parse_amount(value, "AmountAfterTax")), currency)
        if not amounts:
            raise error("321", "BaseByGuestAmt")
        item["amounts"] = amounts
        items.append(item)
    return hotel_code(messages), items


def parse_read(payload):
    """(hotel code or None, page size or None) of a pull."""
    request = path(payload, "ReadRequests", "HotelReadRequest")
    max_responses = payload.get("MaxResponses")
    return (hotel_code(request),
            None if max_responses is None else parse_int(max_responses, "MaxResponses", 1))


def parse_notif_report(payload):
    """Acknowledgements as (message id, PMS id, error text); an Errors report gives each named
    message the Error whose RecordID is its id, else all the errors' text."""
    errors = child(payload, "Errors")
    if child(payload, "Success") is None and errors is None:
        raise error("321", "Success or Errors")
    by_record, all_errors = {}, None
    if errors is not None:
        described = [(e.get("RecordID"),
                      " ".join(filter(None, (e.get("Code"), text(e)))) or "error")
                     for e in children(errors, "Error")]
        by_record = {record: description for record, description in described if record}
        all_errors = "; ".join(description for _, description in described) or "error"
    acks = []
    report = path(payload, "NotifDetails", "HotelNotifReport")
    for reservation in descendants(report, "HotelReservation"):
        message_id = next((u.get("ID") for u in children(reservation, "UniqueID")
                           if u.get("Type") == "16"), None)
        if not message_id:
            raise error("321", "UniqueID Type 16")
        pms_id = next((h.get("ResID_Value") for h in descendants(reservation, "HotelReservationID")
                       if h.get("ResID_Type") == "10"), None)
        acks.append({"message_id": message_id, "pms_id": pms_id,
                     "error": by_record.get(message_id, all_errors)})
    return acks
