/**
 * Library entry point (package.json `exports`): the L3 construct to embed in your own stack, its props types,
 * the deployable stack, and the event contracts a consumer needs to request, lift or subscribe to revocations.
 * See examples/cdk-app/ for an app that embeds the construct.
 */

export {
  OUTCOME_DETAIL_TYPE,
  REVOCATION_STATUSES,
  SWEEP_OUTCOME_DETAIL_TYPE,
} from '../contracts/events.ts';
export type { IdentityMapping } from '../lambda/core/identity-mapping.ts';
export type { OutcomeDetail } from '../lambda/core/outcome.ts';
export type { SweepOutcomeDetail } from '../lambda/core/sweep-outcome.ts';
export type { Auth0LostAccessEventType } from '../sources/auth0/events.ts';
export type { Auth0SourceProps } from '../sources/auth0/source.ts';
export type { CognitoLostAccessEventType } from '../sources/cognito/events.ts';
export type { CognitoSourceProps } from '../sources/cognito/source.ts';
export type { IdentityCenterEventType } from '../sources/identity-center/events.ts';
export type { IdentityCenterSourceProps } from '../sources/identity-center/source.ts';
export type { OktaLostAccessEventType } from '../sources/okta/events.ts';
export type { OktaSourceProps } from '../sources/okta/source.ts';
export type { OneLoginSourceProps } from '../sources/onelogin/source.ts';
export type { SourcesProps } from '../sources/registry.ts';
export {
  DEFAULT_RUNBOOK_SOURCE,
  RUNBOOK_DETAIL_TYPE,
  RUNBOOK_LIFT_DETAIL_TYPE,
  type RunbookDetail,
} from '../sources/runbook/events.ts';
export type { RunbookSourceProps } from '../sources/runbook/source.ts';
export {
  type ClientVpnEndpointReference,
  type ClientVpnEndpointTag,
  ClientVpnRevoker,
  type ClientVpnRevokerProps,
  ClientVpnRevokerPropsError,
  type ConnectHandlerProps,
  type Ec2CallBudget,
  type LedgerProps,
  type SessionCleanupProps,
} from './client-vpn-revoker.ts';
export { ClientVpnRevokerStack, type ClientVpnRevokerStackProps } from './client-vpn-revoker-stack.ts';
export { parseContext, type RevokerContext, readContext } from './config.ts';
export { RevokerAlarms, type RevokerAlarmsProps } from './parts/alarms.ts';
export { ClientConnectHandler, EndpointWiring } from './parts/connect-handler.ts';
export { RevokerDashboard, type RevokerDashboardProps } from './parts/dashboard.ts';
export { SessionSweeper } from './parts/session-sweeper.ts';
export { UserDirectory, type UserDirectoryOptions } from './parts/user-directory.ts';
