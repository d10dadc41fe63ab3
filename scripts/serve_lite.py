"""Serve the JupyterLite site (build/lite/, made by `make lite`) on this computer only.

    python scripts/serve_lite.py                 # http://127.0.0.1:8800/
    python scripts/serve_lite.py --port 0        # any free port (the line it prints says which)

A plain static file server, Python's own, with two things a JupyterLite site needs: the
JavaScript modules (``.mjs``) and WebAssembly (``.wasm``) are sent with their real types (the
browser refuses to run them otherwise), and it listens on 127.0.0.1, not on every network.
"""

from __future__ import annotations

import argparse
import functools
import http.server
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Types the browser insists on; Python's table lacks them on some versions.
SITE_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".whl": "application/zip",
    ".ipynb": "application/json",
}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files from one folder with `SITE_TYPES`; quiet unless asked."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **SITE_TYPES}
    verbose = False

    def log_message(self, format: str, *args: object) -> None:
        if self.verbose:
            super().log_message(format, *args)


def make_server(site: Path, port: int = 8800, verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for `site` on 127.0.0.1:`port` (0: any free port), not yet serving: call
    ``serve_forever()`` on it (a test runs that in a thread and calls ``shutdown()`` after)."""
    if not (site / "index.html").is_file():
        raise SystemExit(f"error: {site} holds no JupyterLite site; build it first with `make lite`.")
    handler = functools.partial(SiteHandler, directory=str(site))
    SiteHandler.verbose = verbose
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "build" / "lite", help="the built site")
    parser.add_argument("--port", type=int, default=8800, help="the port (0: any free one)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    options = parser.parse_args(argv)
    server = make_server(options.site, options.port, options.verbose)
    host, port = server.server_address[:2]
    print(f"==> the course in your browser: http://{host}:{port}/lab/index.html?path=00_index.ipynb (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
