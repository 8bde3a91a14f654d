// Roles and what each may do on the tablet: `allows` reads the server's `can`; the lists and rule of roles.py
// may_record (tests/domain/test_roles_shared.py keeps them equal). Design: docs/frontend.md, "lib/roles.js".

export const NURSE = 'nurse';
export const SUPERVISOR = 'supervisor';
export const PLANNER = 'planner';
export const ACTIVITIES = 'activities';
export const ADMIN = 'admin';
export const RELATIVE = 'relative';

/** Who records entries at the bedside (ticks, vitals, notes, condition reports) and home visits (kind 'visit'). */
export const RECORDERS = [NURSE, SUPERVISOR];
/** Who fills the clinical assessment forms. */
export const ASSESSORS = [SUPERVISOR, PLANNER];
/** Questionnaires that are not clinical: activity staff fill them too (SURVEYORS). */
export const SURVEY_FORMS = ['satisfaction_resident', 'milieu_observation', 'milieu_interview', 'specialist_report'];
export const SURVEYORS = [ACTIVITIES, SUPERVISOR, PLANNER];
/** Who marks attendance (and pulls the home's activities: allows(user, 'record_attendance')). */
export const ATTENDANCE_RECORDERS = [ACTIVITIES, SUPERVISOR, PLANNER];
/** Who pulls a duty post onto a tablet: roles.py POST_PULLERS (by roles, not `can`: docs/frontend.md). */
export const POST_PULLERS = [NURSE, SUPERVISOR, PLANNER];

/** Every role a user holds (an account from before several roles carries `role` alone). */
export const rolesOf = (user) => (user ? (user.roles && user.roles.length ? user.roles : [user.role]) : []);

/** Does `user` hold a role of `group`? */
export const holds = (user, group) => rolesOf(user).some((r) => group.includes(r));

/** May `user` do `capability` (roles.py CAPABILITIES: 'review_days', 'plan_care', ...)? Her `can` says; a user
 * stored without one may do nothing by name until her details next come from the server. */
export const allows = (user, capability) => !!(user && Array.isArray(user.can) && user.can.includes(capability));

/** May `user` author an entry of `kind` (an assessment: of form `category`)? roles.py may_record. */
export function mayRecord(user, kind, category = null) {
  if (kind === 'assessment') return holds(user, SURVEY_FORMS.includes(category) ? SURVEYORS : ASSESSORS);
  if (kind === 'attendance') return holds(user, ATTENDANCE_RECORDERS);
  return holds(user, RECORDERS);
}
