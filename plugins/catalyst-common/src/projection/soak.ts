import { SoakObservation } from '../policy/evaluatePolicy';
import { EnvironmentState } from './state';

/**
 * What the soak rule of a promotion needs from a source Environment's read model: the revision
 * the Application runs and since when it has been healthy at it; `null` when it is not running
 * healthily (or its Git pin is unknown).
 *
 * @public
 */
export function soakObservationFor(state: EnvironmentState, application: string): SoakObservation | null {
  const view = state.applications[application];
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
