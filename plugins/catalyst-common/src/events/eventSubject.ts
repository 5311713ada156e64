import { CATALYST_EVENT_TYPES, KnownCatalystEvent } from './catalystEvent';
import { catalystSubject, fluxSubject, gitSubject, k8sSubject, SubjectResult } from './subjects';

const FLUX_KINDS = {
  [CATALYST_EVENT_TYPES.fluxKustomizationStatus]: 'Kustomization',
  [CATALYST_EVENT_TYPES.fluxKustomizationDeleted]: 'Kustomization',
  [CATALYST_EVENT_TYPES.fluxHelmReleaseStatus]: 'HelmRelease',
  [CATALYST_EVENT_TYPES.fluxHelmReleaseDeleted]: 'HelmRelease',
  [CATALYST_EVENT_TYPES.fluxGitRepositoryStatus]: 'GitRepository',
  [CATALYST_EVENT_TYPES.fluxGitRepositoryDeleted]: 'GitRepository',
} as const;

/**
 * The NATS subject a publisher uses for an event, derived from its type and data so that
 * publishers cannot disagree with the filters consumers use.
 *
 * @public
 */
export function natsSubjectForEvent(event: KnownCatalystEvent): SubjectResult {
  const env = event.catalystenv;
  switch (event.type) {
    case CATALYST_EVENT_TYPES.k8sObjectUpserted:
    case CATALYST_EVENT_TYPES.k8sObjectDeleted: {
      const meta = event.data.object.metadata;
      return k8sSubject(
        env,
        event.data.kind,
        event.data.kind === 'Namespace' ? null : meta.namespace ?? null,
        meta.name,
      );
    }
    case CATALYST_EVENT_TYPES.fluxKustomizationStatus:
    case CATALYST_EVENT_TYPES.fluxKustomizationDeleted:
    case CATALYST_EVENT_TYPES.fluxHelmReleaseStatus:
    case CATALYST_EVENT_TYPES.fluxHelmReleaseDeleted:
    case CATALYST_EVENT_TYPES.fluxGitRepositoryStatus:
    case CATALYST_EVENT_TYPES.fluxGitRepositoryDeleted: {
      const meta = event.data.object.metadata;
      return fluxSubject(env, meta.name, FLUX_KINDS[event.type], meta.namespace ?? 'flux-system');
    }
    case CATALYST_EVENT_TYPES.gitCommit:
      return gitSubject(env, event.data.sha);
    default: {
      // io.catalyst.<aggregate>.<event>
      const [, , aggregate, what] = event.type.split('.');
      return catalystSubject(env, aggregate, what);
    }
  }
}
