/** Public entry point of the local AWS emulator (see README.md). */
export type {
  ConnectFailureReason,
  ConnectHandlerInvoker,
  ConnectHandlerRequest,
  ConnectHandlerResponse,
} from './client-connect.ts';
export {
  CONNECT_HANDLER_FAILED_MESSAGE,
  CONNECT_HANDLER_NAME_PREFIX,
  CONNECT_HANDLER_TIMEOUT_MS,
} from './client-connect.ts';
export type { ConnectionAttempt, ConnectRequest, ConnectResult } from './connect.ts';
export { EC2_ACTIONS, TERMINATE_BY_USERNAME_LIMIT } from './ec2.ts';
export type { PublishedEvent } from './eventbridge.ts';
export type {
  BucketSpec,
  EventMatcher,
  FailToTerminateOptions,
  FaultControls,
  RandomErrorCode,
  RandomErrorOptions,
  RemoveEndpointOptions,
  RepeatTerminateMode,
  UnauthorizedRule,
} from './faults.ts';
export { REAL_BUCKETS } from './faults.ts';
export type { AuthType, ConnectionStatus, EndpointStatus, Seed } from './seed.ts';
export { InvalidSeedError, parseSeed } from './seed.ts';
export {
  DEMO_ENDPOINTS,
  DEMO_IDENTITY_STORE_ID,
  DEMO_VICTIM,
  DEMO_VICTIM_USER_ID,
  demoSeed,
} from './seeds/demo.ts';
export type {
  CallCount,
  CallCountFilter,
  CallRecord,
  Emulator,
  EmulatorOptions,
  ServiceName,
} from './server.ts';
export { startEmulator } from './server.ts';
export type { ClientConnectOptions, ConnectionQuery, ConnectionView, EndpointView } from './state.ts';
export { RETENTION_MS } from './state.ts';
