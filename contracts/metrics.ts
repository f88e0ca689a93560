/**
 * The CloudWatch metrics the functions publish (Powertools Metrics, embedded metric format) and the alarms and
 * dashboard read: one list, so a renamed metric cannot leave an alarm watching nothing. Dependency-free.
 */

/** The EMF namespace every function publishes to (its POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'ClientVpnRevoker';
/** The `service` dimension of every metric (POWERTOOLS_SERVICE_NAME). */
export const METRICS_SERVICE = 'client-vpn-revoker';

/** Metrics of the revoker function. */
export const REVOKER_METRICS = {
  /** One per outcome, named after its status: `Outcome-revoked`, `Outcome-failed`… */
  outcome: (status: string) => `Outcome-${status}`,
  connectionsFound: 'ConnectionsFound',
  connectionsTerminated: 'ConnectionsTerminated',
  connectionsRemaining: 'ConnectionsRemaining',
  outcomePublishFailed: 'OutcomePublishFailed',
  /** Event to outcome (milliseconds). */
  revocationLatency: 'RevocationLatency',
  /** Receipt to outcome inside the function (milliseconds). */
  revocationProcessingTime: 'RevocationProcessingTime',
  eventTimeAdjusted: 'EventTimeAdjusted',
  identityUnresolved: 'IdentityUnresolved',
  retriesScheduled: 'RetriesScheduled',
  retryBackoffFailed: 'RetryBackoffFailed',
} as const;

/** Metrics of the session sweeper. */
export const SWEEPER_METRICS = {
  /** One per sweep outcome, named after its status: `SweepOutcome-swept`… */
  outcome: (status: string) => `SweepOutcome-${status}`,
  connectionsFound: 'SweepConnectionsFound',
  connectionsTerminated: 'SweepConnectionsTerminated',
  connectionsRemaining: 'SweepConnectionsRemaining',
  connectionsProtected: 'SweepConnectionsProtected',
  outcomePublishFailed: 'SweepOutcomePublishFailed',
  endpointsNotGuarded: 'EndpointsNotGuarded',
  endpointsWired: 'EndpointsWired',
} as const;

/** Metrics of the user directory sync. */
export const DIRECTORY_SYNC_METRICS = {
  usersRecorded: 'DirectoryUsersRecorded',
  syncFailed: 'DirectorySyncFailed',
} as const;

/** The metric each function counts its throttled EC2 attempts in, once per invocation (0 included). */
export const EC2_THROTTLED_METRICS = {
  revoker: 'Ec2Throttled',
  sweeper: 'SweepEc2Throttled',
} as const;

/** Why the connect handler allowed or denied a connection. */
export const DECISION_REASONS = [
  'protected',
  'not-revoked',
  'revoked',
  'ledger-unavailable-denied',
  'ledger-unavailable-allowed',
  'invalid-request',
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** One CloudWatch metric (count) per decision reason, so each can be graphed and alarmed on its own. */
export const DECISION_METRICS: Readonly<Record<DecisionReason, string>> = {
  protected: 'ConnectAllowedProtected',
  'not-revoked': 'ConnectAllowed',
  revoked: 'ConnectDeniedRevoked',
  'ledger-unavailable-denied': 'ConnectDeniedLedgerUnavailable',
  'ledger-unavailable-allowed': 'ConnectAllowedLedgerUnavailable',
  'invalid-request': 'ConnectDeniedInvalidRequest',
};
/** Time from receiving the request to the decision (milliseconds). */
export const DECISION_LATENCY_METRIC = 'ConnectDecisionLatency';
