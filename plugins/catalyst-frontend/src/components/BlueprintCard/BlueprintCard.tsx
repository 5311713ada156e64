import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Box, Card, CardActions, CardContent, Chip, makeStyles, Typography } from '@material-ui/core';
import type { BlueprintSummary } from '@internal/plugin-catalyst-common';
import { CATALYST_ENTITY_KINDS } from '@internal/plugin-catalyst-common';
import { BlueprintAvatar } from '../BlueprintAvatar';
import { InstallButton } from '../InstallButton';

const useStyles = makeStyles(theme => ({
  card: { height: '100%', display: 'flex', flexDirection: 'column' },
  content: { flexGrow: 1 },
  header: { display: 'flex', alignItems: 'center', gap: theme.spacing(2), marginBottom: theme.spacing(1.5) },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), marginTop: theme.spacing(1.5) },
  actions: { justifyContent: 'space-between', padding: theme.spacing(1, 2, 2) },
}));

/** The marketplace badges: what kind of Blueprint it is and who can see it. */
export function blueprintBadges(b: Pick<BlueprintSummary, 'composite' | 'visibility' | 'card'>): string[] {
  const out: string[] = [];
  if (b.composite || b.card.category === 'composite') out.push('Bundle');
  if (b.visibility === 'private') out.push('Private');
  if (b.visibility === 'unlisted') out.push('Unlisted');
  return out;
}

export interface BlueprintCardProps {
  blueprint: BlueprintSummary;
  /** Install preselects this Environment. */
  environment?: string;
}

/** A marketplace card (reference §8.6): icon, title, tagline, category, badges and Install. */
export function BlueprintCard(props: BlueprintCardProps) {
  const { blueprint: b, environment } = props;
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const title = b.card.title ?? b.name;
  const detail = entityRoute({
    kind: CATALYST_ENTITY_KINDS.blueprint.toLocaleLowerCase('en-US'),
    namespace: b.namespace,
    name: b.name,
  });
  return (
    <Card className={classes.card} variant="outlined" data-testid={`blueprint-card-${b.name}`}>
      <CardContent className={classes.content}>
        <Box className={classes.header}>
          <BlueprintAvatar name={b.name} title={title} />
          <Box>
            <Typography variant="h6" component="h3">
              <Link to={detail}>{title}</Link>
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {b.name} @ {b.latestVersion}
            </Typography>
          </Box>
        </Box>
        <Typography variant="body2">{b.card.tagline ?? 'No description'}</Typography>
        <Box className={classes.chips}>
          {b.card.category && <Chip size="small" label={b.card.category} />}
          {blueprintBadges(b).map(badge => (
            <Chip key={badge} size="small" color="primary" variant="outlined" label={badge} />
          ))}
        </Box>
      </CardContent>
      <CardActions className={classes.actions}>
        <Link to={detail}>Details</Link>
        <InstallButton blueprint={{ name: b.name, organization: b.organization }} environment={environment} />
      </CardActions>
    </Card>
  );
}
