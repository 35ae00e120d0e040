"""Front-end libraries, served by jixiao itself (users' networks are often closed: no CDN).

They come from the npm registry at setup time (``make web-assets`` runs ``npm ci`` in
``jixiao/web/frontend``) and are never committed. Only the files named here are served, by
name: a request never names a path. Without them the app still works (forms and links);
the dashboard shows its tables instead of charts, and a warning is logged at startup.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("jixiao.web")

VENDOR_FILES = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts.min.js": "echarts/dist/echarts.min.js",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}


def vendor_files(vendor_dir: Path) -> dict[str, Path]:
    """The libraries present: served name -> file."""
    found = {}
    for name, rel in VENDOR_FILES.items():
        path = vendor_dir / rel
        if path.is_file():
            found[name] = path
    missing = sorted(set(VENDOR_FILES) - set(found))
    if missing:
        log.warning(
            "front-end libraries missing in %s: %s (run `make web-assets`); "
            "pages still work without charts and live updates",
            vendor_dir,
            ", ".join(missing),
        )
    return found
