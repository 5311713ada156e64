import { SERVED_RESOURCES, servedGroups } from '../store/resources';

/** `GET /api`: the legacy core group's versions. */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, version: string) {
  const groupVersion = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [groupVersion], preferredVersion: groupVersion };
}

/** `GET /apis`: every named group the devcluster serves. */
export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups().map(g => groupEntry(g.group, g.version)),
  };
}

/** `GET /apis/<group>`, or undefined when the group is not served. */
export function apiGroup(group: string) {
  const found = servedGroups().find(g => g.group === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(found.group, found.version) } : undefined;
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined when not served. */
export function apiResourceList(group: string, version: string) {
  const resources = SERVED_RESOURCES.filter(r => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: resources.map(r => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      // Read-only on purpose: changes come from the Environment's Git repo.
      verbs: ['get', 'list', 'watch'],
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    })),
  };
}

/** `GET /version`; the suffix tells any client this is the stand-in. */
export function versionInfo() {
  return {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.0-devcluster',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'devcluster (Node.js stand-in, not a real cluster)',
    compiler: 'devcluster',
    platform: 'linux/amd64',
  };
}
