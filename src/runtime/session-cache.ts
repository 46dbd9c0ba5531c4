import type { Session } from "./session.js";

// One session per cache key. Pending creations are cached too, so concurrent callers asking for
// the same key share one load instead of loading the model twice.
const pending = new Map<string, Promise<Session>>();

/** Which session each settled entry resolved to, so dispose() only evicts its own entry. */
const settled = new Map<string, Session>();

export function cachedSession(key: string, create: () => Promise<Session>): Promise<Session> {
  const existing = pending.get(key);
  if (existing !== undefined) return existing;
  const created = create();
  pending.set(key, created);
  created.then(
    (session) => {
      if (pending.get(key) === created) settled.set(key, session);
    },
    () => {
      // A failed load must not poison the key.
      if (pending.get(key) === created) pending.delete(key);
    },
  );
  return created;
}

/** Called by Session.dispose(): drops the cache entry that holds this session. */
export function forgetSession(session: Session): void {
  const key = session.cacheKey;
  if (key === undefined || settled.get(key) !== session) return;
  settled.delete(key);
  pending.delete(key);
}

/** The cached session for `key`, if any (possibly still loading). */
export function getCachedSession(key: string): Promise<Session> | undefined {
  return pending.get(key);
}

export function cachedSessionKeys(): string[] {
  return [...pending.keys()];
}

/** Disposes the session cached under `key`; true when there was one. */
export async function disposeCachedSession(key: string): Promise<boolean> {
  const entry = pending.get(key);
  if (entry === undefined) return false;
  pending.delete(key);
  settled.delete(key);
  try {
    await (await entry).dispose();
  } catch {
    // a session whose load failed has nothing to release
  }
  return true;
}

/** Disposes every cached session (e.g. before shutdown, or in tests). */
export async function disposeAllCachedSessions(): Promise<void> {
  await Promise.all([...pending.keys()].map((key) => disposeCachedSession(key)));
}
