import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { OnboardingService } from '../onboarding/OnboardingService';
import { Answer, MountRoute } from './http';

/** `/organizations`: list the readable ones; a sovereign-admin creates one (201, or 200 for a replay). */
export function createOrganizationsRouter(o: { mount: MountRoute; onboarding: OnboardingService }) {
  const router = Router();
  const { mount, onboarding } = o;
  mount(router, OPS.listOrganizations, async ({ caller }) => ({
    items: await onboarding.listOrganizations(await caller()),
  }));
  mount(router, OPS.createOrganization, async ({ body, caller }) => {
    const { created, value } = await onboarding.createOrganization(await caller(), body);
    return new Answer(created ? 201 : 200, value);
  });
  return router;
}
