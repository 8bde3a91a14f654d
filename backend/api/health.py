"""Health checks for a load balancer or an orchestrator (docs/operations.md).

Liveness is /version.json (backend/web.py): it never touches the database, so a database fault does not get the
server restarted. Readiness, here, asks the database: 200 while it answers, else the 503 of every database fault
(errors.py), within the connect and answer limits (backend/config.py)."""
from flask import Blueprint
from sqlalchemy import text

from ..extensions import db
from .registry import PUBLIC, route

bp = Blueprint("health", __name__, url_prefix="/api/health")


@route(bp, "/ready", roles=PUBLIC, summary="Readiness: 200 while the database answers, else 503")
def ready():
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
    return {"database": "ok"}
