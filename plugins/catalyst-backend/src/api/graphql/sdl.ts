/**
 * The schema text of the GraphQL surface (DESIGN §9), also what `GET /api/catalyst/graphql/schema`
 * answers: its descriptions are the documentation clients see. The resolvers are in `resolvers.ts`.
 */
export const CATALYST_GRAPHQL_SDL = /* GraphQL */ `
  """
  Any JSON value (values, plans, policy rules, rule verdicts).
  """
  scalar JSON

  type Query {
    """
    Organizations the caller has a role in (every one for a sovereign-admin).
    """
    organizations: [Organization!]!
    """
    Environments the caller may read, optionally of one Organization.
    """
    environments(organization: String): [Environment!]!
    environment(name: String!): Environment
    """
    Marketplace: listed Blueprints, unlisted ones by exact name, private ones of readable Organizations.
    """
    blueprints(q: String, organization: String): [Blueprint!]!
    blueprint(name: String!, organization: String): Blueprint
    """
    Change requests of readable Environments, newest first.
    """
    changeRequests(environment: String, application: String, state: String, limit: Int): [ChangeRequestSummary!]!
    changeRequest(id: ID!): ChangeRequest
  }

  type Mutation {
    """
    Install a Blueprint: a commit, or a change request where the Environment is governed.
    """
    install(environment: String!, input: JSON!): ChangeResult!
    """
    Configure, upgrade, pause or resume an Application (the REST PATCH body as input).
    """
    configure(environment: String!, application: String!, input: JSON!): ChangeResult!
    """
    Copy an Application to another Environment of its Organization.
    """
    promote(
      sourceEnvironment: String!
      application: String!
      targetEnvironment: String!
      idempotencyKey: String
    ): ChangeResult!
    """
    Approve a change request (never your own).
    """
    approve(id: ID!, comment: String): ChangeRequest!
  }

  type Organization {
    name: String!
    displayName: String!
    teams: [String!]!
    environments: [Environment!]!
  }

  type Environment {
    name: String!
    organization: String!
    envType: String!
    governed: Boolean!
    canInstall: Boolean
    policy: JSON
    freeze: JSON
    openChangeRequests: Int!
    head: String
    """
    The Organization it belongs to (a graph can be walked both ways: hence the depth limit).
    """
    inOrganization: Organization!
    applications: [Application!]!
    application(name: String!): Application
    changeRequests(state: String): [ChangeRequestSummary!]!
  }

  type Application {
    name: String!
    environment: String!
    organization: String!
    blueprint: String!
    version: String!
    overlay: String
    paused: Boolean!
    dependents: [String!]!
    inEnvironment: Environment!
    """
    Live status from the read model (null until the projector has seen the Application).
    """
    status: LiveStatus
    values: JSON
  }

  type LiveStatus {
    status: String!
    reason: String!
    readyPods: Int!
    totalPods: Int!
    version: String
    targetVersion: String
  }

  type Blueprint {
    name: String!
    namespace: String!
    organization: String
    visibility: String!
    latestVersion: String!
    versions: [String!]!
    title: String
    """
    Applications pinned to this Blueprint in the caller's readable Environments, with live status.
    """
    usage: [BlueprintUsage!]!
  }

  type BlueprintUsage {
    environment: String!
    application: String!
    version: String!
    status: LiveStatus
  }

  type ChangeRequestSummary {
    id: ID!
    environment: String!
    application: String
    action: String!
    title: String!
    author: String!
    state: String!
    version: String
    approvals: Int!
    mergeable: Boolean!
    createdAt: String!
    detail: ChangeRequest
  }

  type ChangeRequest {
    id: ID!
    environment: String!
    application: String
    action: String!
    title: String!
    author: String!
    state: String!
    mergeable: Boolean!
    files: JSON!
    verdicts: JSON!
    approvals: JSON!
    timeline: JSON!
    can: JSON!
  }

  type ChangeResult {
    action: String!
    environment: String!
    commit: String!
    applications: [String!]!
    replayed: Boolean!
    changed: Boolean!
    """
    The change request a governed Environment opened instead of a commit on main.
    """
    changeRequest: String
  }
`;
