import { useEffect, useState } from 'react';

/**
 * The page's clock for countdowns (soak remaining, next window opening): `now()` again every
 * `everyMs`, so an open page counts down without asking the server. Tests pass a fixed `now`.
 */
export function useNow(now: () => number = Date.now, everyMs = 30_000): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), everyMs);
    return () => clearInterval(timer);
  }, [now, everyMs]);
  return time;
}
