"""One module per concept; importing this package registers every table."""
from .audit_event import AuditEvent
from .card_item import CardItem
from .care_card import CareCard
from .care_group_decision import CareGroupDecision
from .care_plan import CarePlan
from .care_plan_version import CarePlanVersion
from .day_confirmation import DayConfirmation
from .device import Device
from .duty_post import DutyPost
from .entry import Entry
from .home import Home
from .login_attempt import LoginAttempt
from .relative_link import RelativeLink
from .resident import Resident
from .signing_key import SigningKey
from .sync_state import SyncState
from .unit import Unit
from .user import User
from .user_session import UserSession

__all__ = ["AuditEvent", "CardItem", "CareCard", "CareGroupDecision", "CarePlan", "CarePlanVersion",
           "DayConfirmation", "Device", "DutyPost", "Entry", "Home",
           "LoginAttempt", "RelativeLink", "Resident", "SigningKey", "SyncState", "Unit", "User", "UserSession"]
