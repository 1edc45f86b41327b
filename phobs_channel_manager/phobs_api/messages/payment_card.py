"""Payment cards in a delivered ``HotelReservation``: read as masked, stored redacted.

Every form a sender may use is read: the 2016B ``CardNumber`` element (``PlainText`` child,
``Mask`` or ``Token`` attribute), a number as the element's text, the pre-2006 ``CardNumber``
attribute, ``CardCode`` or a ``CardType`` element, ``CardHolderName`` (or its detailed name),
``ExpireDate`` as ``MMYY``; under a ``Guarantee`` or ``DepositPayments``, of the booking or of a
room stay. Only type, holder, expiry and the last four digits leave this module; a ``Token`` is
the processor's reference, never digits of the card, so it yields no last four.
"""
from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

from ..records import MaskedCard
from ..xml import child, descendants, local_name, text_of, to_bytes

#: Where a card may sit, most specific to the booking first.
CARD_PATHS = (
    "ResGlobalInfo/Guarantee/GuaranteesAccepted/GuaranteeAccepted/PaymentCard",
    "ResGlobalInfo/DepositPayments/GuaranteePayment/AcceptedPayments/AcceptedPayment/PaymentCard",
    "RoomStays/RoomStay/Guarantee/GuaranteesAccepted/GuaranteeAccepted/PaymentCard",
    "RoomStays/RoomStay/DepositPayments/GuaranteePayment/AcceptedPayments/AcceptedPayment/PaymentCard",
)
_EXPIRY_FORMS = (
    re.compile(r"^(?P<mm>0[1-9]|1[0-2])/?-?(?P<yy>\d{2})$"),          # MMYY, MM/YY, MM-YY
    re.compile(r"^(?P<yyyy>\d{4})-(?P<mm>0[1-9]|1[0-2])(-\d{2})?$"),  # YYYY-MM(-DD)
)


def find_card(reservation: etree._Element) -> etree._Element | None:
    for path in CARD_PATHS:
        card = next(descendants(reservation, path), None)
        if card is not None:
            return card
    return None


def masked_card(card: etree._Element | None) -> MaskedCard | None:
    """Keep type, holder, expiry and last four digits; the number goes out of scope here."""
    if card is None:
        return None
    number = child(card, "CardNumber")
    raw = (text_of(child(number, "PlainText")) or _attr(number, "Mask")
           or text_of(number) or card.get("CardNumber") or card.get("MaskedCardNumber") or "")
    last4 = "".join(ch for ch in raw if ch.isdigit())[-4:] or None
    return MaskedCard(
        card_type=(_attr(card, "CardCode") or text_of(child(card, "CardType"))
                   or _attr(card, "CardType")),
        holder=text_of(child(card, "CardHolderName")) or _detailed_holder(card),
        last4=last4,
        expire=normal_expiry(card.get("ExpireDate")),
    )


def normal_expiry(value: str | None) -> str | None:
    """``MMYY`` from the forms senders use; anything unreadable is dropped, never guessed."""
    value = (value or "").strip()
    for form in _EXPIRY_FORMS:
        match = form.match(value)
        if match:
            year = match.groupdict().get("yy") or match.group("yyyy")[2:]
            return match.group("mm") + year
    return None


def _detailed_holder(card: etree._Element) -> str | None:
    name = child(card, "CardHolderNameDetails")
    parts = [text_of(child(name, "GivenName")), text_of(child(name, "Surname"))]
    return " ".join(p for p in parts if p) or None


def _attr(el: etree._Element | None, name: str) -> str | None:
    return ((el.get(name) if el is not None else None) or "").strip() or None


def redacted_xml(el: etree._Element) -> bytes:
    """A copy of a ``HotelReservation`` safe to store: card numbers keep their last four
    digits, security codes are dropped; the received element itself is left untouched."""
    return to_bytes(redact(deepcopy(el)))


def redact(copy: etree._Element) -> etree._Element:
    """Masks the cards of ``copy`` in place (give it a copy) and returns it."""
    for card in _named(copy, "PaymentCard"):
        for attribute in ("CardNumber", "MaskedCardNumber"):
            if card.get(attribute):
                card.set(attribute, _mask_digits(card.get(attribute)))
        for code in list(_named(card, "SeriesCode")):
            code.getparent().remove(code)
        for attribute in ("SeriesCode", "CVV"):
            card.attrib.pop(attribute, None)
        for number in _named(card, "CardNumber"):
            if number.get("Mask"):
                number.set("Mask", _mask_digits(number.get("Mask")))
            if number.text and number.text.strip():
                number.text = _mask_digits(number.text)
            for plain in _named(number, "PlainText"):
                plain.text = _mask_digits(plain.text or "")
    return copy


def _named(root: etree._Element, name: str) -> list[etree._Element]:
    """Elements called ``name`` in any namespace (or none): a sender that drops the OTA
    namespace must not get a card number stored in clear."""
    return [el for el in root.iter(tag=etree.Element) if local_name(el) == name]


def _mask_digits(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return "*" * max(0, len(digits) - 4) + digits[-4:]
