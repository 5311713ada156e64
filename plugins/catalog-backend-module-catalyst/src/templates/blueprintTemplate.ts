import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  BlueprintDetail,
  blueprintShortName,
  CATALYST_ANNOTATIONS,
  CATALYST_TEMPLATE_TYPE,
} from '@internal/plugin-catalyst-common';
import { DependencyEntry, dependencyEntries, versionDetailFor } from './dependencyEntries';
import { CATALYST_FIELDS, WHERE_FIELDS } from '@internal/plugin-catalyst-common';
import { toFormSchema } from './formSchema';

/** Where generated Templates say they come from (the catalog requires a location on every entity). */
export const TEMPLATES_LOCATION = 'catalyst:templates';

/** Label telling generated Templates apart, and saying whether the Blueprint is private. @public */
export const CATALYST_VISIBILITY_LABEL = 'catalyst.openova.io/visibility';

/** The public catalog's owning Group (the catalyst entity provider publishes it). */
const PUBLIC_CATALOG_GROUP = 'group:default/blueprint-catalog';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/**
 * Who owns a Blueprint's Template: the same Group that owns the Blueprint entity — its owner team in
 * its Organization (when the Organization's teams are known: only if it has that team), else the
 * Organization, else (public Blueprints) the public catalog's Group.
 */
export function templateOwner(detail: BlueprintDetail, organizationTeams?: readonly string[]): string {
  const team = detail.owner?.team;
  if (detail.organization && team && (organizationTeams === undefined || organizationTeams.includes(team))) {
    return `group:${detail.organization}/${team}`;
  }
  if (detail.organization) return `group:default/${detail.organization}`;
  return PUBLIC_CATALOG_GROUP;
}

/**
 * A generated Template (kind Template, scaffolder.backstage.io/v1beta3). Not typed as the scaffolder's
 * TemplateEntityV1beta3, whose `output` type predates output links.
 *
 * @public
 */
export type BlueprintTemplateEntity = Entity & {
  spec: JsonObject & { type: string; owner: string; parameters: JsonObject[] };
};

export interface BlueprintTemplateOptions {
  /** The Blueprints dependencies may name (for nested dependency choices and titles). */
  lookup: (name: string) => BlueprintDetail | undefined;
  /** Teams of the Blueprint's Organization, when known (for the owner); unknown: its owner team is trusted. */
  organizationTeams?: readonly string[];
}

const validTag = (t: string) => /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/.test(t) && t.length <= 63;

function whereStep(detail: BlueprintDetail, title: string, overlays: string[], defaultOverlay?: string): JsonObject {
  const properties: JsonObject = {
    [WHERE_FIELDS.environment]: {
      title: 'Environment',
      type: 'string',
      description: detail.organization
        ? `An Environment of ${detail.organization} you may install into (this Blueprint is private to ${detail.organization})`
        : 'An Environment you may install into',
      'ui:field': CATALYST_FIELDS.environmentPicker,
      ...(detail.organization ? { 'ui:options': { organization: detail.organization } } : {}),
    },
    [WHERE_FIELDS.name]: {
      title: detail.composite ? 'Name prefix' : 'Application name',
      type: 'string',
      pattern: DNS_LABEL,
      maxLength: 63,
      description: detail.composite
        ? `Each part of ${title} becomes its own Application named {prefix}-{part}`
        : "A DNS label (lowercase letters, digits, hyphens): it is also the Application's namespace",
      'ui:autofocus': true,
    },
    [WHERE_FIELDS.version]: {
      title: 'Version',
      type: 'string',
      enum: [...detail.versions],
      default: detail.latestVersion,
      description: `The configuration form follows the latest version, ${detail.latestVersion}`,
    },
  };
  if (overlays.length > 0) {
    properties[WHERE_FIELDS.overlay] = {
      title: 'Size',
      type: 'string',
      enum: overlays,
      ...(defaultOverlay ? { default: defaultOverlay } : {}),
      description: "The Blueprint's sizing overlay",
    };
  }
  return {
    title: 'Where',
    description: `Where to install ${title}, and as what`,
    required: [WHERE_FIELDS.environment, WHERE_FIELDS.name],
    properties,
  };
}

function configurationStep(title: string, version: string, configSchema: JsonObject): JsonObject {
  return {
    title: 'Configuration',
    description: `Settings of ${title} ${version}; defaults are filled in`,
    properties: {
      values: { ...toFormSchema(configSchema), title: `${title} settings`, default: {} },
    },
  };
}

function condition(when: string): string {
  return when.replace(/^\s*\{\{\s*/, '').replace(/\s*\}\}\s*$/, '');
}

function dependencyField(entry: DependencyEntry): JsonObject {
  // The field shows the `when` condition itself (from ui:options); the description says the rest.
  return {
    title: `${entry.path}: ${entry.title ?? entry.blueprint} (${entry.blueprint} ${entry.range})`,
    ...(entry.parent
      ? { description: `Needed by ${entry.parent} (${entry.declaredBy}), only if ${entry.parent} is created new.` }
      : {}),
    type: 'object',
    required: ['use'],
    properties: {
      use: { type: 'string', enum: ['new', 'existing'] },
      name: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
      application: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
    },
    default: { use: 'new' },
    'ui:field': CATALYST_FIELDS.dependencyChoice,
    'ui:options': {
      path: entry.path,
      alias: entry.alias,
      blueprint: entry.blueprint,
      range: entry.range,
      shortName: blueprintShortName(entry.blueprint),
      ...(entry.when ? { when: condition(entry.when) } : {}),
      ...(entry.parent ? { parent: entry.parent } : {}),
    },
  };
}

