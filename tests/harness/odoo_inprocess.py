"""Odoo's own WSGI application served from the test process, on a loopback port.

Tests that run in Odoo's test mode (one cursor for the test and every request, rolled back at
the end) need the HTTP requests handled where that cursor lives: this is what Odoo's HttpCase
does, with a real HTTP server so the sandbox can push to it over the network.
"""
import threading

import odoo
from werkzeug.serving import make_server

from .processes import free_port

_server = None


def serve_odoo(database):
    """Starts (once) a threaded werkzeug server for ``odoo.http.root``; returns its URL."""
    global _server
    if _server is None:
        odoo.tools.config["dbfilter"] = "^%s$" % database
        port = free_port()
        server = make_server("127.0.0.1", port, odoo.service.wsgi_server.application,
                             threaded=True)
        threading.Thread(target=server.serve_forever, name="odoo-test-http", daemon=True).start()
        _server = (server, "http://127.0.0.1:%d" % port)
    return _server[1]
