"""The portal as uvicorn runs it: ``ebs portal serve`` passes its settings to each worker
process through the environment and uvicorn calls :func:`app_from_environment` there.

* ``EBS_DATABASE_URL``: the database;
* ``EBS_PORTAL_SECRET``: the key of the CSRF tokens, the same on every worker;
* ``EBS_PORTAL_INSECURE_COOKIES=1``: cookies without ``Secure`` (plain-HTTP demo);
* ``EBS_PORTAL_BASE_URL``: where links in emails point;
* ``EBS_PORTAL_TRUSTED_PROXIES``: comma-separated addresses whose ``X-Forwarded-For`` is
  believed (default ``127.0.0.1``).
"""

from __future__ import annotations

import os

from starlette.applications import Starlette

from ebs_desktop.config import resolve_database_url
from ebs_desktop.portal.app import create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services import database as database_service


def config_from_environment() -> PortalConfig:
    proxies = os.environ.get("EBS_PORTAL_TRUSTED_PROXIES", "127.0.0.1")
    return PortalConfig(
        secret_key=os.environ["EBS_PORTAL_SECRET"].encode(),
        secure_cookies=os.environ.get("EBS_PORTAL_INSECURE_COOKIES", "") != "1",
        base_url=os.environ.get("EBS_PORTAL_BASE_URL", "http://127.0.0.1:8080"),
        trusted_proxies=tuple(p.strip() for p in proxies.split(",") if p.strip()))


def app_from_environment() -> Starlette:
    db = database_service.open_database(resolve_database_url(None))
    database_service.check_schema(db)
    return create_app(db, config_from_environment())
