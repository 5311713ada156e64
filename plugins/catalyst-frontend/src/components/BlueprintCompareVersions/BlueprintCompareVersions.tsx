import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, ResponseErrorPanel, Select } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Chip,
  Grid,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { BlueprintDetail } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { diffConfigSchemas } from '../../utils/schemaDiff';
import { diffFileSets } from '../../utils/unifiedDiff';
import { FileDiffView } from '../FileDiffView';

const useStyles = makeStyles(theme => ({
  pickers: { display: 'flex', gap: theme.spacing(3), flexWrap: 'wrap', marginBottom: theme.spacing(2) },
  picker: { minWidth: 180 },
  mono: { fontFamily: 'monospace' },
}));

export interface BlueprintCompareVersionsProps {
  blueprint: BlueprintDetail;
}

/** Two versions side by side: configSchema fields that differ, and the release files as a unified diff. */
export function BlueprintCompareVersions(props: BlueprintCompareVersionsProps) {
  const { blueprint: b } = props;
  const classes = useStyles();
  const api = useApi(catalystApiRef);
  const versions = b.versions;
  const [from, setFrom] = useState(versions.length > 1 ? versions[versions.length - 2] : versions[0]);
  const [to, setTo] = useState(versions[versions.length - 1]);
  const schemaOf = (v: string) => b.versionDetails.find(d => d.version === v)?.configSchema;
  const fields = diffConfigSchemas(schemaOf(from), schemaOf(to));
  const files = useAsync(async () => {
    const [before, after] = await Promise.all([api.getBlueprintFiles(b.name, from), api.getBlueprintFiles(b.name, to)]);
    return diffFileSets(before, after);
  }, [api, b.name, from, to]);
  const items = [...versions].reverse().map(v => ({ label: v, value: v }));

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box className={classes.pickers}>
          <div className={classes.picker}>
            <Select label="From version" selected={from} items={items} onChange={v => setFrom(String(v))} />
          </div>
          <div className={classes.picker}>
            <Select label="To version" selected={to} items={items} onChange={v => setTo(String(v))} />
          </div>
        </Box>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`Configuration: ${from} → ${to}`}>
          {fields.length === 0 ? (
            <Typography color="textSecondary">The configuration schema is the same.</Typography>
          ) : (
            <Table size="small" aria-label="configuration differences">
              <TableHead>
                <TableRow>
                  <TableCell>Field</TableCell>
                  <TableCell>Change</TableCell>
                  <TableCell>Details</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {fields.map(f => (
                  <TableRow key={f.path}>
                    <TableCell className={classes.mono}>{f.path}</TableCell>
                    <TableCell>
                      <Chip size="small" label={f.change} />
                    </TableCell>
                    <TableCell>{f.details.join('; ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`Files: ${from} → ${to}`}>
          {files.error && <ResponseErrorPanel error={files.error} />}
          {files.loading && <Progress />}
          {files.value && <FileDiffView files={files.value} emptyText="The two versions have the same files." />}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
