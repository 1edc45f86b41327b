"""``python -m phobs_sandbox``: run the sandbox until SIGTERM or SIGINT."""
import argparse
import logging
import signal
import sys
import threading

from . import config
from .app import Sandbox
from .server import SandboxServer


def _positive(kind):
    def convert(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError("must be positive")
        return value
    return convert


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m phobs_sandbox",
        description="A local Phobs stand-in speaking docs/protocol.md; "
                    "runs until SIGTERM or SIGINT.",
        epilog="Faults are injected while it runs: POST /_control/faults with rules of a kind "
               "(latency, http_503, ...) that may be limited to a path, an operation or a "
               "hotel (its code: only that hotel's requests), e.g. "
               '{"rules": [{"kind": "latency", "latency_ms": 30000, "hotel": "HTL2"}]}. '
               "See phobs_sandbox/README.md.")
    parser.add_argument("--port", type=int, required=True, help="TCP port; 0 picks a free one")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--db", default=":memory:", metavar="PATH",
                        help="SQLite file (default: in memory)")
    parser.add_argument("--config", metavar="HOTELS_JSON",
                        help="hotels JSON (default: the demo hotel DEMO01)")
    parser.add_argument("--token-ttl", type=_positive(int), default=3600, metavar="SECONDS",
                        help="OAuth2 token lifetime (default 3600)")
    parser.add_argument("--simulate-every", type=_positive(float), metavar="SECONDS",
                        help="let the channels book, modify or cancel once every SECONDS")
    parser.add_argument("--seed", type=int, help="seed of the simulator and of fault probabilities")
    parser.add_argument("--push", action="store_true",
                        help="push reservations to registered webhooks")
    parser.add_argument("--push-retry-base", type=_positive(float), default=1.0, metavar="SECONDS",
                        help="first retry delay of a failed push; doubles per attempt (max 300 s)")
    parser.add_argument("--page-size", type=_positive(int), default=100, metavar="N",
                        help="reservations per pull when the RQ sets no MaxResponses")
    parser.add_argument("--log-availability", action="store_true",
                        help="keep every BookingLimit change (GET /_control/hotels/CODE/"
                             "availability-log), to tell why a room was sold twice")
    parser.add_argument("--log-level", default="WARNING",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"), type=str.upper)
    args = parser.parse_args(argv)
    try:
        args.hotels = config.load(args.config)
    except (OSError, ValueError) as err:
        parser.error("--config: %s" % err)
    return args


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sandbox = Sandbox(args.hotels, db=args.db, token_ttl=args.token_ttl, seed=args.seed,
                      push=args.push, page_size=args.page_size,
                      push_retry_base=args.push_retry_base,
                      log_availability=args.log_availability)
    server = SandboxServer((args.host, args.port), sandbox)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    sandbox.start(args.simulate_every)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               name="http")
    serving.start()
    host, port = server.server_address[:2]
    shown = "[%s]" % host if ":" in host else host
    print("phobs-sandbox listening on http://%s:%d" % (shown, port), flush=True)
    while not stopping.wait(0.5):
        pass
    server.shutdown()
    serving.join()
    server.server_close()
    sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
