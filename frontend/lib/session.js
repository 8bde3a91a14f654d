// The signed-in user and the chosen post, kept in memory and in IndexedDB meta.
import {getMeta, setMeta} from './db.js';
import {setTimeZone} from './i18n.js';
import {todayISO, minutesInto} from './time.js';

export const session = {user: null, postId: null, post: null};

export async function setUser(user) {
  session.user = user;
  if (user) setTimeZone(user.timezone);
  await setMeta('user', user);
}

export async function setPost(post) {
  session.post = post;
  session.postId = post ? post.id : null;
  await setMeta('post_id', session.postId);
  await setMeta('post', post);
}

export async function restore() {
  session.user = (await getMeta('user')) || null;
  session.post = (await getMeta('post')) || null;
  session.postId = session.post ? session.post.id : ((await getMeta('post_id')) ?? null);
  if (session.user) setTimeZone(session.user.timezone);
  return session;
}

export const tz = () => (session.user && session.user.timezone) || undefined;
export const today = () => todayISO(tz());
export const nowMinutes = (dayISO) => minutesInto(new Date(), dayISO, tz());
export const hasRole = (...roles) => !!session.user && roles.includes(session.user.role);
