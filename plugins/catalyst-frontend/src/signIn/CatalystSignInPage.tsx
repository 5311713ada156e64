import { ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { Content, Header, InfoCard, Page, Progress, ProxiedSignInPage, UserIdentity } from '@backstage/core-components';
import { configApiRef, SignInPageProps, useApi } from '@backstage/core-plugin-api';
import { Button, Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import { CatalystSignInAuthApi, catalystAuthApiRef } from './CatalystAuthApi';
import { CatalystSignedInIdentity, LAST_PROVIDER_KEY } from './CatalystSignedInIdentity';
import { endSessionUrl } from './endSession';
import { endsIdentityProviderSession, providerIds, readSignInOptions, SignInOption } from './signInOptions';

type Phase = { name: 'restoring' } | { name: 'choosing' } | { name: 'guest' };

/**
 * The person closed the popup (or turned down the sign-in dialog): nothing to report. A popup the
 * browser blocked (`PopupRejectedError`) is reported: the person has to allow it to sign in.
 */
function isDismissed(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'PopupClosedError' || name === 'RejectedError';
}

function Option(props: { testId: string; title: string; action: ReactNode; error?: string; children: ReactNode }) {
  return (
    <Grid item xs={12} sm={6} md={4} component="li" data-testid={props.testId}>
      <InfoCard variant="fullHeight" title={props.title} actions={props.action}>
        {props.children}
        {props.error && (
          <Typography variant="body2" color="error" role="alert" style={{ marginTop: 12 }}>
            {props.error}
          </Typography>
        )}
      </InfoCard>
    </Grid>
  );
}

/**
 * Catalyst's sign-in page, for both frontend systems. It offers what the frontend-visible config
 * lists (`catalyst.signIn.providers`, `catalyst.keycloakTopology`; see signInOptions.ts): corporate
 * sign-in through Keycloak's one issuer (`oidc`), or — one issuer per Organization — an Organization
 * picker first (`oidc-<org>`); Microsoft (Entra ID); and the guest, a read-only look around. The
 * provider last used is remembered, so a reload restores its session without a popup. Sign-out ends
 * the identity provider's session too (unless `catalyst.signIn.endIdentityProviderSession` is false),
 * so the next person at this browser signs in as themselves.
 */
export function CatalystSignInPage(props: SignInPageProps) {
  const { onSignInSuccess } = props;
  const config = useApi(configApiRef);
  const auth = useApi(catalystAuthApiRef);
  const options = useMemo(() => readSignInOptions(config), [config]);
  const [phase, setPhase] = useState<Phase>({ name: 'restoring' });
  const [busy, setBusy] = useState<string | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const remembered = typeof localStorage === 'undefined' ? null : localStorage.getItem(LAST_PROVIDER_KEY);
  const organizations = options.find(
    (o): o is Extract<SignInOption, { kind: 'organizations' }> => o.kind === 'organizations',
  );
  const [organization, setOrganization] = useState<string>(
    () => organizations?.organizations.find(o => o.providerId === remembered)?.organization ?? '',
  );

  const complete = useCallback(
    async (providerId: string, api: CatalystSignInAuthApi, identity: { identity: UserIdentityInput }) => {
      const profile = await api.getProfile();
      const user = UserIdentity.create({ identity: identity.identity, authApi: api, profile });
      const endSession = endsIdentityProviderSession(config)
        ? async () =>
            endSessionUrl({
              idToken: await api.getIdToken({ optional: true }),
              postLogoutRedirectUri: config.getString('app.baseUrl'),
              // the identity provider's public discovery document: no Backstage credentials go there
              fetch: url => fetch(url),
            })
        : undefined;
      localStorage.setItem(LAST_PROVIDER_KEY, providerId);
      onSignInSuccess(new CatalystSignedInIdentity(user, endSession));
    },
    [config, onSignInSuccess],
  );

  // A session from the last visit (the refresh cookie of the provider last used) signs in silently.
  useEffect(() => {
    if (phase.name !== 'restoring') return undefined;
    let cancelled = false;
    const offered = providerIds(options);
    if (!remembered || !offered.includes(remembered)) {
      setPhase({ name: 'choosing' });
      return undefined;
    }
    if (remembered === 'guest') {
      setPhase({ name: 'guest' });
      return undefined;
    }
    const api = auth.forProvider(remembered);
    api
      .getBackstageIdentity({ optional: true })
      .then(async identity => {
        if (cancelled) return;
        if (identity) await complete(remembered, api, identity);
        else setPhase({ name: 'choosing' });
      })
      .catch(() => {
        if (!cancelled) setPhase({ name: 'choosing' });
      });
    return () => {
      cancelled = true;
    };
  }, [phase.name, options, remembered, auth, complete]);

  const signIn = async (providerId: string, card: string) => {
    setBusy(card);
    setErrors(e => ({ ...e, [card]: '' }));
    const api = auth.forProvider(providerId);
    try {
      const identity = await api.getBackstageIdentity({ instantPopup: true });
      if (!identity) throw new Error(`The provider ${providerId} is not configured for sign-in`);
      await complete(providerId, api, identity);
    } catch (error) {
      if (!isDismissed(error)) {
        setErrors(e => ({ ...e, [card]: `Sign-in failed: ${(error as Error).message ?? String(error)}` }));
      }
    } finally {
      setBusy(undefined);
    }
  };

  if (phase.name === 'restoring') return <Progress />;
  if (phase.name === 'guest') {
    return (
      <ProxiedSignInPage
        provider="guest"
        onSignInSuccess={identity => {
          localStorage.setItem(LAST_PROVIDER_KEY, 'guest');
          onSignInSuccess(new CatalystSignedInIdentity(identity));
        }}
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title={config.getString('app.title')} />
            <Content>
              <Typography color="error" role="alert">
                Guest sign-in failed: {error?.message ?? 'unknown error'}
              </Typography>
              <Button
                variant="outlined"
                style={{ marginTop: 16 }}
                onClick={() => {
                  localStorage.removeItem(LAST_PROVIDER_KEY);
                  setPhase({ name: 'choosing' });
                }}
              >
                Back to sign-in
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  const signInButton = (providerId: string | undefined, card: string) => (
    <Button
      color="primary"
      variant="outlined"
      disabled={!providerId || busy !== undefined}
      onClick={() => providerId && signIn(providerId, card)}
    >
      {busy === card ? 'Signing in…' : 'Sign in'}
    </Button>
  );

  return (
    <Page themeId="home">
      <Header title={config.getString('app.title')} subtitle="Sign in" />
      <Content>
        <Grid container spacing={2} component="ul" style={{ listStyle: 'none', padding: 0 }}>
          {options.length === 0 && (
            <Grid item xs={12} component="li">
              <Typography color="error" role="alert">
                No sign-in provider is configured (catalyst.signIn.providers).
              </Typography>
            </Grid>
          )}
          {options.map(option => {
            switch (option.kind) {
              case 'oidc':
                return (
                  <Option
                    key="oidc"
                    testId="sign-in-option-oidc"
                    title="Corporate sign-in"
                    action={signInButton('oidc', 'oidc')}
                    error={errors.oidc}
                  >
                    <Typography>Sign in with your organization account (Keycloak).</Typography>
                  </Option>
                );
              case 'organizations': {
                const chosen = option.organizations.find(o => o.organization === organization);
                return (
                  <Option
                    key="organizations"
                    testId="sign-in-option-organizations"
                    title="Corporate sign-in"
                    action={signInButton(chosen?.providerId, 'organizations')}
                    error={errors.organizations}
                  >
                    <Typography>Choose your Organization, then sign in with its account.</Typography>
                    <TextField
                      id="catalyst-sign-in-organization"
                      select
                      fullWidth
                      margin="normal"
                      variant="outlined"
                      label="Organization"
                      value={organization}
                      onChange={e => setOrganization(String(e.target.value))}
                    >
                      {option.organizations.map(o => (
                        <MenuItem key={o.organization} value={o.organization}>
                          {o.organization}
                        </MenuItem>
                      ))}
                    </TextField>
                  </Option>
                );
              }
              case 'microsoft':
                return (
                  <Option
                    key="microsoft"
                    testId="sign-in-option-microsoft"
                    title="Microsoft"
                    action={signInButton('microsoft', 'microsoft')}
                    error={errors.microsoft}
                  >
                    <Typography>Sign in with your Azure AD (Entra ID) account.</Typography>
                  </Option>
                );
              case 'guest':
              default:
                return (
                  <Option
                    key="guest"
                    testId="sign-in-option-guest"
                    title="Look around (read-only)"
                    action={
                      <Button
                        color="primary"
                        variant="outlined"
                        disabled={busy !== undefined}
                        onClick={() => setPhase({ name: 'guest' })}
                      >
                        Enter
                      </Button>
                    }
                  >
                    <Typography>
                      Enter as the guest to see what is here without an account. The guest may look, not change
                      anything.
                    </Typography>
                  </Option>
                );
            }
          })}
        </Grid>
      </Content>
    </Page>
  );
}

type UserIdentityInput = Parameters<typeof UserIdentity.create>[0]['identity'];
