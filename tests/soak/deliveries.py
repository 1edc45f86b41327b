"""How OTA messages reach Odoo besides the sandbox's own pusher and Odoo's pulls: signed webhook
pushes sent by the soak, deliberately repeated and out of order.

Phobs may deliver a message twice (a retry whose acknowledgement was lost) and versions of one
booking in any order (parallel deliveries). The soak sends pending messages as Phobs would,
newest version first, some twice, plus old versions Odoo has already seen. The sandbox does not
learn of these deliveries: it delivers the same messages again later, by push or pull."""
import re
import time
import uuid

import httpx

from odoo.addons.phobs_channel_manager.phobs_api.webhook import sign


def envelope(message_xml):
    """The OTA_HotelResNotifRQ a webhook receives, around one stored reservation message."""
    fragment = re.sub(r"^<\?xml[^>]*\?>", "", message_xml)
    return (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<OTA_HotelResNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" Version="1.0" '
        'EchoToken="%s" TimeStamp="%s"><HotelReservations>%s</HotelReservations>'
        '</OTA_HotelResNotifRQ></soap:Body></soap:Envelope>'
        % (uuid.uuid4().hex, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), fragment)
    ).encode()


class SoakPusher:
    def __init__(self, url, secret, rng, timeout=10.0):
        self.url, self.secret, self.rng = url, secret, rng
        self.http = httpx.Client(timeout=timeout)
        self.counts = {"sent": 0, "acknowledged": 0, "refused": 0, "unanswered": 0,
                       "duplicates": 0, "out_of_order": 0, "stale": 0}

    def close(self):
        self.http.close()

    def push(self, message):
        body = envelope(message["xml"])
        stamp = str(int(time.time()))
        self.counts["sent"] += 1
        try:
            response = self.http.post(self.url, content=body, headers={
                "Content-Type": "text/xml; charset=utf-8", "X-Phobs-Timestamp": stamp,
                "X-Phobs-Signature": sign(self.secret, stamp, body)})
        except httpx.HTTPError:
            self.counts["unanswered"] += 1  # a killed worker or a restarting database
            return False
        if response.status_code == 200 and b"Success" in response.content:
            self.counts["acknowledged"] += 1
            return True
        self.counts["refused"] += 1
        return False

    def burst(self, pending, seen):
        """Pushes the pending messages: per booking newest version first, about one in five
        twice, then a few old versions from ``seen`` (messages already delivered)."""
        by_booking = {}
        for message in pending:
            by_booking.setdefault(message["reservation_id"], []).append(message)
        bookings = list(by_booking.values())
        self.rng.shuffle(bookings)
        for versions in bookings:
            versions.sort(key=lambda m: m["version"], reverse=True)
            if len(versions) > 1:
                self.counts["out_of_order"] += 1
            for message in versions:
                self.push(message)
                if self.rng.random() < 0.2:
                    self.counts["duplicates"] += 1
                    self.push(message)
        for message in self.rng.sample(seen, min(len(seen), 3)):
            self.counts["stale"] += 1
            self.push(message)
