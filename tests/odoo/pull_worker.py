"""A separate Odoo process for the crash tests: it commits for real, like a cron worker.

    python pull_worker.py CONFIG DB setup HOTEL_CODE CLIENT_ID SECRET SANDBOX_URL ROOM_CODE
    python pull_worker.py CONFIG DB pull BACKEND_ID
    python pull_worker.py CONFIG DB register BACKEND_ID PUBLIC_URL
    python pull_worker.py CONFIG DB flush BACKEND_ID
Prints one JSON line with the outcome.
"""
import json
import sys

import odoo


def main(config, database, command, *args):
    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level", "warn"])
    registry = odoo.registry(database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if command == "setup":
            print(json.dumps(setup(env, *args)))
        elif command == "pull":
            from odoo.addons.phobs_channel_manager.services.reservation_sync import (
                PhobsReservationSyncService)
            backend = env["phobs.backend"].browse(int(args[0])).with_context(
                phobs_no_flush_trigger=True)
            result = PhobsReservationSyncService(env, backend).pull()
            print(json.dumps(result.__dict__))
        elif command == "register":
            backend = env["phobs.backend"].browse(int(args[0]))
            backend.public_url = args[1]
            backend.action_register_webhook()
            print(json.dumps({"webhook_url": backend.webhook_url}))
        elif command == "flush":
            from odoo.addons.phobs_channel_manager.services.inventory import PhobsInventoryService
            result = PhobsInventoryService(env, env["phobs.backend"].browse(int(args[0]))).flush()
            print(json.dumps({"rows": result.rows, "failed_batches": result.failed_batches}))
        else:
            raise SystemExit("unknown command %s" % command)


def setup(env, hotel_code, client_id, secret, sandbox_url, room_code):
    env.user.company_id.partner_id.tz = "UTC"
    backend = env["phobs.backend"].create({
        "name": "Crash test %s" % hotel_code, "hotel_code": hotel_code, "environment": "demo",
        "base_url": sandbox_url, "auth_mode": "oauth2", "client_id": client_id,
        "client_secret": secret,
    })
    room_type = env["hotel.room.type"].create({"name": "Crash %s" % room_code,
                                               "phobs_code": room_code,
                                               "phobs_backend_id": backend.id})
    for number in range(1, 6):
        env["hotel.room"].create({"name": "%s-%d" % (room_code, number),
                                  "room_categ_id": room_type.id, "capacity": 2, "list_price": 90})
    return {"backend_id": backend.id}


if __name__ == "__main__":
    main(*sys.argv[1:])
