"""What a service needs of the request, in one small object: who acts, the clock's now, the tablet and the address.

The API builds it once per request (backend/api/context.py `ctx`); the CLI and tests build their own. Services never
read request globals (tests/domain/test_service_purity.py)."""
from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class Ctx:
    #: The signed-in person (a User), or None (a tablet pushing with its credential alone, a sign-in attempt).
    actor: object
    #: The request's instant, aware (the app's CLOCK).
    now: datetime
    #: The tablet's installation id (the X-Device-Id header), when the request names one.
    device_id: str | None = None
    #: The client's address, for the audit log.
    address: str | None = None
    #: The browser the request came from (its User-Agent, cleaned and cut to the device row's column by the API:
    #: api/input_guard.py agent_text); a tablet's row keeps it so that an unenrolled one is told apart.
    user_agent: str | None = None

    def acting(self, actor):
        """The same request acted by someone else (a relative who just joined, the first administrator)."""
        return replace(self, actor=actor)
