"""The failures the sandbox answers with, one class per way they travel back to the caller."""


class OtaError(Exception):
    """A business error: HTTP 200 with ``<Errors><Error Type Code>`` in the RS.

    Raised anywhere below the HTTP layer (operations, booking engine) so the reply format is
    decided in one place; the control API turns it into a JSON 400 with the same code.
    """

    def __init__(self, code, text, error_type="3"):
        super().__init__(text)
        self.code = None if code is None else str(code)
        self.text = text
        self.error_type = str(error_type)


class SoapFault(Exception):
    """A SOAP Fault: the request could not be understood or was not authenticated."""

    def __init__(self, faultstring, faultcode="soap:Client", status=500):
        super().__init__(faultstring)
        self.faultstring = faultstring
        self.faultcode = faultcode
        self.status = status


class ControlError(Exception):
    """A control-API refusal with its HTTP status (400 bad input, 404 unknown, 409 conflict)."""

    def __init__(self, status, message, **extra):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


class Conflict(Exception):
    """The request is well-formed but the reservation's state forbids it (HTTP 409)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class NotSellable(Conflict):
    """The channel may not sell this stay: no BookingLimit left, stop-sell or a restriction."""
