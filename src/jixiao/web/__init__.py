"""The web app (``jixiao serve``): upload reports, read each finding beside its table, accept
or reject it, see the whole jurisdiction on a dashboard; a JSON API under ``/api``.

``create_app(Settings(...))`` builds the FastAPI application; see ``docs/web.md``.
"""

from jixiao.web.settings import Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings | None = None):
    from jixiao.web.app import create_app as _create

    return _create(settings)
