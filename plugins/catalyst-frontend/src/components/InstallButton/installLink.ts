import { useRouteRef } from '@backstage/core-plugin-api';
import { catalystRefs } from '@internal/plugin-catalyst-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { installTemplateRouteRef } from '../../routes';

/**
 * The link to a Blueprint's generated install Template (`template:<ns>/install-bp-x`, contracts §5),
 * with the Environment preselected through the scaffolder's `formData` query parameter.
 */
export function useInstallLink(): (blueprint: { name: string; organization?: string }, environment?: string) => string {
  const selectedTemplate = useRouteRef(installTemplateRouteRef);
  return (blueprint, environment) => {
    const ref = parseEntityRef(catalystRefs.template(blueprint.name, blueprint.organization));
    const path = selectedTemplate
      ? selectedTemplate({ namespace: ref.namespace, templateName: ref.name })
      : `/create/templates/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;
    return environment ? `${path}?${new URLSearchParams({ formData: JSON.stringify({ environment }) })}` : path;
  };
}
