import { CronExpressionParser } from 'cron-parser';

/** Where `now` stands relative to a change window `[fire, fire + duration)`. */
export type ChangeWindowPosition =
  | {
      ok: true;
      inside: true;
      /** The latest fire at or before `now`. */
      openedAt: number;
      /** When the window (merged with any overlapping later windows) closes. */
      closesAt: number;
    }
  | { ok: true; inside: false; nextOpensAt: number }
  | { ok: false; message: string };

// cron-parser answers differently around DST changes depending on where iteration starts
// (prev() from after a spring-forward misses the shifted fire; next() from inside the repeated
// fall-back hour fires twice). Iterating forward from well before the window keeps every answer
// on one consistent sequence: shifted fires are kept, repeated wall times fire once.
const DST_MARGIN_MS = 3 * 3_600_000;
// A 5-field cron fires at most once a minute; this bounds pathological "* * * * *" + "30d" policies.
const MAX_STEPS = 50_000;
// Overlapping windows ("0 * * * *" for 90m) chain forever; report the end found within this many fires.
const MAX_EXTENSION_STEPS = 500;

/**
 * Finds the change window containing `nowMs`, or the next opening. Windows are measured in
 * elapsed time from each fire, so a 2h window opened at 01:00 on a fall-back night closes at
 * 02:00 wall-clock time. The cron and timezone must already be validated; anything cron-parser
 * still rejects (a date that never comes) is returned as `ok: false`.
 */
export function locateChangeWindow(
  cron: string,
  timezone: string,
  durationMs: number,
  nowMs: number,
): ChangeWindowPosition {
  try {
    const iterator = CronExpressionParser.parse(cron, {
      currentDate: new Date(nowMs - durationMs - DST_MARGIN_MS),
      tz: timezone,
    });
    const next = (): number => iterator.next().toDate().getTime();
    let steps = 0;
    let fire = next();
    // Fires at or before now - duration opened windows that are already closed.
    while (fire <= nowMs - durationMs) {
      if (++steps > MAX_STEPS) return { ok: false, message: `cron "${cron}" fires too often to evaluate` };
      fire = next();
    }
    if (fire > nowMs) return { ok: true, inside: false, nextOpensAt: fire };

    let openedAt = fire;
    let closesAt = fire + durationMs;
    // Extending the window is best effort: a cron with no further fire simply ends it here.
    const nextOrNull = (): number | null => {
      try {
        return next();
      } catch {
        return null;
      }
    };
    let extensions = 0;
    for (let later = nextOrNull(); later !== null && later < closesAt; later = nextOrNull()) {
      if (later <= nowMs) openedAt = later;
      closesAt = Math.max(closesAt, later + durationMs);
      // Back-to-back windows: report the end found so far; a re-evaluation then will extend it.
      if (later > nowMs && ++extensions > MAX_EXTENSION_STEPS) break;
      if (++steps > MAX_STEPS) break;
    }
    return { ok: true, inside: true, openedAt, closesAt };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `cron "${cron}" cannot be evaluated: ${reason}` };
  }
}
