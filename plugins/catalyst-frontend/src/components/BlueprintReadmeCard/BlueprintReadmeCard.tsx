import { useState } from 'react';
import { InfoCard, MarkdownContent, Select } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { BlueprintDetail } from '@internal/plugin-catalyst-common';

export interface BlueprintReadmeCardProps {
  blueprint: BlueprintDetail;
}

/** A Blueprint version's README and release facts; the version picker defaults to the latest. */
export function BlueprintReadmeCard(props: BlueprintReadmeCardProps) {
  const { blueprint: b } = props;
  const [version, setVersion] = useState(b.latestVersion);
  const detail = b.versionDetails.find(v => v.version === version) ?? b.versionDetails[b.versionDetails.length - 1];
  const facts = [
    detail?.depends.length
      ? `Depends on ${detail.depends
          .map(d => `${d.blueprint} ${d.version}${d.when ? ` when ${d.when}` : ''}`)
          .join(', ')}`
      : null,
    detail?.overlays.length
      ? `Sizes: ${detail.overlays.join(', ')}${detail.defaultOverlay ? ` (default ${detail.defaultOverlay})` : ''}`
      : null,
    detail?.upgrades?.from?.length ? `Upgrades from ${detail.upgrades.from.join(', ')}` : null,
    detail?.upgrades?.blocks?.length
      ? `Blocks upgrades from ${detail.upgrades.blocks.join(', ')} (reinstall instead)`
      : null,
  ].filter((f): f is string => Boolean(f));
  return (
    <InfoCard
      title="README"
      action={
        <Box minWidth={160} mt={1}>
          <Select
            label="Version"
            selected={version}
            items={[...b.versions]
              .reverse()
              .map(v => ({ label: v === b.latestVersion ? `${v} (latest)` : v, value: v }))}
            onChange={v => setVersion(String(v))}
          />
        </Box>
      }
    >
      {facts.length > 0 && (
        <Box mb={2}>
          {facts.map(f => (
            <Typography key={f} variant="body2" color="textSecondary">
              {f}
            </Typography>
          ))}
        </Box>
      )}
      {detail?.readme ? (
        <MarkdownContent content={detail.readme} />
      ) : (
        <Typography color="textSecondary">This version has no README.</Typography>
      )}
    </InfoCard>
  );
}
