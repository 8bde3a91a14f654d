"""One module per concept; importing this package registers every table."""
from .activity import Activity
from .activity_session import ActivitySession
from .alarm import Alarm
from .alarm_step import AlarmStep
from .audit_event import AuditEvent
from .bed import Bed
from .card_item import CardItem
from .care_card import CareCard
from .care_group_decision import CareGroupDecision
from .care_plan import CarePlan
from .care_plan_version import CarePlanVersion
from .carer_assignment import CarerAssignment
from .carer_block import CarerBlock
from .contract_item import ContractItem
from .day_confirmation import DayConfirmation
from .device import Device
from .device_gap_scan import DeviceGapScan
from .duty_post import DutyPost
from .entry import Entry
from .follow_up_call import FollowUpCall
from .home import Home
from .home_device import HomeDevice
from .invitation import Invitation
from .login_attempt import LoginAttempt
from .programme_item import ProgrammeItem
from .region import Region
from .relative_link import RelativeLink
from .resident import Resident
from .resident_event import ResidentEvent
from .room import Room
from .service_contract import ServiceContract
from .service_item import ServiceItem
from .session_change import SessionChange
from .signing_key import SigningKey
from .survey_response import SurveyResponse
from .sync_state import SyncState
from .unit import Unit
from .user import User
from .user_role import UserRole
from .user_session import UserSession
from .user_unit import UserUnit
from .visit import Visit
from .visit_carer import VisitCarer

__all__ = ["Activity", "ActivitySession", "Alarm", "AlarmStep", "AuditEvent", "Bed", "CardItem", "CareCard",
           "CareGroupDecision", "CarePlan", "CarePlanVersion", "CarerAssignment", "CarerBlock", "ContractItem",
           "DayConfirmation", "Device", "DeviceGapScan", "DutyPost", "Entry", "FollowUpCall", "Home", "HomeDevice",
           "Invitation", "LoginAttempt", "ProgrammeItem", "Region", "RelativeLink", "Resident", "ResidentEvent", "Room",
           "ServiceContract", "ServiceItem", "SessionChange", "SigningKey", "SurveyResponse", "SyncState", "Unit",
           "User", "UserRole", "UserSession", "UserUnit", "Visit", "VisitCarer"]
