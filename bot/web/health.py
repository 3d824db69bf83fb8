"""GET /healthz and GET /metrics."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.storage.db import SessionFactory
from bot.web.metrics import Metrics
from bot.web.status import ServiceStatus

log = logging.getLogger(__name__)
DB_CHECK_TIMEOUT = 3.0


async def database_reachable(sessions: SessionFactory) -> bool:
    try:
        async with asyncio.timeout(DB_CHECK_TIMEOUT):
            async with sessions() as session:
                await session.exec(text("SELECT 1"))
        return True
    except Exception as exc:  # noqa: BLE001  (any failure means "not reachable")
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return False


def health_routes(status: ServiceStatus, metrics: Metrics, sessions: SessionFactory,
                  clock=lambda: datetime.now(timezone.utc)) -> list[Route]:
    async def healthz(request: Request) -> Response:
        """200 when the database answers and the sweep runs; 503 otherwise."""
        database = await database_reachable(sessions)
        healthy = database and not status.sweep_overdue()
        age = status.sweep_age()
        body = {"status": "ok" if healthy else "unhealthy", "role": status.role,
                "database": database,
                "last_sweep_age_seconds": round(age, 1) if age is not None else None}
        return JSONResponse(body, status_code=200 if healthy else 503)

    async def metrics_page(request: Request) -> Response:
        """Prometheus text format; gauges read fresh from the database."""
        try:
            async with asyncio.timeout(DB_CHECK_TIMEOUT * 2):
                await metrics.refresh(sessions, now=clock())
        except Exception as exc:  # noqa: BLE001  (serve the counters anyway)
            log.warning("metrics: database figures unavailable (%s)", type(exc).__name__)
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    return [Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics_page, methods=["GET"])]
