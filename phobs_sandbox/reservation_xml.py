"""One reservation version as an OTA ``HotelReservation``, and back.

The builder writes exactly the shape docs/protocol.md names (2016B-valid); the parser reads what a
PMS uploads leniently (older ``ResGuestRPH`` children, dateTimes where dates are expected) and keeps
only what the sandbox acts on: identities, status and the stays that hold inventory.
"""
from datetime import date

from .ota import error, parse_day, parse_int
from .xmlutil import child, children, descendants, ota, path, text


def _rate_runs(nightly):
    """Collapse consecutive nights with the same amount into (first night, night after, amount)."""
    runs = []
    for night in nightly:
        day = date.fromisoformat(night["date"])
        if runs and runs[-1][2] == night["amount"] and runs[-1][1] == day:
            runs[-1][1] = date.fromordinal(day.toordinal() + 1)
        else:
            runs.append([day, date.fromordinal(day.toordinal() + 1), night["amount"]])
    return runs


def _customer(parent, guest):
    customer = ota("Customer", ota("Profile", ota("ProfileInfo", ota("Profiles", parent)),
                                   {"ProfileType": "1"}))
    name = ota("PersonName", customer)
    ota("GivenName", name, text_value=guest["given_name"])
    ota("Surname", name, text_value=guest["surname"])
    if guest.get("phone"):
        ota("Telephone", customer, {"PhoneNumber": guest["phone"]})
    if guest.get("email"):
        ota("Email", customer, text_value=guest["email"])
    if guest.get("country"):
        address = ota("Address", customer)
        if guest.get("address_line"):
            ota("AddressLine", address, text_value=guest["address_line"])
        if guest.get("city"):
            ota("CityName", address, text_value=guest["city"])
        if guest.get("postal_code"):
            ota("PostalCode", address, text_value=guest["postal_code"])
        ota("CountryName", address, {"Code": guest["country"]}, guest.get("country_name"))


def _room_stay(parent, index, stay, currency):
    room_stay = ota("RoomStay", parent, {"IndexNumber": index})
    ota("RoomType", ota("RoomTypes", room_stay),
        {"RoomTypeCode": stay["room_type"], "NumberOfUnits": stay["units"]})
    ota("RatePlan", ota("RatePlans", room_stay), {"RatePlanCode": stay["rate_plan"]})
    room_rate = ota("RoomRate", ota("RoomRates", room_stay), {
        "RoomTypeCode": stay["room_type"], "RatePlanCode": stay["rate_plan"],
        "NumberOfUnits": stay["units"],
    })
    rates = ota("Rates", room_rate)
    for first, after, amount in _rate_runs(stay["nightly"]):
        rate = ota("Rate", rates, {
            "EffectiveDate": first.isoformat(), "ExpireDate": after.isoformat(),
            "RateTimeUnit": "Day", "UnitMultiplier": (after - first).days,
        })
        ota("Base", rate, {"AmountAfterTax": amount, "CurrencyCode": currency})
    counts = ota("GuestCounts", room_stay)
    ota("GuestCount", counts, {"AgeQualifyingCode": "10", "Count": stay["adults"]})
    for age in stay.get("children", []):
        ota("GuestCount", counts, {"AgeQualifyingCode": "8", "Count": 1, "Age": age})
    ota("TimeSpan", room_stay, {"Start": stay["arrival"], "End": stay["departure"]})
    ota("Total", room_stay, {"AmountAfterTax": stay["total"], "CurrencyCode": currency})
    ota("ResGuestRPHs", room_stay, text_value=stay.get("guest", 0) + 1)


def _guarantee(parent, card):
    accepted = ota("GuaranteeAccepted", ota("GuaranteesAccepted", ota("Guarantee", parent, {
        "GuaranteeType": "CC/DC/Voucher"})))
    payment = ota("PaymentCard", accepted, {"CardCode": card["code"], "ExpireDate": card["expire"]})
    ota("CardHolderName", payment, text_value=card["holder"])
    ota("PlainText", ota("CardNumber", payment), text_value=card["number"])
    if card.get("cvv"):
        ota("PlainText", ota("SeriesCode", payment), text_value=card["cvv"])


