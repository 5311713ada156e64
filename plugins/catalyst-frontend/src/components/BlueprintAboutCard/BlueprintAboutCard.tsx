import { ReactNode } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Box, Chip, Grid, makeStyles, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import type { BlueprintDetail } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { BlueprintAvatar } from '../BlueprintAvatar';
import { blueprintBadges } from '../BlueprintCard';
import { InstallButton } from '../InstallButton';

const useStyles = makeStyles(theme => ({
  header: { display: 'flex', gap: theme.spacing(2), alignItems: 'center', marginBottom: theme.spacing(2) },
  label: { color: theme.palette.text.secondary, fontSize: '0.75rem', textTransform: 'uppercase', fontWeight: 600 },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

function Field(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={6}>
      <Typography className={classes.label}>{props.label}</Typography>
      <Box component="div">{props.children}</Box>
    </Grid>
  );
}

/** The card's icon file inside the Blueprint folder (`./card/icon.svg` → `card/icon.svg`). */
export function iconPath(icon: string | undefined): string | undefined {
  if (!icon) return undefined;
  const path = icon.replace(/^\.\//, '');
  return /\.svg$/i.test(path) && !path.split('/').includes('..') ? path : undefined;
}

export interface BlueprintAboutCardProps {
  blueprint: BlueprintDetail;
}

/** The Blueprint detail header (reference §8.6): `bp-x @ latest`, owner, card facts, Install. */
export function BlueprintAboutCard(props: BlueprintAboutCardProps) {
  const { blueprint: b } = props;
  const classes = useStyles();
  const api = useApi(catalystApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const icon = iconPath(b.card.icon);
  // the icon is a file of the release; without it the letter avatar stays, which is fine
  const { value: svg } = useAsync(async () => {
    if (!icon) return undefined;
    const files = await api.getBlueprintFiles(b.name, b.latestVersion).catch(() => ({} as Record<string, string>));
    return files[icon];
  }, [api, b.name, b.latestVersion, icon]);
  const title = b.card.title ?? b.name;
  const owner = b.owner?.team ?? (b.organization ? b.organization : 'public catalog');
  return (
    <InfoCard
      title={`${b.name} @ ${b.latestVersion}`}
      subheader={`Latest: ${b.latestVersion} · Owner: ${owner}`}
      actions={<InstallButton blueprint={{ name: b.name, organization: b.organization }} />}
    >
      <Box className={classes.header}>
        <BlueprintAvatar name={b.name} title={title} svg={svg} />
        <Box>
          <Typography variant="h5" component="h2">
            {title}
          </Typography>
          <Typography variant="body1" color="textSecondary">
            {b.card.tagline ?? 'No description'}
          </Typography>
        </Box>
      </Box>
      <Grid container spacing={2}>
        <Field label="Owner">
          {owner}
          {b.owner?.contact ? ` (${b.owner.contact})` : ''}
        </Field>
        <Field label="Category">
          <Box className={classes.chips}>
            <Chip size="small" label={b.card.category ?? 'uncategorized'} />
            {blueprintBadges(b).map(badge => (
              <Chip key={badge} size="small" color="primary" variant="outlined" label={badge} />
            ))}
          </Box>
        </Field>
        <Field label="Source">
          {b.source === 'catalog' ? 'Public catalog' : `Shared Blueprints of ${b.organization}`}
        </Field>
        <Field label="License">{b.card.license ?? '—'}</Field>
        <Field label="Versions">
          <Box className={classes.chips}>
            {[...b.versions].reverse().map(v => (
              <Chip key={v} size="small" variant={v === b.latestVersion ? 'default' : 'outlined'} label={v} />
            ))}
          </Box>
        </Field>
        <Field label="Depends on">
          {b.depends.length === 0
            ? 'Nothing'
            : b.depends.map((d, i) => (
                <span key={d}>
                  {i > 0 && ', '}
                  <Link to={entityRoute({ kind: 'blueprint', namespace: b.namespace, name: d })}>{d}</Link>
                </span>
              ))}
        </Field>
        {b.card.documentation && (
          <Field label="Documentation">
            <Link to={b.card.documentation}>{b.card.documentation}</Link>
          </Field>
        )}
      </Grid>
    </InfoCard>
  );
}
