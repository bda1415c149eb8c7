"""The container's HEALTHCHECK: exit 0 when ``mlcareer run``'s ops endpoint says it is healthy.

Asks ``GET http://MLCAREER_OPS_HOST:MLCAREER_OPS_PORT/healthz`` (default 127.0.0.1:8081) with
a short timeout, using only the standard library: the slim image has no curl. Any answer but
2xx, or nothing listening, exits 1 with one line saying what went wrong (Docker keeps it in
``docker inspect``'s health log). deploy/build.sh installs it as bin/mlcareer-healthcheck.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 3.0
# A server bound to every address is asked on loopback.
_ANY_ADDRESS = {"", "0.0.0.0", "::", "[::]"}


def health_url(environ: dict[str, str]) -> str:
    """The ops endpoint's /healthz URL, from the same settings ``mlcareer run`` reads."""
    host = environ.get("MLCAREER_OPS_HOST", "").strip()
    host = "127.0.0.1" if host in _ANY_ADDRESS else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    port = environ.get("MLCAREER_OPS_PORT", "").strip() or "8081"
    return f"http://{host}:{port}/healthz"


def main() -> int:
    """Check once; print why on failure; 0 healthy, 1 not."""
    url = health_url(dict(os.environ))
    # No proxy: an HTTP_PROXY in the container's environment must not carry a loopback check.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response:
            print(f"healthy: {url} answered {response.status}")
            return 0
    except urllib.error.HTTPError as exc:
        body = exc.read(200).decode("utf-8", errors="replace").strip()
        print(f"unhealthy: {url} answered {exc.code} {body}".rstrip(), file=sys.stderr)
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        print(
            f"unhealthy: nothing answers at {url} ({reason}); is 'mlcareer run' up, with its "
            "ops endpoint on that host and port (MLCAREER_OPS_HOST, MLCAREER_OPS_PORT)?",
            file=sys.stderr,
        )
    return 1


if __name__ == "__main__":
    sys.exit(main())