function dependenciesStep(entries: DependencyEntry[]): JsonObject {
  return {
    title: 'Dependencies',
    description:
      'For each dependency: create a new Application (named {name}-{short name} unless you rename it) or use an existing one of the same Blueprint in the chosen Environment',
    properties: {
      dependencies: {
        type: 'object',
        title: 'Dependencies',
        properties: Object.fromEntries(entries.map(e => [e.path, dependencyField(e)])),
      },
    },
  };
}

/**
 * The install Template of one Blueprint (`template:<ns>/install-bp-<name>`, docs/contracts.md §5):
 * a form generated from its latest version — where (Environment, name, version, size), its
 * configSchema, and a choice per dependency — and the steps `catalyst:application:plan` then
 * `catalyst:application:install`. Private Blueprints get their Organization's namespace and the
 * `catalyst.openova.io/organization` annotation, which the permission policy filters on.
 *
 * @public
 */
export function blueprintTemplate(detail: BlueprintDetail, options: BlueprintTemplateOptions): BlueprintTemplateEntity {
  const latest = versionDetailFor(detail);
  if (!latest) throw new Error(`${detail.name} has no details for its latest version ${detail.latestVersion}`);
  const title = detail.card.title ?? detail.name;
  const namespace = detail.organization ?? 'default';
  const entries = dependencyEntries(detail, options.lookup);
  const overlays = detail.composite ? [] : latest.overlays;

  const parameters: JsonObject[] = [
    whereStep(detail, title, overlays, latest.defaultOverlay),
    configurationStep(title, latest.version, latest.configSchema as JsonObject),
  ];
  if (entries.length > 0) parameters.push(dependenciesStep(entries));

  const input: JsonObject = {
    environment: `\${{ parameters.${WHERE_FIELDS.environment} }}`,
    application: `\${{ parameters.${WHERE_FIELDS.name} }}`,
    blueprint: detail.name,
    version: `\${{ parameters.${WHERE_FIELDS.version} }}`,
    ...(overlays.length > 0 ? { overlay: `\${{ parameters.${WHERE_FIELDS.overlay} }}` } : {}),
    values: '${{ parameters.values }}',
    ...(entries.length > 0 ? { dependencies: '${{ parameters.dependencies }}' } : {}),
  };

  const tags = [
    ...new Set(['catalyst', ...(detail.card.category ? [detail.card.category] : []), ...(detail.card.tags ?? [])]),
  ].filter(validTag);
  const location = `${TEMPLATES_LOCATION}/${namespace}/${detail.name}`;

  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: `install-${detail.name}`,
      namespace,
      title: `Install ${title}`,
      description: [
        // Sentences: a tagline usually has no full stop of its own.
        detail.card.tagline ? detail.card.tagline.replace(/([^.!?])$/, '$1.') : undefined,
        `Installs ${detail.name} (latest ${detail.latestVersion}) into an Environment as one commit${
          entries.length ? ', with its dependencies' : ''
        }.`,
        detail.organization ? `Private to ${detail.organization}.` : '',
      ]
        .filter(Boolean)
        .join(' '),
      tags,
      labels: { [CATALYST_VISIBILITY_LABEL]: detail.visibility },
      annotations: {
        [CATALYST_ANNOTATIONS.blueprint]: `${namespace}/${detail.name}`,
        [CATALYST_ANNOTATIONS.blueprintVersion]: detail.latestVersion,
        ...(detail.organization ? { [CATALYST_ANNOTATIONS.organization]: detail.organization } : {}),
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      },
      ...(detail.card.documentation ? { links: [{ url: detail.card.documentation, title: 'Documentation' }] } : {}),
    },
    spec: {
      type: CATALYST_TEMPLATE_TYPE,
      owner: templateOwner(detail, options.organizationTeams),
      parameters,
      steps: [
        { id: 'plan', name: 'Plan', action: 'catalyst:application:plan', input },
        { id: 'install', name: 'Install', action: 'catalyst:application:install', input },
      ],
      output: {
        links: [
          { title: 'Open the Application', icon: 'catalog', url: '${{ steps.install.output.applicationUrl }}' },
          {
            title: 'The commit',
            url: '${{ steps.install.output.commitUrl }}',
            if: '${{ steps.install.output.commitUrl }}',
          },
          // a governed Environment answers with a change request instead of a commit on main
          {
            title: 'The change request',
            url: '${{ steps.install.output.changeRequestUrl }}',
            if: '${{ steps.install.output.changeRequestUrl }}',
          },
        ],
        text: [
          {
            title: 'Installed',
            content:
              "Applications **${{ steps.install.output.applications | join(', ') }}** in ${{ parameters.environment }}: ${{ ('change request ' + steps.install.output.changeRequest + ', waiting for its EnvironmentPolicy') if steps.install.output.changeRequest else ('commit ' + steps.install.output.commit) }}",
          },
        ],
      },
    },
  };
}
