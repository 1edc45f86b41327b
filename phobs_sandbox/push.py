"""Signed webhook delivery of reservation messages, retried with backoff until acknowledged.

One message per POST, oldest first, so the receiver sees versions in the order they happened
unless an ``out_of_order_delivery`` fault says otherwise. A push and a pull can both deliver the
same unacknowledged message; whichever acknowledges first settles it.
"""
import hashlib
import hmac
import logging
import threading
import time

import httpx

from . import ota, soap, xmlutil
from .dates import utc_stamp
from .errors import SoapFault
from .faults import DELIVERY
from .xmlutil import child, children, descendants, fragment

log = logging.getLogger(__name__)
OPERATION = "OTA_HotelResNotifRQ"


def signature(secret, timestamp, body):
    """``sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`` of docs/protocol.md."""
    mac = hmac.new((secret or "").encode("utf-8"), str(timestamp).encode("ascii") + b"." + body,
                   hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _acknowledgement(response, message_id):
    """(acknowledged, PMS id, reason): only a 2xx Success naming the message id (Type 16) counts."""
    if not 200 <= response.status_code < 300:
        return False, None, "HTTP %d" % response.status_code
    try:
        _, payload = soap.open_envelope(xmlutil.parse(response.content))
    except SoapFault as err:
        return False, None, "unreadable reply: %s" % err.faultstring
    if child(payload, "Success") is None:
        return False, None, "reply without Success"
    for reservation in children(child(payload, "HotelReservations"), "HotelReservation"):
        if any(u.get("Type") == "16" and u.get("ID") == message_id
               for u in children(reservation, "UniqueID")):
            pms_id = next((h.get("ResID_Value")
                           for h in descendants(reservation, "HotelReservationID")
                           if h.get("ResID_Type") == "10"), None)
            return True, pms_id, None
    return False, None, "reply does not name message %s" % message_id


class Pusher:
    def __init__(self, store, faults, retry_base=1.0, retry_max=300.0, timeout=5.0):
        self.store = store
        self.faults = faults
        self.retry_base = retry_base
        self.retry_max = retry_max
        self._http = httpx.Client(timeout=httpx.Timeout(timeout))
        self._cycle_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = None

    @property
    def enabled(self):
        return self.store.setting("push_enabled", False)

    def set_enabled(self, enabled):
        self.store.set_setting("push_enabled", bool(enabled))
        self.notify()

    def notify(self):
        """A new message is waiting: wake the worker instead of letting it sleep out its poll."""
        self._wake.set()

    def start(self):
        self._thread = threading.Thread(target=self._loop, name="push", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._http.close()

    def _loop(self):
        while not self._stop.is_set():
            self._wake.wait(timeout=0.5)
            self._wake.clear()
            if self.enabled and not self._stop.is_set():
                try:
                    self.cycle(force=False)
                except Exception:
                    log.exception("push cycle failed")

    def cycle(self, force):
        """Push what is due (everything pending when ``force``); returns counts of the outcome."""
        with self._cycle_lock:
            rows = self.store.due_pushes(time.time(), force)
            rules = self.faults.draw(DELIVERY, "push", OPERATION, first_only=False) if rows else []
            kinds = {rule["kind"] for rule in rules}
            if "out_of_order_delivery" in kinds:
                rows.reverse()
            summary = {"attempted": len(rows), "acknowledged": 0, "failed": 0}
            for row in rows:
                acked = self._deliver(row, 2 if "duplicate_delivery" in kinds else 1)
                summary["acknowledged" if acked else "failed"] += 1
            return summary

    def _deliver(self, row, times):
        body = soap.envelope(ota.hotel_res_notif_rq("push-" + row["id"], [fragment(row["xml"])]))
        acked, pms_id, failure = False, None, None
        for _ in range(times):
            timestamp = str(int(time.time()))
            try:
                response = self._http.post(row["webhook_url"], content=body, headers={
                    "Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"%s"' % OPERATION,
                    "X-Phobs-Timestamp": timestamp,
                    "X-Phobs-Signature": signature(row["webhook_secret"], timestamp, body),
                })
            except httpx.HTTPError as err:
                failure = "%s: %s" % (type(err).__name__, err)
                continue
            ok, named_pms_id, failure = _acknowledgement(response, row["id"])
            if ok:
                acked, pms_id = True, named_pms_id or pms_id
        if acked:
            self.store.acknowledge(row["hotel"], row["id"], utc_stamp(), "push", pms_id)
            self.store.record_push(row["id"], times)
        else:
            delay = min(self.retry_base * 2 ** row["push_attempts"], self.retry_max)
            self.store.record_push(row["id"], times, time.time() + delay, failure)
            log.info("push of %s failed (%s); next try in %.1fs", row["id"], failure, delay)
        return acked
