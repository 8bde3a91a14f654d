// Roles and what each may do on the tablet. What a person may see and pull comes from the server: her user object
// carries `can`, the names of what her roles allow (backend/domain/roles.py CAPABILITIES; /api/auth/me and the
// sign-in reply), stored with her on the tablet (lib/people.js), so it holds offline for whoever unlocks with her
// PIN; `allows` reads it. Only what the tablet decides offline about entries stays here -- the lists and rule of
// roles.py may_record -- checked equal to the server's by tests/domain/test_roles_shared.py. A person may hold
// several roles (user.roles, her main one first); she may do what any of them may. Her main role (user.role)
// decides the screen she starts on.

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
/** Who pulls a duty post onto a tablet: roles.py POST_PULLERS. lib/sync.js decides by roles, not by `can`: a person
 * stored before capabilities existed unlocks offline with her PIN and her post must still pull. */
export const POST_PULLERS = [NURSE, SUPERVISOR, PLANNER];

/** Every role a user holds (an account from before several roles carries `role` alone). */
export const rolesOf = (user) => (user ? (user.roles && user.roles.length ? user.roles : [user.role]) : []);

/** Does `user` hold a role of `group`? */
export const holds = (user, group) => rolesOf(user).some((r) => group.includes(r));

/** May `user` do `capability` (a name of roles.py CAPABILITIES: 'review_days', 'plan_care', ...)? The server
 * says, in her user object's `can`. A user stored by an older version of the app has no `can`: she may do nothing
 * by name until her details next come from the server (sign-in, a PIN unlock or the app's start online: /api/auth/me
 * -- lib/session.js setUser). */
export const allows = (user, capability) => !!(user && Array.isArray(user.can) && user.can.includes(capability));

/** May `user` author an entry of `kind` (an assessment: of form `category`)? roles.py may_record. */
export function mayRecord(user, kind, category = null) {
  if (kind === 'assessment') return holds(user, SURVEY_FORMS.includes(category) ? SURVEYORS : ASSESSORS);
  if (kind === 'attendance') return holds(user, ATTENDANCE_RECORDERS);
  return holds(user, RECORDERS);
}
