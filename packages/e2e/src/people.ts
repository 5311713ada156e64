import { Browser, Page } from 'playwright-core';
import { callApi } from './api';
import { sessionToken, signInAs } from './browser';
import { RunningPortal } from './portal';
import { waitUntil } from './waitUntil';

/** A demo user signed in through the local identity provider, with their session's Backstage token. */
export interface Person {
  name: string;
  page: Page;
  token: string;
}

/**
 * Signs a demo user in (password `<name>-demo`, packages/idp/README.md) in a browser context of
 * their own, so several people can act side by side without sharing a session.
 */
export async function signInPerson(browser: Browser, portal: RunningPortal, name: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signInAs(page, portal.baseUrl, name, `${name}-demo`);
  return { name, page, token: await sessionToken(page, portal.baseUrl) };
}

/**
 * Installs through the REST API as `person` would from the install form, waiting while the
 * environment-controller is still bootstrapping the Environment's repository (a fresh portal
 * creates the repos a moment after it is ready). Answers the change response: a commit (201), or a
 * change request where the Environment is governed (202).
 */
export async function installAs(
  portal: RunningPortal,
  person: Person,
  environment: string,
  body: { application: string; blueprint: string; version: string; values: Record<string, unknown> },
): Promise<any> {
  return waitUntil(
    `the install of ${body.application} in ${environment}`,
    async () => {
      const r = await callApi(portal.baseUrl, person.token, `/catalyst/environments/${environment}/applications`, {
        method: 'POST',
        body,
      });
      if (r.status === 201 || r.status === 202) return r.body;
      if (r.status === 409 && /bootstrapped|does not exist yet/.test(JSON.stringify(r.body))) return undefined;
      // any other answer is a real failure: stop polling (waitUntil treats a throw as "not yet")
      return { failed: `install ${body.application} in ${environment}: ${r.status} ${JSON.stringify(r.body)}` };
    },
    90_000,
    500,
  ).then(answer => {
    if (answer.failed) throw new Error(answer.failed);
    return answer;
  });
}

/** One change request as the API answers it to `person`. */
export async function changeRequestAs(portal: RunningPortal, person: Person, id: string): Promise<any> {
  const r = await callApi(portal.baseUrl, person.token, `/catalyst/change-requests/${id}`);
  if (r.status !== 200) throw new Error(`change request ${id}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** `person` approves change request `id` through the API (the Approve button's call). */
export async function approveAs(portal: RunningPortal, person: Person, id: string): Promise<any> {
  const r = await callApi(portal.baseUrl, person.token, `/catalyst/change-requests/${id}/approve`, {
    method: 'POST',
    body: {},
  });
  if (r.status !== 200) throw new Error(`${person.name} approving ${id}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * Takes change request `id` through acme-prod's seed policy as setup for a journey: each approver
 * approves, and when rules that cannot pass in a test remain (the 24 h soak, the Berlin office-hours
 * window), `admin` (an org-admin) breaks glass with a reason — what the people would do. Answers the
 * merged request.
 */
export async function approveAndMerge(
  portal: RunningPortal,
  id: string,
  approvers: Person[],
  admin: Person,
  reason: string,
): Promise<any> {
  let cr: any;
  for (const approver of approvers) cr = await approveAs(portal, approver, id);
  if (cr?.state !== 'merged') {
    const r = await callApi(portal.baseUrl, admin.token, `/catalyst/change-requests/${id}/merge`, {
      method: 'POST',
      body: { breakGlass: { reason } },
    });
    if (r.status !== 200)
      throw new Error(`${admin.name} breaking glass on ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    cr = r.body;
  }
  if (cr.state !== 'merged') throw new Error(`${id} did not merge: ${JSON.stringify(cr.evaluation)}`);
  return cr;
}

const devcluster = (portal: RunningPortal, environment: string, path: string) =>
  fetch(`http://127.0.0.1:${portal.ports.devcluster}/clusters/${environment}${path}`).then(r => r.json());

/** Polls the devcluster until Flux has applied `sha` for the Application and its Deployments are ready. */
export function clusterSettled(portal: RunningPortal, environment: string, application: string, sha: string) {
  return waitUntil(
    `${application} at ${sha.slice(0, 7)} to settle in ${environment}'s devcluster`,
    async () => {
      const k = await devcluster(
        portal,
        environment,
        `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${application}`,
      );
      const ready = (k.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
      if (ready?.status !== 'True' || !String(k.status?.lastAppliedRevision ?? '').includes(sha)) return undefined;
      const deployments = await devcluster(portal, environment, `/apis/apps/v1/namespaces/${application}/deployments`);
      const items = deployments.items ?? [];
      const settled =
        items.length > 0 &&
        items.every(
          (d: { spec: { replicas?: number }; status?: { readyReplicas?: number } }) =>
            (d.status?.readyReplicas ?? 0) === (d.spec.replicas ?? 1),
        );
      return settled ? true : undefined;
    },
    120_000,
    250,
  );
}

/** Marks the page, so a journey can tell at the end that it was never reloaded. */
export const markPage = (page: Page) =>
  page.evaluate(() => {
    (window as unknown as { catalystE2ESamePage: boolean }).catalystE2ESamePage = true;
  });

/** Whether the page still holds the mark of {@link markPage} (a reload or navigation drops it). */
export const stillSamePage = (page: Page) =>
  page.evaluate(() => (window as unknown as { catalystE2ESamePage?: boolean }).catalystE2ESamePage === true);
