// Roles and what each may do on the tablet: the same lists and rule as backend/domain/roles.py, checked equal by
// tests/domain/test_roles_shared.py. A person may hold several roles (user.roles, her main one first); she may do
// what any of them may. Her main role (user.role) decides the screen she starts on.

export const NURSE = 'nurse';
export const SUPERVISOR = 'supervisor';
export const PLANNER = 'planner';
export const ACTIVITIES = 'activities';
export const ADMIN = 'admin';
export const RELATIVE = 'relative';

export const STAFF = [NURSE, SUPERVISOR, PLANNER, ACTIVITIES, ADMIN];
/** Who records entries at the bedside (ticks, vitals, notes, condition reports). */
export const RECORDERS = [NURSE, SUPERVISOR];
/** Who fills the clinical assessment forms. */
export const ASSESSORS = [SUPERVISOR, PLANNER];
/** Questionnaires that are not clinical: activity staff fill them too (SURVEYORS). */
export const SURVEY_FORMS = ['satisfaction_resident'];
export const SURVEYORS = [ACTIVITIES, SUPERVISOR, PLANNER];
/** Who pulls a duty post onto a tablet. */
export const SIGNERS = [NURSE, SUPERVISOR, PLANNER];
/** Who marks attendance and pulls the home's activities. */
export const ATTENDANCE_RECORDERS = [ACTIVITIES, SUPERVISOR, PLANNER];
/** Who keeps a signing key on a tablet and authors entries of some kind. */
export const AUTHORS = [...SIGNERS, ACTIVITIES];

/** Every role a user holds (an account from before several roles carries `role` alone). */
export const rolesOf = (user) => (user ? (user.roles && user.roles.length ? user.roles : [user.role]) : []);

/** Does `user` hold a role of `group`? */
export const holds = (user, group) => rolesOf(user).some((r) => group.includes(r));

/** May `user` author an entry of `kind` (an assessment: of form `category`)? roles.py may_record. */
export function mayRecord(user, kind, category = null) {
  if (kind === 'assessment') return holds(user, SURVEY_FORMS.includes(category) ? SURVEYORS : ASSESSORS);
  if (kind === 'attendance') return holds(user, ATTENDANCE_RECORDERS);
  return holds(user, RECORDERS);
}
