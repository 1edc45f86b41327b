"""The sandbox's tables, and the columns the store reads and writes by name."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hotels (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, currency TEXT NOT NULL, timezone TEXT NOT NULL,
    default_rate TEXT NOT NULL, client_id TEXT UNIQUE, client_secret TEXT,
    username TEXT UNIQUE, password TEXT, webhook_url TEXT, webhook_secret TEXT);
CREATE TABLE IF NOT EXISTS room_types (
    hotel TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, units INTEGER NOT NULL,
    PRIMARY KEY (hotel, code));
CREATE TABLE IF NOT EXISTS rate_plans (
    hotel TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, default_rate TEXT,
    PRIMARY KEY (hotel, code));
CREATE TABLE IF NOT EXISTS rate_plan_room_types (
    hotel TEXT NOT NULL, rate_plan TEXT NOT NULL, room_type TEXT NOT NULL,
    PRIMARY KEY (hotel, rate_plan, room_type));
CREATE TABLE IF NOT EXISTS availability (
    hotel TEXT NOT NULL, room_type TEXT NOT NULL, day TEXT NOT NULL, booking_limit INTEGER NOT NULL,
    PRIMARY KEY (hotel, room_type, day));
-- Every change of a BookingLimit, for diagnosing overbookings: when, the new value, and what
-- set it (an OTA_HotelAvailNotifRQ, a channel sale or change, a front-desk upload).
CREATE TABLE IF NOT EXISTS availability_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, hotel TEXT NOT NULL,
    room_type TEXT NOT NULL, day TEXT NOT NULL, booking_limit INTEGER NOT NULL,
    delta INTEGER, source TEXT NOT NULL, ref TEXT);
CREATE TABLE IF NOT EXISTS restrictions (
    hotel TEXT NOT NULL, room_type TEXT NOT NULL, rate_plan TEXT NOT NULL, day TEXT NOT NULL,
    min_los INTEGER, max_los INTEGER, stop_sell INTEGER NOT NULL DEFAULT 0,
    closed_to_arrival INTEGER NOT NULL DEFAULT 0, closed_to_departure INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (hotel, room_type, rate_plan, day));
CREATE TABLE IF NOT EXISTS rates (
    hotel TEXT NOT NULL, room_type TEXT NOT NULL, rate_plan TEXT NOT NULL, day TEXT NOT NULL,
    guests INTEGER NOT NULL, amount TEXT NOT NULL, currency TEXT NOT NULL,
    PRIMARY KEY (hotel, room_type, rate_plan, day, guests));
CREATE TABLE IF NOT EXISTS reservations (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, hotel TEXT NOT NULL, origin TEXT NOT NULL,
    pms_id TEXT, status TEXT NOT NULL, version INTEGER NOT NULL, snapshot TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS reservations_pms ON reservations (hotel, pms_id)
    WHERE pms_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, hotel TEXT NOT NULL,
    reservation_id TEXT NOT NULL, version INTEGER NOT NULL, res_status TEXT NOT NULL,
    xml TEXT NOT NULL, created_at TEXT NOT NULL, delivered_count INTEGER NOT NULL DEFAULT 0,
    pushed_count INTEGER NOT NULL DEFAULT 0, push_attempts INTEGER NOT NULL DEFAULT 0,
    next_push_at REAL NOT NULL DEFAULT 0, last_push_error TEXT, acked_at TEXT, acked_via TEXT,
    ack_pms_id TEXT, ack_error TEXT);
CREATE TABLE IF NOT EXISTS uploads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, hotel TEXT NOT NULL, pms_id TEXT, reservation_id TEXT,
    res_status TEXT, echo_token TEXT, received_at TEXT NOT NULL, summary TEXT NOT NULL,
    xml TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, hotel TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS echo_tokens (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, endpoint TEXT NOT NULL, operation TEXT NOT NULL,
    token TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (
    scope TEXT NOT NULL, name TEXT NOT NULL, metric TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (scope, name, metric));
"""
#: Tables that ``reset`` empties: everything that happened, not what the hotels are.
TRANSIENT = ("availability", "availability_log", "restrictions", "rates", "reservations", "messages", "uploads",
             "echo_tokens", "counters")
RESTRICTION_COLUMNS = ("min_los", "max_los", "stop_sell", "closed_to_arrival",
                       "closed_to_departure")
HOTEL_FIELDS = ("code", "name", "currency", "timezone", "default_rate", "client_id",
                "client_secret", "username", "password", "webhook_url", "webhook_secret")
MESSAGE_FIELDS = ("id", "hotel", "reservation_id", "version", "res_status", "created_at",
                  "delivered_count", "pushed_count", "push_attempts", "last_push_error", "acked_at",
                  "acked_via", "ack_pms_id", "ack_error")