def build(reservation, message_id):
    """The ``HotelReservation`` element of one version, carrying its message id (Type 16)."""
    currency = reservation["currency"]
    root = ota("HotelReservation", attrs={
        "CreateDateTime": reservation["created_at"],
        "LastModifyDateTime": reservation["modified_at"],
        "ResStatus": reservation["status"],
    })
    channel = ota("BookingChannel", ota("Source", ota("POS", root)),
                  {"Type": "7", "Primary": "true"})
    ota("CompanyName", channel, {"Code": reservation["channel"]}, reservation["channel_name"])
    ota("UniqueID", root, {"Type": "14", "ID": reservation["id"]})
    ota("UniqueID", root, {"Type": "16", "ID": message_id})
    stays = ota("RoomStays", root)
    for index, stay in enumerate(reservation["room_stays"], start=1):
        _room_stay(stays, index, stay, currency)
    guests = ota("ResGuests", root)
    for rph, guest in enumerate(reservation["guests"], start=1):
        res_guest = ota("ResGuest", guests, {"ResGuestRPH": rph,
                                             "PrimaryIndicator": "true" if rph == 1 else "false"})
        _customer(res_guest, guest)
    info = ota("ResGlobalInfo", root)
    if reservation.get("comments"):
        comments = ota("Comments", info)
        for comment in reservation["comments"]:
            ota("Text", ota("Comment", comments, {"GuestViewable": "true"}), text_value=comment)
    if reservation.get("card"):
        _guarantee(info, reservation["card"])
    ota("Total", info, {"AmountAfterTax": reservation["total"], "CurrencyCode": currency})
    ota("HotelReservationID", ota("HotelReservationIDs", info), {
        "ResID_Type": "14", "ResID_Value": reservation["channel_booking_id"],
        "ResID_Source": reservation["channel"],
    })
    ota("BasicPropertyInfo", info, {"HotelCode": reservation["hotel"]})
    return root


def _stay(room_stay, info):
    room_type = path(room_stay, "RoomTypes", "RoomType")
    room_rate = path(room_stay, "RoomRates", "RoomRate")
    rate_plan = path(room_stay, "RatePlans", "RatePlan")
    code = ((room_type is not None and room_type.get("RoomTypeCode"))
            or (room_rate is not None and room_rate.get("RoomTypeCode")))
    plan = ((rate_plan is not None and rate_plan.get("RatePlanCode"))
            or (room_rate is not None and room_rate.get("RatePlanCode")))
    if not code:
        raise error("321", "RoomTypeCode")
    span = child(room_stay, "TimeSpan")
    if span is None:
        span = child(info, "TimeSpan")
    if span is None:
        raise error("321", "TimeSpan")
    arrival, departure = parse_day(span.get("Start"), "Start"), parse_day(span.get("End"), "End")
    if departure <= arrival:
        raise error("15", "TimeSpan End %s not after Start %s" % (departure, arrival))
    units = next((element.get("NumberOfUnits") for element in (room_rate, room_type)
                  if element is not None and element.get("NumberOfUnits")), "1")
    stay = {"room_type": code, "rate_plan": plan or None, "arrival": arrival.isoformat(),
            "departure": departure.isoformat(), "units": parse_int(units, "NumberOfUnits", 1)}
    counts = descendants(child(room_stay, "GuestCounts"), "GuestCount")
    adults = [parse_int(c.get("Count", "1"), "Count") for c in counts
              if c.get("AgeQualifyingCode", "10") == "10"]
    if sum(adults):
        stay["adults"] = sum(adults)
    stay["children"] = [parse_int(c.get("Age", "0"), "Age") for c in counts
                        if c.get("AgeQualifyingCode") == "8"]
    return stay


def parse(element, default_status=None):
    """What the sandbox keeps of a received ``HotelReservation``; ``default_status`` is the
    enclosing RQ's ``ResStatus``, used when the reservation has none."""
    info = child(element, "ResGlobalInfo")
    ids = {u.get("Type"): u.get("ID") for u in children(element, "UniqueID")}
    pms_id = next((h.get("ResID_Value") for h in descendants(child(info, "HotelReservationIDs"),
                                                             "HotelReservationID")
                   if h.get("ResID_Type") == "10"), None)
    name = path(element, "ResGuests", "ResGuest", "Profiles", "ProfileInfo", "Profile", "Customer",
                "PersonName")
    return {
        "status": element.get("ResStatus") or default_status,
        "reservation_id": ids.get("14"),
        "message_id": ids.get("16"),
        "pms_id": pms_id,
        "hotel": (child(info, "BasicPropertyInfo").get("HotelCode")
                  if child(info, "BasicPropertyInfo") is not None else None),
        "room_stays": [_stay(stay, info)
                       for stay in children(child(element, "RoomStays"), "RoomStay")],
        "guest_name": " ".join(filter(None, (text(child(name, "GivenName")),
                                             text(child(name, "Surname"))))) or None,
    }
