"""OTA 2016B requests built with lxml, as a PMS would send them, and readers for the replies.

Written independently of ``phobs_sandbox`` (and of the addon) from docs/protocol.md, so these tests
check the sandbox against the page, not against itself.
"""
import base64
import uuid
from datetime import datetime, timezone

from lxml import etree

OTA = "http://www.opentravel.org/OTA/2003/05"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
)


def el(tag, parent=None, text=None, **attrs):
    qname = "{%s}%s" % (OTA, tag)
    node = etree.Element(qname, nsmap={None: OTA}) if parent is None else etree.SubElement(parent, qname)
    for key, value in attrs.items():
        if value is not None:
            node.set(key, str(value))
    if text is not None:
        node.text = str(text)
    return node


def rq(name, echo_token=None, **attrs):
    return el(name, EchoToken=echo_token or uuid.uuid4().hex, Version="1.0",
              TimeStamp=datetime.now(timezone.utc).isoformat(timespec="seconds"), **attrs)


def envelope(payload, username=None, password=None):
    """SOAP 1.1 bytes; with a username, a WS-Security UsernameToken (#PasswordText) header."""
    root = etree.Element("{%s}Envelope" % SOAP, nsmap={"soap": SOAP})
    if username is not None:
        header = etree.SubElement(root, "{%s}Header" % SOAP)
        security = etree.SubElement(header, "{%s}Security" % WSSE, nsmap={"wsse": WSSE})
        token = etree.SubElement(security, "{%s}UsernameToken" % WSSE)
        etree.SubElement(token, "{%s}Username" % WSSE).text = username
        pw = etree.SubElement(token, "{%s}Password" % WSSE, Type=PASSWORD_TEXT)
        pw.text = password
    etree.SubElement(root, "{%s}Body" % SOAP).append(payload)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


# requests -------------------------------------------------------------------------------------

def avail_rq(hotel, *messages, echo_token=None):
    """``messages``: dicts with start, end, room_type and optional rate_plan, limit, min_los,
    max_los, status ("Open"/"Close") and restriction ("Arrival"/"Departure"/None)."""
    root = rq("OTA_HotelAvailNotifRQ", echo_token)
    container = el("AvailStatusMessages", root, HotelCode=hotel)
    for m in messages:
        message = el("AvailStatusMessage", container, BookingLimit=m.get("limit"))
        el("StatusApplicationControl", message, Start=m["start"], End=m["end"],
           InvTypeCode=m.get("room_type"), RatePlanCode=m.get("rate_plan"))
        if "min_los" in m or "max_los" in m:
            stays = el("LengthsOfStay", message)
            for kind in ("min_los", "max_los"):
                if kind in m:
                    el("LengthOfStay", stays, Time=m[kind], TimeUnit="Day",
                       MinMaxMessageType="SetMinLOS" if kind == "min_los" else "SetMaxLOS")
        if "status" in m:
            el("RestrictionStatus", message, Status=m["status"], Restriction=m.get("restriction"))
    return root


def rate_rq(hotel, *messages, echo_token=None):
    """``messages``: dicts with start, end, room_type, rate_plan, amounts {guests or None: "120.00"},
    currency."""
    root = rq("OTA_HotelRateAmountNotifRQ", echo_token)
    container = el("RateAmountMessages", root, HotelCode=hotel)
    for m in messages:
        message = el("RateAmountMessage", container)
        el("StatusApplicationControl", message, Start=m["start"], End=m["end"],
           InvTypeCode=m["room_type"], RatePlanCode=m["rate_plan"])
        amounts = el("BaseByGuestAmts", el("Rate", el("Rates", message)))
        for guests, amount in m["amounts"].items():
            el("BaseByGuestAmt", amounts, AmountAfterTax=amount, CurrencyCode=m.get("currency", "EUR"),
               NumberOfGuests=guests)
    return root


def read_rq(hotel, echo_token=None, max_responses=None):
    root = rq("OTA_ReadRQ", echo_token, MaxResponses=max_responses)
    request = el("HotelReadRequest", el("ReadRequests", root), HotelCode=hotel)
    el("SelectionCriteria", request, SelectionType="Undelivered")
    return root


