"""The sandbox's memory: one SQLite database behind one lock.

Every query lives here. HTTP threads, the simulator and the push worker all go through
``transaction()``, which serialises them on a re-entrant lock, so a booking can check and decrement
BookingLimit for all its nights atomically while an inventory push or another booking waits.
"""
import json
import secrets
import sqlite3
import string
import threading
import time
from contextlib import contextmanager

from .schema import HOTEL_FIELDS, MESSAGE_FIELDS, RESTRICTION_COLUMNS, SCHEMA, TRANSIENT


def _placeholders(values):
    return ",".join("?" * len(values))


class Store:
    def __init__(self, path=":memory:", log_availability=False):
        #: Keep every BookingLimit change in ``availability_log`` (the soak's diagnosis).
        self.log_availability = log_availability
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(SCHEMA)
        with self.transaction():
            if self._meta("instance") is None:
                alphabet = string.ascii_uppercase + string.digits
                self._set_meta("instance", "".join(secrets.choice(alphabet) for _ in range(4)))

    @contextmanager
    def transaction(self):
        """Atomic and exclusive; nested calls join the outer transaction."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self._db
            except BaseException:
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            else:
                if outer:
                    self._db.execute("COMMIT")
            finally:
                self._depth -= 1

    def _all(self, sql, params=()):
        with self.transaction() as db:
            return [dict(row) for row in db.execute(sql, params)]

    def _one(self, sql, params=()):
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _run(self, sql, params=()):
        with self.transaction() as db:
            return db.execute(sql, params).rowcount

    def close(self):
        with self._lock:
            self._db.close()

    # meta -------------------------------------------------------------------------------------

    def _meta(self, key):
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else row["value"]

    def _set_meta(self, key, value):
        self._run("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))

    def new_id(self, prefix):
        """``R-K7Q2-000017``: the instance part keeps ids unique across resets and restarts."""
        with self.transaction():
            number = int(self._meta("seq:" + prefix) or 0) + 1
            self._set_meta("seq:" + prefix, number)
            return "%s-%s-%06d" % (prefix, self._meta("instance"), number)

    def setting(self, key, default=None):
        value = self._meta("setting:" + key)
        return default if value is None else json.loads(value)

    def set_setting(self, key, value):
        self._set_meta("setting:" + key, json.dumps(value))

    # hotels -----------------------------------------------------------------------------------

    def put_hotel(self, hotel):
        """Create or replace a hotel; inventory of room types and rate plans it lost goes too."""
        with self.transaction() as db:
            db.execute("DELETE FROM hotels WHERE code = ?", (hotel["code"],))
            try:
                db.execute("INSERT INTO hotels (%s) VALUES (%s)" % (
                    ",".join(HOTEL_FIELDS), _placeholders(HOTEL_FIELDS)),
                    [hotel.get(field) for field in HOTEL_FIELDS])
            except sqlite3.IntegrityError as err:
                raise ValueError("client_id and username must be unique across hotels") from err
            for table in ("room_types", "rate_plans", "rate_plan_room_types"):
                db.execute("DELETE FROM %s WHERE hotel = ?" % table, (hotel["code"],))
            for room in hotel["room_types"]:
                db.execute("INSERT INTO room_types VALUES (?, ?, ?, ?)",
                           (hotel["code"], room["code"], room["name"], room["units"]))
            for plan in hotel["rate_plans"]:
                db.execute("INSERT INTO rate_plans VALUES (?, ?, ?, ?)",
                           (hotel["code"], plan["code"], plan["name"], plan.get("default_rate")))
                db.executemany("INSERT INTO rate_plan_room_types VALUES (?, ?, ?)",
                               [(hotel["code"], plan["code"], room) for room in plan["room_types"]])
            for table in ("availability", "restrictions", "rates"):
                db.execute("DELETE FROM %s WHERE hotel = ? AND room_type NOT IN "
                           "(SELECT code FROM room_types WHERE hotel = ?)" % table,
                           (hotel["code"], hotel["code"]))
            for table in ("restrictions", "rates"):
                db.execute("DELETE FROM %s WHERE hotel = ? AND rate_plan NOT IN "
                           "(SELECT code FROM rate_plans WHERE hotel = ?)" % table,
                           (hotel["code"], hotel["code"]))

    def hotel(self, code):
        with self.transaction():
            hotel = self._one("SELECT * FROM hotels WHERE code = ?", (code,))
            if hotel is None:
                return None
            hotel["room_types"] = self._all(
                "SELECT code, name, units FROM room_types WHERE hotel = ? ORDER BY code", (code,))
            hotel["rate_plans"] = self._all("SELECT code, name, default_rate FROM rate_plans "
                                            "WHERE hotel = ? ORDER BY code", (code,))
            for plan in hotel["rate_plans"]:
                plan["room_types"] = [row["room_type"] for row in self._all(
                    "SELECT room_type FROM rate_plan_room_types WHERE hotel = ? AND rate_plan = ? "
                    "ORDER BY room_type", (code, plan["code"]))]
            return hotel

    def hotel_codes(self):
        return [row["code"] for row in self._all("SELECT code FROM hotels ORDER BY code")]

    def hotel_by_credential(self, column, value):
        if column not in ("client_id", "username"):
            raise ValueError(column)
        return self._one("SELECT * FROM hotels WHERE %s = ?" % column, (value,))

    def set_webhook(self, code, url, secret):
        self._run("UPDATE hotels SET webhook_url = ?, webhook_secret = ? WHERE code = ?",
                  (url, secret, code))

    # tokens -----------------------------------------------------------------------------------

    def add_token(self, token, hotel, expires_at):
        self._run("INSERT INTO tokens VALUES (?, ?, ?)", (token, hotel, expires_at))

    def token_hotel(self, token, now):
        row = self._one("SELECT hotel FROM tokens WHERE token = ? AND expires_at > ?", (token, now))
        return None if row is None else row["hotel"]

    def revoke_token(self, token):
        self._run("DELETE FROM tokens WHERE token = ?", (token,))

    # inventory --------------------------------------------------------------------------------

    def booking_limits(self, hotel, room_type, days):
        """BookingLimit per day; a day never pushed nor sold still has the room type's units."""
        rows = self._all(
            "SELECT day, booking_limit FROM availability WHERE hotel = ? AND room_type = ? "
            "AND day IN (%s)" % _placeholders(days), [hotel, room_type] + list(days))
        units = self._one("SELECT units FROM room_types WHERE hotel = ? AND code = ?",
                          (hotel, room_type))["units"]
        stored = {row["day"]: row["booking_limit"] for row in rows}
        return {day: stored.get(day, units) for day in days}

    def set_availability(self, hotel, room_type, days, limit, ref=None):
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO availability VALUES (?, ?, ?, ?)",
                           [(hotel, room_type, day, limit) for day in days])
            self._log_availability(db, [(hotel, room_type, day, limit, None, "ota", ref)
                                        for day in days])

    def adjust_availability(self, hotel, room_type, day, delta, source="sale", ref=None):
        with self.transaction() as db:
            current = self.booking_limits(hotel, room_type, [day])[day]
            db.execute("INSERT OR REPLACE INTO availability VALUES (?, ?, ?, ?)",
                       (hotel, room_type, day, current + delta))
            self._log_availability(db, [(hotel, room_type, day, current + delta, delta, source,
                                         ref)])

    def _log_availability(self, db, rows):
        if not self.log_availability:
            return
        at = time.time()
        db.executemany("INSERT INTO availability_log (at, hotel, room_type, day, booking_limit, "
                       "delta, source, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [(at,) + row for row in rows])

    def availability_log(self, hotel, since=0):
        return self._all("SELECT * FROM availability_log WHERE hotel = ? AND seq > ? ORDER BY seq",
                         (hotel, since))

    def set_restrictions(self, hotel, room_type, rate_plan, days, changes):
        """Upsert only the restriction columns named in ``changes``; the others keep their value."""
        columns = [column for column in RESTRICTION_COLUMNS if column in changes]
        values = [int(changes[c]) if isinstance(changes[c], bool) else changes[c] for c in columns]
        with self.transaction() as db:  # two statements for all days: a year is one message
            db.executemany("INSERT OR IGNORE INTO restrictions (hotel, room_type, rate_plan, day) "
                           "VALUES (?, ?, ?, ?)", [(hotel, room_type, rate_plan, day)
                                                   for day in days])
            db.executemany("UPDATE restrictions SET %s WHERE hotel = ? AND room_type = ? AND "
                           "rate_plan = ? AND day = ?" % ", ".join(c + " = ?" for c in columns),
                           [values + [hotel, room_type, rate_plan, day] for day in days])

    def restrictions(self, hotel, room_type, rate_plan, days):
        rows = self._all(
            "SELECT * FROM restrictions WHERE hotel = ? AND room_type = ? AND rate_plan = ? "
            "AND day IN (%s)" % _placeholders(days), [hotel, room_type, rate_plan] + list(days))
        return {row["day"]: row for row in rows}

    def set_rates(self, hotel, room_type, rate_plan, days, amounts):
        """Set each day's amount per occupancy; ``amounts``: guest count (0 = any) -> (text,
        currency). Occupancies a message does not name keep their amount."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO rates VALUES (?, ?, ?, ?, ?, ?, ?)", [
                (hotel, room_type, rate_plan, day, guests, amount, currency)
                for day in days for guests, (amount, currency) in amounts.items()])

    def rates(self, hotel, room_type, rate_plan, days):
        """{day: {guests: amount text}} for the days that have pushed rates."""
        result = {}
        for row in self._all(
                "SELECT day, guests, amount, currency FROM rates WHERE hotel = ? AND room_type = ? "
                "AND rate_plan = ? AND day IN (%s) ORDER BY day, guests" % _placeholders(days),
                [hotel, room_type, rate_plan] + list(days)):
            result.setdefault(row["day"], {})[row["guests"]] = (row["amount"], row["currency"])
        return result

    def inventory_rows(self, table, hotel, day_from, day_to, room_type=None, rate_plan=None):
        """Stored rows of restrictions or rates, for the control API."""
        if table not in ("restrictions", "rates"):
            raise ValueError(table)
        sql = "SELECT * FROM %s WHERE hotel = ? AND day BETWEEN ? AND ?" % table
        params = [hotel, day_from, day_to]
        if room_type:
            sql, params = sql + " AND room_type = ?", params + [room_type]
        if rate_plan:
            sql, params = sql + " AND rate_plan = ?", params + [rate_plan]
        return self._all(sql + " ORDER BY day", params)

    # reservations and their messages ----------------------------------------------------------

    def save_reservation(self, reservation, origin, pms_id=None):
        with self.transaction() as db:
            exists = db.execute("SELECT seq, pms_id FROM reservations WHERE id = ?",
                                (reservation["id"],)).fetchone()
            seq = exists["seq"] if exists else (
                db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM reservations").fetchone()[0])
            pms_id = pms_id or (exists["pms_id"] if exists else None)
            db.execute("INSERT OR REPLACE INTO reservations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
                reservation["id"], seq, reservation["hotel"], origin, pms_id, reservation["status"],
                reservation["version"], json.dumps(reservation)))

    def reservation(self, reservation_id):
        row = self._one("SELECT snapshot FROM reservations WHERE id = ?", (reservation_id,))
        return None if row is None else json.loads(row["snapshot"])

    def reservation_by_pms_id(self, hotel, pms_id):
        row = self._one("SELECT snapshot FROM reservations WHERE hotel = ? AND pms_id = ?",
                        (hotel, pms_id))
        return None if row is None else json.loads(row["snapshot"])

    def reservations(self, hotel=None, origin=None, active=False):
        sql, params = "SELECT snapshot FROM reservations WHERE 1 = 1", []
        if hotel:
            sql, params = sql + " AND hotel = ?", params + [hotel]
        if origin:
            sql, params = sql + " AND origin = ?", params + [origin]
        if active:
            sql += " AND status != 'Cancel'"
        return [json.loads(row["snapshot"]) for row in self._all(sql + " ORDER BY seq", params)]

    def add_message(self, message_id, reservation, xml, created_at):
        self._run("INSERT INTO messages (id, hotel, reservation_id, version, res_status, xml, "
                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (message_id, reservation["hotel"], reservation["id"], reservation["version"],
                   reservation["status"], xml, created_at))

    def take_undelivered(self, hotel, limit):
        """The oldest unacknowledged messages (counted as delivered) and whether more remain."""
        with self.transaction() as db:
            rows = self._all("SELECT id, xml FROM messages WHERE hotel = ? AND acked_at IS NULL "
                             "ORDER BY seq LIMIT ?", (hotel, limit + 1))
            page = rows[:limit]
            db.executemany("UPDATE messages SET delivered_count = delivered_count + 1 WHERE id = ?",
                           [(row["id"],) for row in page])
            return page, len(rows) > limit

    def acknowledge(self, hotel, message_id, at, via, pms_id=None, ack_error=None):
        """Mark one message acknowledged; False when this hotel has no such message."""
        with self.transaction() as db:
            row = db.execute("SELECT acked_at FROM messages WHERE id = ? AND hotel = ?",
                             (message_id, hotel)).fetchone()
            if row is None:
                return False
            if row["acked_at"] is None:
                db.execute("UPDATE messages SET acked_at = ?, acked_via = ?, ack_pms_id = ?, "
                           "ack_error = ? WHERE id = ?", (at, via, pms_id, ack_error, message_id))
            return True

    def messages(self, state=None, hotel=None, include_xml=False):
        fields = MESSAGE_FIELDS + (("xml",) if include_xml else ())
        sql, params = "SELECT %s FROM messages WHERE 1 = 1" % ",".join(fields), []
        if state == "pending":
            sql += " AND acked_at IS NULL"
        elif state == "acked":
            sql += " AND acked_at IS NOT NULL"
        if hotel:
            sql, params = sql + " AND hotel = ?", params + [hotel]
        return self._all(sql + " ORDER BY seq", params)

    def due_pushes(self, now, force):
        """Unacknowledged messages of hotels with a webhook that may be pushed now, oldest
        first."""
        return self._all(
            "SELECT m.id, m.hotel, m.reservation_id, m.xml, m.push_attempts, h.webhook_url, "
            "h.webhook_secret FROM messages m JOIN hotels h ON h.code = m.hotel "
            "WHERE m.acked_at IS NULL AND h.webhook_url IS NOT NULL AND (? OR m.next_push_at <= ?) "
            "ORDER BY m.seq", (1 if force else 0, now))

    def record_push(self, message_id, posts, next_push_at=None, failure=None):
        """One delivery attempt of ``posts`` POSTs (two under duplicate_delivery)."""
        self._run("UPDATE messages SET pushed_count = pushed_count + ?, "
                  "push_attempts = push_attempts + 1, next_push_at = COALESCE(?, next_push_at), "
                  "last_push_error = ? WHERE id = ?", (posts, next_push_at, failure, message_id))

    # uploads from the PMS ---------------------------------------------------------------------

    def add_upload(self, hotel, summary, echo_token, received_at, xml):
        self._run("INSERT INTO uploads (hotel, pms_id, reservation_id, res_status, echo_token, "
                  "received_at, summary, xml) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  (hotel, summary.get("pms_id"), summary.get("reservation_id"),
                   summary.get("status"), echo_token, received_at, json.dumps(summary), xml))

    def uploads(self, hotel=None):
        sql, params = "SELECT * FROM uploads", []
        if hotel:
            sql, params = sql + " WHERE hotel = ?", [hotel]
        rows = self._all(sql + " ORDER BY seq", params)
        for row in rows:
            row["room_stays"] = json.loads(row.pop("summary"))["room_stays"]
            row.pop("seq")
        return rows

    # traffic ----------------------------------------------------------------------------------

    def count(self, scope, name, **metrics):
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (scope, name, metric) "
                "DO UPDATE SET value = value + excluded.value",
                [(scope, name, metric, value) for metric, value in metrics.items()])

    def counters(self):
        result = {}
        for row in self._all("SELECT * FROM counters ORDER BY scope, name, metric"):
            names = result.setdefault(row["scope"], {})
            names.setdefault(row["name"], {})[row["metric"]] = row["value"]
        return result

    def log_echo_token(self, endpoint, operation, token):
        self._run("INSERT INTO echo_tokens (endpoint, operation, token) VALUES (?, ?, ?)",
                  (endpoint, operation, token))

    def echo_tokens(self):
        result = {}
        for row in self._all("SELECT operation, token FROM echo_tokens ORDER BY seq"):
            result.setdefault(row["operation"], []).append(row["token"])
        return result

    def reset(self):
        with self.transaction() as db:
            for table in TRANSIENT:
                db.execute("DELETE FROM %s" % table)
