import { CodeSnippet, InfoCard, LinkButton, Progress } from '@backstage/core-components';
import { discoveryApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import useAsync from 'react-use/esm/useAsync';
import { CATALYST_PLUGIN_ID, EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { GIT_ACCESS_PATH, rootRouteRef } from '../../routes';
import { catalystGitBaseUrl, cloneUrlOf, isOnGitHost, messageOf } from './gitAccess';

export interface CloneRepoCardProps {
  environment: EnvironmentOverview;
}

/** What the person's roles let them do with the repo: the same decision the Git surface makes on each push. */
function PushRights(props: { environment: EnvironmentOverview }) {
  const e = props.environment;
  const { allowed, loading, reason } = useCatalystPermission({
    doing: 'configure',
    environment: e.name,
    organization: e.organization,
  });
  if (loading) return null;
  let text: string;
  if (!allowed) text = `You may clone it; pushing: ${reason ?? `you may not change ${e.name}`}.`;
  else if (e.governed) {
    text = `${e.name} is governed: a push to main is refused; push a branch and it becomes a change request for its EnvironmentPolicy.`;
  } else text = `You may clone and push: a push to main is applied like a change made here.`;
  return (
    <Typography variant="body2" data-testid="clone-rights">
      {text}
    </Typography>
  );
}

/**
 * "Clone this repo" on the Environment page: its clone URL on Catalyst's Git surface and how to
 * authenticate (a personal Git token for its Organization as the password), with a link to the
 * token manager. An Environment whose repo lives on an external Git host is cloned there instead.
 */
export function CloneRepoCard(props: CloneRepoCardProps) {
  const e = props.environment;
  const discovery = useApi(discoveryApiRef);
  const root = useRouteRef(rootRouteRef);
  const base = useAsync(() => discovery.getBaseUrl(CATALYST_PLUGIN_ID), [discovery]);
  const manage = `${root()}${GIT_ACCESS_PATH}?${new URLSearchParams({
    organization: e.organization,
    environment: e.name,
  })}`;

  if (isOnGitHost(e.repository)) {
    return (
      <InfoCard title="Clone this repo">
        <Typography variant="body2" paragraph>
          {e.name}&apos;s repo lives on your Git host: clone and push there, with that host&apos;s credentials.
        </Typography>
        <CodeSnippet language="shell" text={`git clone ${e.repository}`} showCopyCodeButton />
      </InfoCard>
    );
  }

  let body;
  if (base.error) {
    body = <Alert severity="error">The backend&apos;s address is unknown: {messageOf(base.error)}</Alert>;
  } else if (!base.value) body = <Progress />;
  else {
    const url = cloneUrlOf(catalystGitBaseUrl(base.value, e.organization), e.name);
    body = (
      <>
        <CodeSnippet language="shell" text={`git clone ${url}`} showCopyCodeButton />
        <Typography variant="body2" paragraph style={{ marginTop: 8 }}>
          Git asks for a user name and a password: any user name, and a personal Git token for {e.organization} as the
          password (tokens are made and revoked under Git access; each secret is shown once).
        </Typography>
        <PushRights environment={e} />
      </>
    );
  }
  return (
    <InfoCard
      title="Clone this repo"
      subheader={`The Git repo of ${e.name}: its Applications, values and policy as files`}
      action={
        <Box mt={1}>
          <LinkButton to={manage} color="primary" variant="outlined" startIcon={<VpnKeyIcon />}>
            Manage Git tokens
          </LinkButton>
        </Box>
      }
    >
      {body}
    </InfoCard>
  );
}
