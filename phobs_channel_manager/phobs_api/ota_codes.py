"""What an error from Phobs means, in words hotel staff can act on.

A small table, not the whole OpenTravel code list: the codes this protocol family sends (see
docs/protocol.md), the OTA error types, the HTTP statuses and the client's own error classes.
``explain()`` picks the most specific entry it knows for an error.
"""
from __future__ import annotations

import re

#: OTA error codes (``Error/@Code``): (short title, what it means and what to do).
OTA_ERROR_CODES = {
    "15": ("Invalid date",
           "A date was refused: wrong format, departure before arrival, or a range that is too "
           "long. Check the dates of the reservation or update."),
    "61": ("Invalid currency code",
           "Phobs does not accept this currency for the hotel. Check the backend's currency."),
    "69": ("Minimum stay not fulfilled",
           "The stay is shorter than the minimum length of stay set for its arrival day."),
    "70": ("Maximum stay exceeded",
           "The stay is longer than the maximum length of stay set for its arrival day."),
    "95": ("Booking already cancelled",
           "The reservation was already cancelled at Phobs; nothing more to cancel."),
    "97": ("Booking not found",
           "Phobs does not know this reservation id. It may belong to another hotel or was "
           "never created at Phobs."),
    "127": ("Reservation already exists",
            "Phobs already holds a reservation with this id; the upload was a duplicate."),
    "187": ("System currently unavailable",
            "Phobs is temporarily unavailable. Nothing to fix here: it is retried "
            "automatically."),
    "320": ("Invalid value",
            "A value was refused (for example a negative amount or an unknown status). Check "
            "the data of the affected record."),
    "321": ("Required field missing",
            "A field Phobs requires was missing from the message. Complete the affected record "
            "(for example a room type or a guest name)."),
    "322": ("No availability",
            "Phobs has no availability left for the requested room type and dates."),
    "375": ("Hotel not active",
            "The hotel is not active at Phobs. Ask Phobs support to activate the property."),
    "392": ("Invalid hotel code",
            "Phobs does not know this hotel code. Check the Hotel Code on the Phobs backend "
            "against the one Phobs gave you."),
    "397": ("Invalid number of guests",
            "The number of adults or children does not fit the room type at Phobs."),
    "400": ("Invalid property code",
            "Phobs does not know this property. Check the Hotel Code on the Phobs backend."),
    "402": ("Invalid room type",
            "Phobs does not know this room type code. Check the Phobs Room Type Code of the "
            "hotel room type (Hotel Management > Configuration > Room Types) against the codes "
            "in the Phobs extranet."),
    "436": ("Rate plan does not exist",
            "Phobs does not know this rate plan code. Check the rate plan mapping against the "
            "Phobs extranet."),
    "447": ("Simultaneous update",
            "Phobs was updating the same data at the same moment. Retried automatically."),
    "448": ("System error",
            "Phobs had an internal error. Retried automatically; if it persists, contact Phobs "
            "support with the time of the error."),
    "450": ("Unable to process",
            "The message could not be processed; the error text says why."),
    "497": ("Authorization error",
            "Phobs refused the credentials for this hotel. Check the API key and secret (or "
            "username and password) on the Phobs backend and run Test connection."),
    "737": ("Throttled",
            "Too many requests in a short time: Phobs asked us to slow down. Retried "
            "automatically after the delay Phobs gave."),
    "783": ("Room or rate not found",
            "The room type and rate plan combination is not sold at Phobs. Check the mapping in "
            "the Phobs extranet."),
}

#: OTA error types (``Error/@Type``, list EWT).
OTA_ERROR_TYPES = {
    "1": "Unknown error.",
    "2": "Phobs does not implement this request.",
    "3": "A business rule refused the request.",
    "4": "Authentication failed: the credentials were refused.",
    "5": "Authentication timed out: the token expired and a new one is requested.",
    "6": "Not authorised for this hotel or operation.",
    "7": "Protocol violation: the message broke the OTA format.",
    "8": "Transaction model error.",
    "9": "Authentication model error.",
    "10": "A required field was missing.",
    "11": "Advisory: for information only.",
    "12": "Processing exception at Phobs; usually temporary.",
    "13": "Application error at Phobs.",
}

