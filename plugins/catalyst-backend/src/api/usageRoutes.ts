import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ApplicationStatusView,
  BlueprintUsageEntry,
  BlueprintUsageResponse,
  validateBlueprintName,
} from '@internal/plugin-catalyst-common';
import { CatalystAccess } from '@internal/plugin-catalyst-node';
import express from 'express';
import Router from 'express-promise-router';
import { ProvisioningService } from '../provisioning/ProvisioningService';
import { ReadSide } from '../readside';

/**
 * `GET /blueprints/:name/applications?organization=`: every Application built from a Blueprint in
 * the Environments the caller may read, with its live view — one request for the Blueprint page's
 * usage table, however many Environments there are.
 */
export function createUsageRoutes(o: {
  httpAuth: HttpAuthService;
  access: CatalystAccess;
  provisioning: ProvisioningService;
  readSide: Pick<ReadSide, 'applicationViews'>;
}): express.Router {
  const router = Router();
  router.get('/blueprints/:name/applications', async (req, res) => {
    const principal = await o.access.principal(await o.httpAuth.credentials(req, { allow: ['user'] }));
    const name = req.params.name;
    if (!validateBlueprintName(name, 'name').ok) throw new InputError(`name: ${name} is not a Blueprint name`);
    const organization = typeof req.query.organization === 'string' ? req.query.organization : undefined;
    const environments = await o.access.readableEnvironments(principal);
    const perEnvironment = await Promise.all(
      environments.map(async env => {
        const apps = (await o.provisioning.listApplications(env).catch(() => [])).filter(
          a =>
            a.blueprint === name &&
            // `organization` narrows to that Organization's own (shared-blueprints) Blueprint
            (organization === undefined || (a.source === 'shared-blueprints' && a.organization === organization)),
        );
        if (apps.length === 0) return [];
        const views = await o.readSide
          .applicationViews(
            env,
            apps.map(a => a.name),
          )
          .catch(() => ({}));
        return apps.map((a): BlueprintUsageEntry => {
          const view = (views as Record<string, ApplicationStatusView | undefined>)[a.name];
          return {
            application: {
              name: a.name,
              environment: a.environment,
              organization: a.organization,
              version: a.version,
              source: a.source,
              ...(a.overlay ? { overlay: a.overlay } : {}),
            },
            ...(view
              ? {
                  live: {
                    status: view.status,
                    reason: view.reason,
                    pods: view.pods,
                    version: view.version,
                    targetVersion: view.targetVersion,
                  },
                }
              : {}),
          };
        });
      }),
    );
    const body: BlueprintUsageResponse = {
      blueprint: name,
      items: perEnvironment
        .flat()
        .sort(
          (a, b) =>
            a.application.environment.localeCompare(b.application.environment) ||
            a.application.name.localeCompare(b.application.name),
        ),
    };
    res.json(body);
  });
  return router;
}
