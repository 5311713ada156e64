import type { LoggerService } from '@backstage/backend-plugin-api';
import { changeRequestPagePath } from '@internal/plugin-catalyst-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { ChangeRequestRecord } from './ChangeRequestStore';

/** Where the change-request page lives in the portal (the frontend's route). */
export const changeRequestLink = (number: number) => changeRequestPagePath(`cr-${number}`);

/**
 * Tells people about change requests through Backstage notifications (pushed live to open portals
 * through signals): approvers when their approval is needed, the author when the request merges,
 * is rejected, is superseded by somebody else's or conflicts, security officers when an org-admin
 * breaks glass. Notifications are a courtesy, never part of the change: a failure is logged and the
 * request goes on.
 */
export class ChangeRequestNotifier {
  private constructor(
    private readonly deps: {
      notifications?: NotificationService;
      /** Entity refs to tell about a break-glass merge in an Organization (its security officers). */
      securityOfficers: (organization: string) => Promise<string[]>;
      /**
       * The users a Group ref stands for beyond the catalog (the identities of their newest
       * sign-in): people who exist only through SSO have no catalog membership for a `group:`
       * recipient to reach them by.
       */
      teamMembers?: (groupRef: string) => Promise<string[]>;
      logger: LoggerService;
    },
  ) {}

  static create(deps: ChangeRequestNotifier['deps']): ChangeRequestNotifier {
    return new ChangeRequestNotifier(deps);
  }

  /** The teams whose approval is missing (Group names of the policy, in the Organization's namespace). */
  async approvalsNeeded(cr: ChangeRequestRecord, teams: string[]): Promise<void> {
    if (teams.length === 0) return;
    const groups = teams.map(t => (t.includes(':') ? t : `group:${cr.organization}/${t}`));
    const members = this.deps.teamMembers
      ? await Promise.all(groups.map(g => this.deps.teamMembers!(g).catch(() => [] as string[])))
      : [];
    // the Groups for catalog members, their signed-in members for everyone else (a person in both
    // is one recipient: the notifications backend resolves entity refs to a set of users)
    await this.send([...new Set([...groups, ...members.flat()])], cr, {
      title: `Approval needed: ${cr.title}`,
      description: `Change request cr-${cr.number} in ${cr.environment} by ${
        cr.author
      } waits for an approval from ${teams.join(', ')}.`,
      severity: 'high',
      topic: `change-request-cr-${cr.number}`,
      exclude: [cr.author],
    });
  }

  merged(cr: ChangeRequestRecord, commit: string, by?: string): Promise<void> {
    return this.send([cr.author], cr, {
      title: `Merged: ${cr.title}`,
      description: `Change request cr-${cr.number} merged into ${cr.environment} (${commit.slice(0, 7)})${
        by ? ` by ${by}` : ''
      }.`,
      severity: 'normal',
      topic: `change-request-cr-${cr.number}`,
    });
  }

  /** Another author's newer request for the same change replaced this one. */
  superseded(cr: ChangeRequestRecord, by: { id: string; author: string }): Promise<void> {
    if (by.author === cr.author) return Promise.resolve();
    return this.send([cr.author], cr, {
      title: `Superseded: ${cr.title}`,
      description: `${by.author} opened ${by.id}, which replaces change request cr-${cr.number} in ${cr.environment}; approvals given to yours do not carry over.`,
      severity: 'normal',
      topic: `change-request-cr-${cr.number}`,
    });
  }

  rejected(cr: ChangeRequestRecord, by: string, reason: string): Promise<void> {
    return this.send([cr.author], cr, {
      title: `Rejected: ${cr.title}`,
      description: `${by} rejected change request cr-${cr.number} in ${cr.environment}: ${reason}`,
      severity: 'high',
      topic: `change-request-cr-${cr.number}`,
      exclude: [by],
    });
  }

  conflicted(cr: ChangeRequestRecord, reason: string): Promise<void> {
    return this.send([cr.author], cr, {
      title: `Conflict: ${cr.title}`,
      description: `Change request cr-${cr.number} no longer applies to ${cr.environment} as approved (${reason}); rebase it.`,
      severity: 'high',
      topic: `change-request-cr-${cr.number}`,
    });
  }

  async brokeGlass(cr: ChangeRequestRecord, by: string, reason: string): Promise<void> {
    const officers = await this.deps.securityOfficers(cr.organization).catch(() => []);
    await this.send(officers, cr, {
      title: `Break-glass merge in ${cr.environment}`,
      description: `${by} merged change request cr-${cr.number} (${cr.title}) bypassing soak and change windows: ${reason}`,
      severity: 'critical',
      topic: `break-glass-${cr.environment}`,
    });
  }

  private async send(
    recipients: string[],
    cr: ChangeRequestRecord,
    message: {
      title: string;
      description: string;
      severity: 'critical' | 'high' | 'normal' | 'low';
      topic: string;
      exclude?: string[];
    },
  ): Promise<void> {
    if (!this.deps.notifications || recipients.length === 0) return;
    try {
      await this.deps.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          ...(message.exclude?.length ? { excludeEntityRef: message.exclude } : {}),
        },
        payload: {
          title: message.title,
          description: message.description,
          link: changeRequestLink(cr.number),
          severity: message.severity,
          topic: message.topic,
        },
      });
    } catch (error) {
      this.deps.logger.warn(`Could not send the notification "${message.title}"`, { error: String(error) });
    }
  }
}
