import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type * as z from 'zod';
import type { EventPattern } from '../../lambda/core/event-pattern.ts';
import type { IdentitySource, SourceOptions } from '../identity-source.ts';

/**
 * Where a rule listens. Declarative, so that the source folders load no CDK at run time (the revoker bundle
 * reads their patterns and environment): lib/parts/source-rules.ts turns it into buses.
 */
export type BusRef =
  | { readonly kind: 'default' }
  /** A partner event bus, which carries its partner event source's name; `id` names the import. */
  | { readonly kind: 'partner'; readonly id: string; readonly name: string }
  /** The source's own request bus (`SourceWiring.requestBus`). */
  | { readonly kind: 'request-bus' };

/** One EventBridge rule into the revocation queue. */
export interface RuleSpec {
  /** The rule's construct id, stable across releases: it fixes the rule's logical id. */
  readonly id: string;
  readonly description: string;
  readonly bus: BusRef;
  readonly pattern: EventPattern;
}

/** A permission of the revoker's role, and the cdk-nag findings it cannot avoid. */
export interface GrantSpec {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Wildcard resources (AwsSolutions-IAM5), each with why it cannot be narrowed. */
  readonly wildcards?: readonly { readonly resource: string; readonly reason: string }[];
}

/**
 * A bus of the source's own that principals put requests on (the runbook), with a resource policy naming who
 * may put requests and, apart, who may put lifts (lib/parts/request-bus.ts).
 */
export interface RequestBusSpec {
  /** Construct id of the bus part. */
  readonly id: string;
  /** The created bus's description. */
  readonly busDescription: string;
  /** The description of the rule that keeps requests put on the default bus by mistake. */
  readonly misroutedDescription: string;
  /** The prop the settings come from, for error messages (`runbook`). */
  readonly prop: string;
  /** The `source` the requests are put with: the policy's denials are scoped to it. */
  readonly source: string;
  /** The `detail-type` of a lift, which only `liftAllowedPrincipalArns` may put. */
  readonly liftDetailType: string;
  /** A bus of the deployer's to take the requests on; otherwise one is created. */
  readonly eventBus?: IEventBus;
  /** Name of the created bus. @default - `defaultBusName(stack name)` */
  readonly eventBusName?: string;
  readonly defaultBusName: (stackName: string) => string;
  /** Who may put requests; absent = the account's principals that IAM allows. */
  readonly allowedPrincipalArns?: readonly string[];
  /** Who may put lifts; absent or empty = nobody. */
  readonly liftAllowedPrincipalArns?: readonly string[];
}

/** Users of an id-only source that the user directory (lib/parts/user-directory.ts) lists and records. */
export interface UserDirectoryContribution {
  readonly identityStoreIds?: readonly string[];
  readonly identityStoreRegion?: string;
  readonly userPoolIds?: readonly string[];
  /** Said (as information) when the directory is created: what it cannot do for this source. */
  readonly info?: string;
}

/** What an enabled source adds to the stack, as data. */
export interface SourceWiring {
  /** In order: the order fixes the alarms' and dashboard's order. */
  readonly rules: readonly RuleSpec[];
  /** The revoker function's environment that enables the source (read back by `environment.toOptions`). */
  readonly environment: Readonly<Record<string, string>>;
  readonly grants?: readonly GrantSpec[];
  readonly requestBus?: RequestBusSpec;
  readonly userDirectory?: UserDirectoryContribution;
}

/** What a source's wiring may know of the stack. */
export interface WiringContext {
  /** The stack's partition, account and region (possibly tokens). */
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** Route re-enable events as lifts (the stack has a revocation ledger). */
  readonly lift: boolean;
  /** A props error naming the prop (`okta.eventSourceNames`). */
  readonly error: (prop: string, message: string) => Error;
  /** Whether a value is only known at deploy time (a CDK token): such values are not checked. */
  readonly isToken: (value: string) => boolean;
}

/** What the context of a deployment may lend to a source's props. */
export interface ContextKit {
  /** The bus with this name or ARN, imported under construct id `id`. */
  importBus(id: string, nameOrArn: string): IEventBus;
}

/** A check across context keys: when `valid` fails, the message is reported at `key`. */
export interface ContextRefinement<Context> {
  readonly valid: (context: Context) => boolean;
  readonly message: string;
  readonly key: string;
}

/**
 * One identity source = one folder with a definition of this shape: the run-time half (`events`: patterns
 * and normalisers, and the revoker's environment) and the synth-time half (`context` keys, `wiring`), the one
 * carrying the other's settings across through the function environment.
 */
export interface SourceDefinition<
  Props,
  Options extends SourceOptions,
  ContextShape extends z.ZodRawShape,
  EnvironmentShape extends z.ZodRawShape,
> {
  readonly events: IdentitySource<Options>;
  /** cdk.json / `-c` keys of the source. */
  readonly context: {
    readonly shape: ContextShape;
    readonly refinements?: readonly ContextRefinement<z.output<z.ZodObject<ContextShape>>>[];
    /** The props the context asks for; undefined = the source's default (off, or the runbook's on). */
    toProps(context: z.output<z.ZodObject<ContextShape>>, kit: ContextKit): Props | undefined;
  };
  /** The revoker function's environment variables of the source. */
  readonly environment: {
    readonly shape: EnvironmentShape;
    /** The source's options, or undefined when the environment leaves it disabled. */
    toOptions(environment: z.output<z.ZodObject<EnvironmentShape>>): Options | undefined;
  };
  /** Undefined when the source is not enabled by these props. Throws `context.error` for a bad prop. */
  wiring(props: Props | undefined, context: WiringContext): SourceWiring | undefined;
}

/** Names the definition's type parameters from its value. */
export const defineSource = <
  Props,
  Options extends SourceOptions,
  ContextShape extends z.ZodRawShape,
  EnvironmentShape extends z.ZodRawShape,
>(
  definition: SourceDefinition<Props, Options, ContextShape, EnvironmentShape>,
) => definition;