HTTP_STATUSES = {
    400: "Phobs could not read the request (HTTP 400).",
    401: "Phobs refused the credentials or the token expired (HTTP 401). Check the API key and "
         "secret on the backend and run Test connection.",
    403: "Phobs refused access to this hotel (HTTP 403). Check the hotel code and credentials.",
    404: "The Phobs address was not found (HTTP 404). Check the base URL of the backend.",
    408: "Phobs did not answer in time (HTTP 408). Retried automatically.",
    413: "The message was too large for Phobs (HTTP 413).",
    429: "Too many requests (HTTP 429): Phobs asked us to slow down. Retried automatically.",
    500: "Phobs had an internal error (HTTP 500). Retried automatically.",
    502: "A gateway in front of Phobs failed (HTTP 502). Retried automatically.",
    503: "Phobs is temporarily unavailable (HTTP 503). Retried automatically.",
    504: "A gateway in front of Phobs timed out (HTTP 504). Retried automatically.",
}

#: The client's exception classes (``phobs_api.errors``), as recorded on each API call.
ERROR_CLASSES = {
    "PhobsError": "The exchange with Phobs failed; the error text says why.",
    "PhobsAuthError": "Phobs refused the credentials. Check the API key and secret (or username "
                      "and password) on the Phobs backend and run Test connection.",
    "PhobsTimeoutError": "Phobs did not answer in time. Retried automatically.",
    "PhobsTransportError": "Phobs could not be reached (network, DNS or TLS). Check the base URL "
                           "and the server's internet connection; retried automatically.",
    "PhobsThrottledError": "Too many requests: Phobs asked us to slow down. Retried "
                           "automatically.",
    "PhobsProtocolError": "Phobs answered something that is not a valid OTA reply. If it "
                          "persists, check the base URL and contact Phobs support.",
    "PhobsServerError": "Phobs had an internal error. Retried automatically.",
    "PhobsSoapFault": "Phobs answered with a SOAP Fault; the error text says why.",
    "PhobsBusinessError": "Phobs understood the request and refused it; the OTA code says why.",
    "PhobsMappingError": "A hotel, room type or rate plan code does not match Phobs. Fix the "
                         "mapping; these are not retried.",
}

_CODE_IN_TEXT = re.compile(r"\bcode (\d{1,4})\b")
_TYPE_IN_TEXT = re.compile(r"\btype (\d{1,2})\b")


def first_code(codes):
    """The first OTA code of a comma-separated list (as stored on API calls), or None."""
    for code in (codes or "").split(","):
        if code.strip():
            return code.strip()
    return None


def code_in_text(text):
    """An OTA code quoted in an error text such as ``[type 3 code 402] unknown room``."""
    match = _CODE_IN_TEXT.search(text or "")
    return match.group(1) if match else None


def code_title(code):
    entry = OTA_ERROR_CODES.get(str(code)) if code else None
    return entry[0] if entry else None


def explain(code=None, *, error_type=None, http_status=None, error=None):
    """The most specific explanation known for an error, in words; ``""`` when none applies.

    OTA code first, then the HTTP status, the client's error class, the OTA error type.

    ``error`` is either an exception class name of the client (``PhobsAuthError``) or an error
    text, from which an OTA code or type is read when none is given.
    """
    code = str(code) if code else code_in_text(error)
    if code in OTA_ERROR_CODES:
        title, words = OTA_ERROR_CODES[code]
        return "OTA %s (%s): %s" % (code, title, words)
    if http_status and int(http_status) in HTTP_STATUSES:
        return HTTP_STATUSES[int(http_status)]
    error_class = (error or "").split(":", 1)[0].strip()
    if error_class in ERROR_CLASSES:
        return ERROR_CLASSES[error_class]
    if not error_type:
        match = _TYPE_IN_TEXT.search(error or "")
        error_type = match.group(1) if match else None
    if error_type and str(error_type) in OTA_ERROR_TYPES:
        return OTA_ERROR_TYPES[str(error_type)]
    if code:
        return "OTA %s: a code this module has no explanation for; see the error text." % code
    return ""
