import { InfoCard, StatusError, StatusOK, StatusPending } from '@backstage/core-components';
import { Box, List, ListItem, ListItemText, Typography } from '@material-ui/core';
import type { PolicyEvaluation, PolicyVerdict } from '@internal/plugin-catalyst-common';
import { relativeTime } from '../../utils/relativeTime';
import { localTime, ruleTitle, untilInWords, verdictFacts } from '../../utils/changeRequestWords';

const STATUS_WORDS: Record<PolicyVerdict['status'], string> = { pass: 'passes', pending: 'pending', fail: 'fails' };

function VerdictStatus(props: { status: PolicyVerdict['status'] }) {
  const words = STATUS_WORDS[props.status];
  if (props.status === 'pass') return <StatusOK>{words}</StatusOK>;
  if (props.status === 'pending') return <StatusPending>{words}</StatusPending>;
  return <StatusError>{words}</StatusError>;
}

export interface ChangeRequestVerdictsProps {
  evaluation: PolicyEvaluation | null;
  /** The page's clock (countdowns). */
  now: number;
  /** The request is closed: the verdicts are history, not what is missing. */
  closed?: boolean;
}

/**
 * Every rule of the destination's EnvironmentPolicy with its last verdict and the server's reason,
 * and under it what moves with the clock (soak remaining, next window opening) or with people
 * (approvals counted, teams missing).
 */
export function ChangeRequestVerdicts(props: ChangeRequestVerdictsProps) {
  const { evaluation, now, closed } = props;
  if (!evaluation) {
    return (
      <InfoCard title="Rules">
        <Typography variant="body2" color="textSecondary">
          Not evaluated yet: Catalyst evaluates the Environment's policy as soon as the change request is stored.
        </Typography>
      </InfoCard>
    );
  }
  const next = evaluation.nextEvaluationAt;
  const passing = evaluation.mergeable ? 'every rule passes' : `${evaluation.blockedBy.length} not passing`;
  const subheader = [
    `evaluated ${relativeTime(evaluation.evaluatedAt, now)}`,
    !closed && next ? `next evaluation ${localTime(next)} (${untilInWords(next, now)})` : undefined,
    closed ? undefined : passing,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <InfoCard title="Rules" subheader={subheader}>
      {evaluation.verdicts.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          The Environment's policy has no rules.
        </Typography>
      ) : (
        <List dense disablePadding>
          {evaluation.verdicts.map(v => {
            const facts = verdictFacts(v, now);
            return (
              <ListItem
                key={`${v.rule.kind}-${v.rule.index ?? 'gate'}`}
                disableGutters
                divider
                data-testid={`verdict-${v.rule.kind}`}
                data-status={v.status}
              >
                <ListItemText
                  primary={
                    <Box display="flex" alignItems="center" gridGap={12}>
                      <strong>{ruleTitle(v.rule)}</strong>
                      <VerdictStatus status={v.status} />
                    </Box>
                  }
                  secondary={
                    <>
                      <span>{v.reason}</span>
                      {facts.length > 0 && (
                        <span style={{ display: 'block' }} data-testid={`verdict-${v.rule.kind}-facts`}>
                          {facts.join(' · ')}
                        </span>
                      )}
                    </>
                  }
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </InfoCard>
  );
}
