import { SoakObservation } from '../policy/evaluatePolicy';
import { ApplicationView, EnvironmentState } from './state';

/**
 * What the soak rule of a promotion needs from a source Environment's read model: the revision
 * the Application runs and since when it has been healthy at it; `null` when it is not running
 * healthily (or its Git pin is unknown).
 *
 * @public
 */
export function soakObservationFor(state: EnvironmentState, application: string): SoakObservation | null {
  return soakObservationOfView(state.applications[application]);
}

/**
 * The same from one Application's view as the read model stores it (`application.<name>`), which
 * is what a backend holds of a source Environment.
 *
 * @public
 */
export function soakObservationOfView(view: ApplicationView | undefined | null): SoakObservation | null {
  const desired = view?.desired;
  if (!view || !desired || desired.removed || !view.runningSince) return null;
  if (!desired.blueprint || !desired.version || !desired.valuesDigest) return null;
  return {
    blueprint: desired.blueprint,
    version: desired.version,
    valuesDigest: desired.valuesDigest,
    runningSince: view.runningSince,
  };
}
