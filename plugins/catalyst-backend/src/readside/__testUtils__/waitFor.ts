/**
 * Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`
 * naming what it waited for and the last value seen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; last: ${
          last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 500)
        }`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
