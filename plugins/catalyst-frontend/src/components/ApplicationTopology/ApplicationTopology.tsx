import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  DependencyGraph,
  DependencyGraphTypes,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { makeStyles, Typography, useTheme } from '@material-ui/core';
import { CATALYST_ENTITY_KINDS } from '@internal/plugin-catalyst-common';
import { useCatalystEnvironment } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironment } from '../../hooks/useCatalystLive';
import { TopologyNode, topologyOf } from '../../utils/topology';
import { statusColours } from '../ApplicationStatusBadge';
import { LiveIndicator } from '../LiveIndicator';

const NODE_WIDTH = 220;
const NODE_HEIGHT = 60;

const TONE: Record<string, 'ok' | 'progress' | 'warning' | 'error' | 'paused' | 'approval'> = {
  Running: 'ok',
  Installing: 'progress',
  Updating: 'progress',
  Degraded: 'warning',
  Failed: 'error',
  Paused: 'paused',
  'Pending approval': 'approval',
};

const useStyles = makeStyles(theme => ({
  graph: { width: '100%', minHeight: 300 },
  node: { cursor: 'pointer' },
  name: { fill: theme.palette.text.primary, fontWeight: 600, fontSize: 14 },
  detail: { fill: theme.palette.text.secondary, fontSize: 12 },
}));

function NodeBox(props: { node: TopologyNode; onOpen: (name: string) => void }) {
  const { node, onOpen } = props;
  const classes = useStyles();
  const theme = useTheme();
  const colours = statusColours(theme);
  const stroke = node.status ? colours[TONE[node.status]] : theme.palette.divider;
  return (
    <g
      className={classes.node}
      onClick={() => onOpen(node.id)}
      role="link"
      aria-label={`${node.id}: ${node.status ?? 'status unknown'}`}
      data-testid={`topology-node-${node.id}`}
    >
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={8}
        fill={theme.palette.background.paper}
        stroke={stroke}
        strokeWidth={node.current ? 4 : 2}
      />
      <text x={12} y={24} className={classes.name}>
        {node.id}
      </text>
      <text x={12} y={44} className={classes.detail}>
        {node.status ?? 'status unknown'}
        {node.blueprint ? ` · ${node.blueprint} @ ${node.version ?? '?'}` : ''}
      </text>
    </g>
  );
}

export interface ApplicationTopologyProps {
  environment: string;
  application: string;
}

/** Topology: the Applications this one depends on and that depend on it, coloured by live status. */
export function ApplicationTopology(props: ApplicationTopologyProps) {
  const { environment, application } = props;
  const classes = useStyles();
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);
  const { live } = useCatalystLiveEnvironment(environment);
  const { applications, loading, error } = useCatalystEnvironment(environment, live?.summary?.lastCommit?.sha);
  const graph = useMemo(
    () => topologyOf(application, applications ?? [], live?.applications ?? {}),
    [application, applications, live?.applications],
  );

  if (error) return <ResponseErrorPanel error={error} />;
  if (!applications) return loading ? <Progress /> : null;

  const open = (name: string) =>
    navigate(
      entityRoute({ kind: CATALYST_ENTITY_KINDS.application.toLocaleLowerCase('en-US'), namespace: environment, name }),
    );
  return (
    <InfoCard
      title="Topology"
      subheader="An arrow points from an Application to one it depends on (Flux applies that one first)"
      action={<LiveIndicator />}
    >
      {graph.edges.length === 0 && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {application} has no dependencies and no Application depends on it.
        </Typography>
      )}
      <DependencyGraph<TopologyNode, {}>
        className={classes.graph}
        nodes={graph.nodes}
        edges={graph.edges}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        rankMargin={80}
        nodeMargin={30}
        renderNode={({ node }) => <NodeBox node={node} onOpen={open} />}
        zoom="enable-on-click"
        fit="contain"
        showArrowHeads
      />
    </InfoCard>
  );
}