def notif_report_rq(hotel, acks, errors=None, echo_token=None):
    """``acks``: (message id, PMS id or None); ``errors``: text, or {message id: text} sent as
    Errors with RecordID."""
    root = rq("OTA_NotifReportRQ", echo_token)
    if isinstance(errors, dict):
        container = el("Errors", root)
        for record, text in errors.items():
            el("Error", container, text, Type="3", Code="450", RecordID=record)
    elif errors:
        el("Error", el("Errors", root), errors, Type="3", Code="450")
    else:
        el("Success", root)
    container = el("HotelReservations", el("HotelNotifReport", el("NotifDetails", root)))
    for message_id, pms_id in acks:
        reservation = el("HotelReservation", container)
        el("UniqueID", reservation, Type="16", ID=message_id)
        if pms_id:
            info = el("ResGlobalInfo", reservation)
            el("HotelReservationID", el("HotelReservationIDs", info), ResID_Type="10", ResID_Value=pms_id)
            el("BasicPropertyInfo", info, HotelCode=hotel)
    return root


def upload_rq(hotel, pms_id, status, stays=(), phobs_id=None, guest=("Front", "Desk"), card=None,
              echo_token=None, message_id=None, status_on_root=False, adults=2):
    """A front-desk reservation upload; ``stays``: (room_type, rate_plan, arrival, departure, units)."""
    root = rq("OTA_HotelResNotifRQ", echo_token, ResStatus=status if status_on_root else None)
    reservation = el("HotelReservation", el("HotelReservations", root),
                     ResStatus=None if status_on_root else status,
                     CreateDateTime=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    if phobs_id:
        el("UniqueID", reservation, Type="14", ID=phobs_id)
    if message_id:
        el("UniqueID", reservation, Type="16", ID=message_id)
    if stays:
        room_stays = el("RoomStays", reservation)
        for room_type, rate_plan, arrival, departure, units in stays:
            stay = el("RoomStay", room_stays)
            el("RoomType", el("RoomTypes", stay), RoomTypeCode=room_type, NumberOfUnits=units)
            if rate_plan:
                el("RatePlan", el("RatePlans", stay), RatePlanCode=rate_plan)
            if adults:
                el("GuestCount", el("GuestCounts", stay), AgeQualifyingCode="10", Count=adults)
            el("TimeSpan", stay, Start=arrival, End=departure)
    customer = el("Customer", el("Profile", el("ProfileInfo", el("Profiles", el(
        "ResGuest", el("ResGuests", reservation), ResGuestRPH=1, PrimaryIndicator="true")))))
    name = el("PersonName", customer)
    el("GivenName", name, guest[0])
    el("Surname", name, guest[1])
    info = el("ResGlobalInfo", reservation)
    if card:
        payment = el("PaymentCard", el("GuaranteeAccepted", el("GuaranteesAccepted", el("Guarantee", info))),
                     CardCode="VI", ExpireDate="1230")
        el("PlainText", el("CardNumber", payment), card)
    if pms_id:
        el("HotelReservationID", el("HotelReservationIDs", info), ResID_Type="10",
           ResID_Value=pms_id)
    el("BasicPropertyInfo", info, HotelCode=hotel)
    return root


# replies --------------------------------------------------------------------------------------

def payload_of(content):
    """The message inside a SOAP reply body."""
    root = etree.fromstring(content)
    assert root.tag == "{%s}Envelope" % SOAP, root.tag
    return root.find("{%s}Body" % SOAP)[0]


def fault_of(content):
    fault = payload_of(content)
    assert fault.tag == "{%s}Fault" % SOAP
    return fault.findtext("faultcode"), fault.findtext("faultstring")


def errors_of(rs):
    """[(Type, Code)] of an RS's Errors, [] when it reports Success."""
    return [(e.get("Type"), e.get("Code")) for e in rs.iterfind("{%s}Errors/{%s}Error" % (OTA, OTA))]


def is_success(rs):
    return rs.find("{%s}Success" % OTA) is not None


def find(node, path):
    """Element by a slash path of OTA local names."""
    return node.find("/".join("{%s}%s" % (OTA, part) for part in path.split("/")))


def findall(node, path):
    return node.findall("/".join("{%s}%s" % (OTA, part) for part in path.split("/")))


def unique_ids(reservation):
    return {u.get("Type"): u.get("ID") for u in findall(reservation, "UniqueID")}


def reservations_of(rs):
    return findall(rs, "ReservationsList/HotelReservation")
