import { ApplicationDetail, CATALYST_PAUSED_ANNOTATION, stringifyYaml } from '@internal/plugin-catalyst-common';
import { siteDetail } from '../../../__testUtils__/fixtures';

/** application.yaml as composition writes it for the fixture's `site` (bp-static-site 1.1.0, small). */
export function applicationYaml(
  changes: { name?: string; version?: string; overlay?: string | null; paused?: boolean } = {},
): string {
  return stringifyYaml({
    apiVersion: 'catalyst.openova.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: changes.name ?? 'site',
      labels: { 'catalyst.openova.io/environment': 'acme-dev' },
      ...(changes.paused ? { annotations: { [CATALYST_PAUSED_ANNOTATION]: 'true' } } : {}),
    },
    spec: {
      environmentRef: 'acme-dev',
      blueprintRef: { name: 'bp-static-site', version: changes.version ?? '1.1.0', source: 'catalog' },
      ...(changes.overlay === null ? {} : { overlay: changes.overlay ?? 'small' }),
      placement: { mode: 'single-region', regions: ['eu-central'] },
      dependencies: [{ alias: 'db', blueprint: 'bp-postgres', application: 'site-postgres', mode: 'embedded' }],
    },
  });
}

export const VALUES_YAML = 'domain: site.acme.example\nreplicas: 2\ntitle: Hello\n';

/** The fixture's `site` at 1.1.0 with both files the IaC editor edits at the head. */
export const iacSite: ApplicationDetail = {
  ...siteDetail,
  version: '1.1.0',
  values: { domain: 'site.acme.example', replicas: 2, title: 'Hello' },
  files: {
    ...siteDetail.files,
    'applications/site/values.yaml': VALUES_YAML,
    'applications/site/application.yaml': applicationYaml(),
  },
};
