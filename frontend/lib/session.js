// The person who has the tablet unlocked (lib/people.js) and the duty post, as the views see them.
import {getMeta, setMeta} from './db.js';
import {locale, setTimeZone} from './i18n.js';
import {currentPerson, enrolment, restore as restorePerson, saveEnrolment, updateUser} from './people.js';
import {allows} from './roles.js';
import {todayISO, minutesInto} from './time.js';

export const session = {
  get user() { const p = currentPerson(); return p ? p.user : null; },
  postId: null,
  post: null,
};

/** New details of the unlocked person (from the server, or her own language choice). */
export async function setUser(user) {
  if (!user) return;
  setTimeZone(user.timezone);
  await updateUser(user);
}

export async function setPost(post) {
  session.post = post;
  session.postId = post ? post.id : null;
  await setMeta('post_id', session.postId);
  await setMeta('post', post);
}

/** A unit's or a duty post's name in the reader's language (`key` 'name', or 'unit_name' for a post's unit): from
 * `names`/`unit_names` (every language, kept offline: backend/domain/places.py), else the server's. */
export const placeName = (place, key = 'name') =>
  (place && ((place[`${key}s`] || {})[locale()] || place[key])) || '';

/** The post as the server names it now (a pull's `post`): a renamed post or unit shows its new name. */
export async function renamePost(post) {
  if (!post || !session.post || post.id !== session.post.id) return;
  const same = (key) => JSON.stringify(post[key] ?? null) === JSON.stringify(session.post[key] ?? null);
  if (['name', 'unit_name', 'names', 'unit_names'].every(same)) return;
  await setPost({...session.post, ...post});
  const record = await enrolment();
  if (record && record.post && record.post.id === post.id) await saveEnrolment({...record, post: {...record.post, ...post}});
}

/** An enrolled tablet works at its post: whoever unlocks it starts there. */
export async function usePostOfTablet() {
  const record = await enrolment();
  if (record && record.post && session.postId !== record.post.id) await setPost(record.post);
}

export async function restore() {
  const [, post, postId] = await Promise.all([restorePerson(), getMeta('post'), getMeta('post_id')]);
  session.post = post || null;
  session.postId = session.post ? session.post.id : (postId ?? null);
  if (session.user) setTimeZone(session.user.timezone);
  return session;
}

export const tz = () => (session.user && session.user.timezone) || undefined;
/** Home and community care (issue 18): a community home's people live at home and are visited; a care home's
 * (residential, the default of a user stored before home kinds) live in it. */
export const communityHome = () => !!(session.user && session.user.home_kind === 'community');
export const today = () => todayISO(tz());
export const nowMinutes = (dayISO) => minutesInto(new Date(), dayISO, tz());
/** May the signed-in person do `capability` (backend/domain/roles.py CAPABILITIES; the server sends what she may
 * in her user object's `can`: lib/roles.js allows)? Screens ask this, never which roles she holds. */
export const can = (capability) => allows(session.user, capability);
