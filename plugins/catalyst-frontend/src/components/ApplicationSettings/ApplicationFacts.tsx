import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import type { ApplicationDetail } from '@internal/plugin-catalyst-common';

/**
 * The Advanced view's account of application.yaml beyond the form: where the Blueprint comes from,
 * placement, dependencies and dependents. Read-only here (Topology edits placement; a dependency is
 * chosen in the values).
 */
export function ApplicationFacts(props: { application: ApplicationDetail }) {
  const { application: app } = props;
  const metadata = {
    Blueprint: `${app.blueprint} @ ${app.version} (${app.source})`,
    Size: app.overlay ?? 'the Blueprint’s default',
    Placement: `${app.placement.mode}${app.placement.regions.length ? ` in ${app.placement.regions.join(', ')}` : ''}`,
    'Depends on': app.dependencies.length
      ? app.dependencies.map(d => `${d.alias} → ${d.application} (${d.blueprint}, ${d.mode})`)
      : 'nothing',
    'Used by': app.dependents.length ? app.dependents : 'nothing',
    State: app.paused ? 'paused: no replicas until it is resumed' : 'running as configured',
  };
  return (
    <InfoCard title="application.yaml" subheader="What the Application is, beside its values">
      <div data-testid="application-facts">
        <StructuredMetadataTable metadata={metadata} dense />
      </div>
    </InfoCard>
  );
}
