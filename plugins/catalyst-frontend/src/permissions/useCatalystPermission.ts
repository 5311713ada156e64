import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';
import { catalystPermissions } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../api';
import { CatalystDoing, refusalReason } from './refusals';

const ACTION_OF = {
  install: 'install',
  uninstall: 'install',
  configure: 'configure',
  rollback: 'configure',
  promote: 'promote',
  freeze: 'freeze',
} as const;

/** What the UI needs to offer an action, or to say why it does not. */
export interface CatalystPermissionState {
  loading: boolean;
  allowed: boolean;
  /** When refused: the roles that would allow it, where, and the permission (see refusals.ts). */
  reason?: string;
}

/**
 * May the signed-in person do this in this Environment? Asks Backstage's permission framework
 * (Catalyst's permission on the Environment resource, the decision the server's routes enforce) and,
 * when the answer is no, says why. Without an Environment there is nothing to ask: not allowed, no
 * reason. The Organization named in the reason is the caller's when it knows it, else the
 * Environment's (one request, only after a refusal).
 */
export function useCatalystPermission(options: {
  doing: keyof typeof ACTION_OF & CatalystDoing;
  environment: string | undefined;
  organization?: string;
}): CatalystPermissionState {
  const { doing, environment } = options;
  const api = useApi(catalystApiRef);
  const { allowed, loading } = usePermission({
    permission: catalystPermissions[ACTION_OF[doing]],
    resourceRef: environment,
  });
  const refused = Boolean(environment) && !loading && !allowed;
  const { value: organization, loading: naming } = useAsync(async () => {
    if (!refused || !environment) return undefined;
    if (options.organization) return options.organization;
    // an Environment the person may not read answers 404: then the reason names no Organization
    return (await api.getEnvironment(environment).catch(() => undefined))?.organization;
  }, [api, refused, environment, options.organization]);
  if (!environment) return { loading: false, allowed: false };
  if (loading) return { loading: true, allowed: false };
  if (allowed) return { loading: false, allowed: true };
  return {
    loading: false,
    allowed: false,
    reason: refusalReason(doing, { environment, organization: naming ? options.organization : organization }),
  };
}
