/** "just now", "5 minutes ago", "2 hours ago", "3 days ago"; older than 30 days: the date. */
export function relativeTime(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return plural(hours, 'hour');
  const days = Math.round(hours / 24);
  if (days <= 30) return plural(days, 'day');
  return new Date(then).toISOString().slice(0, 10);
}

/** `user:default/layla` → `layla`; other text as it is. */
export function displayActor(actor: string | null | undefined): string | undefined {
  if (!actor) return undefined;
  const match = /^user:(?:[^/]+\/)?(.+)$/.exec(actor);
  return match ? match[1] : actor;
}
