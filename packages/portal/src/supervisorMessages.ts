import { describeExit, Exit, SupervisorEvent } from './Supervisor';

function duration(ms: number): string {
  if (ms < 100) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 100) / 10;
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 6) / 10} min`;
}

function how(exit: Exit, why: string): string {
  const ended = describeExit(exit);
  return why === ended ? ended : `${ended}: ${why}`;
}

/** The launcher's line for each supervisor event; every line about a failure names the part's log. */
export function describeSupervisorEvent(event: SupervisorEvent): string {
  switch (event.type) {
    case 'crashed':
      return `${event.name} crashed (${how(event.exit, event.why)}); restarting it in ${duration(
        event.restartInMs,
      )} (crash ${event.crashes} within ${duration(event.windowMs)}, gives up at ${event.maxCrashes}; log: ${
        event.logFile
      })`;
    case 'restarted':
      return `${event.name} restarted and ready again, ${duration(event.downMs)} after the crash (pid ${event.pid})`;
    case 'gave-up':
      return `${event.name} crashed ${event.crashes} times within ${duration(event.windowMs)}, last ${how(
        event.exit,
        event.why,
      )}; giving up and stopping the portal (log: ${event.logFile})`;
    case 'exited':
      return `${event.name} exited unexpectedly (${how(event.exit, event.why)}); stopping the portal (log: ${
        event.logFile
      })`;
    default:
      return '';
  }
}
