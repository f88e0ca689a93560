import { functionArnProblem } from './client-connect.ts';
import type { Clock } from './clock.ts';
import type { Caller } from './protocol.ts';
import { fnv1a, hexId, textId } from './random.ts';
import {
  type AuthType,
  type ConnectionStatus,
  type EndpointStatus,
  InvalidSeedError,
  parseSeed,
  type Seed,
  type SeedCognitoUser,
  type SeedConnection,
  type SeedEndpoint,
  type SeedSecret,
  type SeedUser,
} from './seed.ts';

/** Terminated connections stay listed this long (emulated time), as the real API keeps them for 60 minutes. */
export const RETENTION_MS = 60 * 60 * 1000;

export interface Endpoint {
  readonly seq: number;
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  description: string;
  status: EndpointStatus;
  tags: Record<string, string>;
  authType: AuthType;
  transportProtocol: 'udp' | 'tcp';
  vpnPort: number;
  sessionTimeoutHours: number;
  disconnectOnSessionTimeout: boolean;
  splitTunnel: boolean;
  /** The client connect handler; `applied` at once (no `applying` phase). */
  clientConnect: ClientConnectOptions;
  readonly createdAt: number;
  /** Second octet of the endpoint's client CIDR `10.<n>.0.0/16`. */
  readonly cidrOctet: number;
  /** Connections in insertion (= listing) order; `seq` is strictly increasing. */
  readonly connections: Connection[];
  readonly byId: Map<string, Connection>;
  readonly byUsername: Map<string, Connection[]>;
  generatedIds: number;
  assignedIps: number;
}

export interface Connection {
  readonly seq: number;
  readonly id: string;
  readonly endpoint: Endpoint;
  readonly username: string;
  readonly commonName: string;
  readonly clientIp: string;
  status: ConnectionStatus;
  statusMessage: string | undefined;
  readonly establishedAt: number;
  endedAt: number | undefined;
  /** While `terminating`: when the connection becomes `terminated`. */
  terminateAt: number | undefined;
  readonly ingressBytes: number;
  readonly egressBytes: number;
  readonly ingressPackets: number;
  readonly egressPackets: number;
  readonly postureComplianceStatuses: readonly string[];
}

/** An endpoint's client connect handler settings. */
export interface ClientConnectOptions {
  readonly enabled: boolean;
  readonly lambdaFunctionArn?: string;
}

/** A Secrets Manager secret (one version, `AWSCURRENT`). */
export interface Secret {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly secretString: string;
  readonly versionId: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** The fields of a connection made through `Emulator.connect()`. */
export interface NewConnection {
  readonly id: string;
  readonly username: string;
  readonly commonName: string;
  readonly clientIp?: string;
  readonly postureComplianceStatuses: readonly string[];
}

export interface IdentityStoreUser extends SeedUser {
  readonly identityStoreId: string;
}

export interface CognitoUser extends SeedCognitoUser {
  readonly userPoolId: string;
  /** Epoch ms (emulated clock) when the seed was loaded. */
  readonly createdAt: number;
}

/** Selects connections for `Emulator.connections()`; every given field must match exactly. */
export interface ConnectionQuery {
  readonly connectionId?: string;
  readonly endpointId?: string;
  /** The account that owns the endpoint. */
  readonly accountId?: string;
  readonly region?: string;
  readonly username?: string;
  readonly commonName?: string;
  readonly status?: ConnectionStatus;
}

/** A connection as `Emulator.connections()` reports it. Times are ISO 8601 (emulated clock). */
export interface ConnectionView {
  readonly connectionId: string;
  readonly endpointId: string;
  /** The account that owns the endpoint. */
  readonly accountId: string;
  readonly region: string;
  readonly username: string;
  readonly commonName: string;
  readonly clientIp: string;
  readonly status: ConnectionStatus;
  readonly statusMessage?: string;
  readonly establishedAt: string;
  readonly endedAt?: string;
}

export interface EndpointView {
  readonly endpointId: string;
  readonly accountId: string;
  readonly region: string;
  readonly description: string;
  readonly status: EndpointStatus;
  readonly authType: AuthType;
  readonly transportProtocol: 'udp' | 'tcp';
  readonly tags: Readonly<Record<string, string>>;
  readonly clientConnectOptions: ClientConnectOptions;
  /** Connections Describe would list (active, terminating, and terminated within the retention window). */
  readonly listedConnections: number;
  readonly activeConnections: number;
}

/** Which connections of one endpoint a Describe page asks for (values OR-ed, the two filters AND-ed). */
export interface ConnectionSelection {
  readonly connectionIds?: readonly string[];
  readonly usernames?: readonly string[];
}

const MINUTE = 60_000;

const parseTime = (iso: string | undefined): number | undefined =>
  iso === undefined ? undefined : Date.parse(iso);

/**
 * The emulator's data: endpoints (each owned by one account), their connections, identity-store users, the
 * IAM roles STS may assume and the credentials it issued. Status transitions are lazy: a
 * `terminating` connection becomes `terminated` when it is next read after its deadline, and a terminated one
 * disappears once the retention window has passed. Lookups by id and username are indexed; listing pages
 * start by binary search on `seq`, so paging through N connections costs O(N) in total.
 */
export class State {
  readonly #clock: Clock;
  readonly #terminateDelayMs: number;
  /** The home account: seeded endpoints without an account, secret ARNs. */
  readonly #accountId: string;
  /** Role ARNs AssumeRole grants. */
  readonly #roles = new Set<string>();
  /** Who each issued access key id is (credentials from AssumeRole). */
  readonly #sessions = new Map<string, Caller>();
  /** Secrets by ARN (seed order). */
  readonly #secrets = new Map<string, Secret>();
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #connectionIds = new Set<string>();
  readonly #users = new Map<string, Map<string, IdentityStoreUser>>();
  /** Cognito user pools by id, their users by username (seed order). */
  readonly #userPools = new Map<string, Map<string, CognitoUser>>();
  #seq = 0;

  constructor(clock: Clock, terminateDelayMs: number, accountId: string) {
    if (!(Number.isFinite(terminateDelayMs) && terminateDelayMs >= 0)) {
      throw new RangeError(`terminateDelayMs must be a non-negative number, got ${terminateDelayMs}`);
    }
    this.#clock = clock;
    this.#terminateDelayMs = terminateDelayMs;
    this.#accountId = accountId;
  }

  /** Adds a seed: new endpoints, more connections for known ones (same region), identity-store users. */
  load(input: Seed): void {
    const seed = parseSeed(input);
    const now = this.#clock.now();
    for (const endpointSeed of seed.endpoints ?? []) {
      const endpoint = this.#upsertEndpoint(endpointSeed, now);
      endpointSeed.connections?.forEach((connectionSeed, index) => {
        this.#addConnection(endpoint, connectionSeed, now, `endpoints[${endpoint.id}].connections[${index}]`);
      });
    }
    if (seed.identityStore) {
      const { identityStoreId, users } = seed.identityStore;
      const store = this.#users.get(identityStoreId) ?? new Map<string, IdentityStoreUser>();
      this.#users.set(identityStoreId, store);
      for (const user of users) store.set(user.userId, { ...user, identityStoreId });
    }
    for (const { userPoolId, users } of seed.cognitoUserPools ?? []) {
      const pool = this.#userPools.get(userPoolId) ?? new Map<string, CognitoUser>();
      this.#userPools.set(userPoolId, pool);
      for (const user of users) pool.set(user.username, { ...user, userPoolId, createdAt: now });
    }
    seed.secrets?.forEach((secretSeed, index) => {
      this.#addSecret(secretSeed, now, `secrets[${index}]`);
    });
    for (const roleArn of seed.roles ?? []) this.#roles.add(roleArn);
  }

  clear(): void {
    this.#roles.clear();
    this.#sessions.clear();
    this.#endpoints.clear();
    this.#connectionIds.clear();
    this.#users.clear();
    this.#userPools.clear();
    this.#secrets.clear();
    this.#seq = 0;
  }

  /** The endpoint if it exists in this account and region and is not deleted. */
  findEndpoint(accountId: string, region: string, endpointId: string): Endpoint | undefined {
    const endpoint = this.#endpoints.get(endpointId);
    return endpoint &&
      endpoint.accountId === accountId &&
      endpoint.region === region &&
      endpoint.status !== 'deleted'
      ? endpoint
      : undefined;
  }

  /** Endpoints of an account's region that Describe lists, in stable order. */
  listEndpoints(accountId: string, region: string): Endpoint[] {
    return [...this.#endpoints.values()].filter(
      (e) => e.accountId === accountId && e.region === region && e.status !== 'deleted',
    );
  }

  hasRole(roleArn: string): boolean {
    return this.#roles.has(roleArn);
  }

  /** Remembers who credentials issued by AssumeRole belong to. */
  addSession(accessKeyId: string, caller: Caller): void {
    this.#sessions.set(accessKeyId, caller);
  }

  /** The identity of an access key id AssumeRole issued; undefined for any other key. */
  session(accessKeyId: string): Caller | undefined {
    return this.#sessions.get(accessKeyId);
  }

  /** How many credentials AssumeRole has issued since the last `clear()`. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  removeEndpoint(endpointId: string): boolean {
    const endpoint = this.#endpoints.get(endpointId);
    if (!endpoint) return false;
    for (const connection of endpoint.connections) this.#connectionIds.delete(connection.id);
    return this.#endpoints.delete(endpointId);
  }

  /** The endpoint with this id in any account and region, unless deleted or removed. */
  findEndpointById(endpointId: string): Endpoint | undefined {
    const endpoint = this.#endpoints.get(endpointId);
    return endpoint && endpoint.status !== 'deleted' ? endpoint : undefined;
  }

  /** Sets the client connect handler (ModifyClientVpnEndpoint); the ARN was validated by the caller. */
  setClientConnect(endpoint: Endpoint, options: ClientConnectOptions): void {
    endpoint.clientConnect = { ...options };
  }

  /** A fresh connection id for `endpoint`, never used before. */
  newConnectionId(endpoint: Endpoint): string {
    return this.#generateConnectionId(endpoint);
  }

  /** Adds an `active` connection established now (a connection attempt that was allowed). */
  openConnection(endpoint: Endpoint, fields: NewConnection): Connection {
    return this.#addConnection(
      endpoint,
      {
        id: fields.id,
        username: fields.username,
        commonName: fields.commonName,
        status: 'active',
        establishedAt: new Date(this.#clock.now()).toISOString(),
        clientIp: fields.clientIp,
        postureComplianceStatuses: [...fields.postureComplianceStatuses],
      },
      this.#clock.now(),
      `connection ${fields.id}`,
    );
  }

  /** The secret a SecretId names in `region`: full ARN, partial ARN (without the 6-character suffix) or name. */
  findSecret(region: string, secretId: string): Secret | undefined {
    for (const secret of this.#secrets.values()) {
      if (secret.region !== region) continue;
      if (secret.arn === secretId || secret.name === secretId || secret.arn.slice(0, -7) === secretId)
        return secret;
    }
    return undefined;
  }

  /** Brings a connection's status up to date; false when it has expired (no longer exists). */
  refresh(connection: Connection): boolean {
    const now = this.#clock.now();
    if (connection.status === 'terminating' && connection.terminateAt !== undefined) {
      if (now >= connection.terminateAt) {
        connection.status = 'terminated';
        connection.endedAt = connection.terminateAt;
        connection.terminateAt = undefined;
      }
    }
    return !(connection.status === 'terminated' && now >= (connection.endedAt ?? now) + RETENTION_MS);
  }

  /** A live connection of the endpoint by id. */
  connection(endpoint: Endpoint, connectionId: string): Connection | undefined {
    const connection = endpoint.byId.get(connectionId);
    return connection && this.refresh(connection) ? connection : undefined;
  }

  /** The user's `active` connections on the endpoint (exact, case-sensitive username). */
  activeConnections(endpoint: Endpoint, username: string): Connection[] {
    return (endpoint.byUsername.get(username) ?? []).filter((c) => this.refresh(c) && c.status === 'active');
  }

  /** Up to `limit` listed connections after `afterSeq`, and whether more exist. */
  page(
    endpoint: Endpoint,
    selection: ConnectionSelection,
    afterSeq: number,
    limit: number,
  ): { items: Connection[]; hasMore: boolean } {
    const { connectionIds, usernames } = selection;
    let candidates: readonly Connection[];
    let start = 0;
    if (connectionIds) {
      candidates = uniqueBySeq(connectionIds.map((id) => endpoint.byId.get(id)));
    } else if (usernames) {
      candidates = uniqueBySeq(usernames.flatMap((name) => endpoint.byUsername.get(name) ?? []));
    } else {
      candidates = endpoint.connections;
      start = firstAfter(candidates, afterSeq);
    }
    const wantedUsers = connectionIds && usernames ? new Set(usernames) : undefined;
    const items: Connection[] = [];
    for (let i = start; i < candidates.length; i++) {
      const connection = candidates[i] as Connection;
      if (connection.seq <= afterSeq || !this.refresh(connection)) continue;
      if (wantedUsers && !wantedUsers.has(connection.username)) continue;
      items.push(connection);
      if (items.length > limit) break;
    }
    const hasMore = items.length > limit;
    if (hasMore) items.pop();
    return { items, hasMore };
  }

  /** active → terminating; the connection becomes `terminated` after the configured (emulated) delay. */
  beginTermination(connection: Connection): void {
    connection.status = 'terminating';
    connection.statusMessage = undefined;
    connection.terminateAt = this.#clock.now() + this.#terminateDelayMs;
  }

  user(identityStoreId: string, userId: string): IdentityStoreUser | undefined {
    return this.#users.get(identityStoreId)?.get(userId);
  }

  /** The pool's users in seed order; `undefined` for an unknown pool. */
  cognitoUsers(userPoolId: string): readonly CognitoUser[] | undefined {
    const pool = this.#userPools.get(userPoolId);
    return pool && [...pool.values()];
  }

  /** The store's users in seed order; `undefined` for an unknown store. */
  identityStoreUsers(identityStoreId: string): readonly IdentityStoreUser[] | undefined {
    const store = this.#users.get(identityStoreId);
    return store && [...store.values()];
  }

  /** Removes an Identity Store user for good (DeleteUser); false when there was none. */
  deleteUser(identityStoreId: string, userId: string): boolean {
    return this.#users.get(identityStoreId)?.delete(userId) ?? false;
  }

  /** Removes a Cognito user for good (AdminDeleteUser); false when there was none. */
  deleteCognitoUser(userPoolId: string, username: string): boolean {
    return this.#userPools.get(userPoolId)?.delete(username) ?? false;
  }

  hasIdentityStore(identityStoreId: string): boolean {
    return this.#users.has(identityStoreId);
  }

  connectionViews(query: ConnectionQuery = {}): ConnectionView[] {
    const views: ConnectionView[] = [];
    for (const endpoint of this.#endpoints.values()) {
      if (query.endpointId !== undefined && endpoint.id !== query.endpointId) continue;
      if (query.accountId !== undefined && endpoint.accountId !== query.accountId) continue;
      if (query.region !== undefined && endpoint.region !== query.region) continue;
      const pool =
        query.connectionId !== undefined
          ? [endpoint.byId.get(query.connectionId)].filter((c) => c !== undefined)
          : query.username !== undefined
            ? (endpoint.byUsername.get(query.username) ?? [])
            : endpoint.connections;
      for (const c of pool) {
        if (!this.refresh(c)) continue;
        if (query.username !== undefined && c.username !== query.username) continue;
        if (query.commonName !== undefined && c.commonName !== query.commonName) continue;
        if (query.status !== undefined && c.status !== query.status) continue;
        views.push(toConnectionView(c));
      }
    }
    return views;
  }

  endpointViews(): EndpointView[] {
    return [...this.#endpoints.values()].map((e) => {
      let listed = 0;
      let active = 0;
      for (const c of e.connections) {
        if (!this.refresh(c)) continue;
        listed++;
        if (c.status === 'active') active++;
      }
      return {
        endpointId: e.id,
        accountId: e.accountId,
        region: e.region,
        description: e.description,
        status: e.status,
        authType: e.authType,
        transportProtocol: e.transportProtocol,
        tags: { ...e.tags },
        clientConnectOptions: { ...e.clientConnect },
        listedConnections: listed,
        activeConnections: active,
      };
    });
  }

  #upsertEndpoint(seed: SeedEndpoint, now: number): Endpoint {
    const accountId = seed.accountId ?? this.#accountId;
    const existing = this.#endpoints.get(seed.id);
    if (existing) {
      if (existing.region !== seed.region) {
        throw new InvalidSeedError(
          `endpoint ${seed.id} already exists in ${existing.region}; it cannot be seeded again in ${seed.region}`,
        );
      }
      if (existing.accountId !== accountId) {
        throw new InvalidSeedError(
          `endpoint ${seed.id} already exists in account ${existing.accountId}; it cannot be seeded again in ` +
            `account ${accountId}`,
        );
      }
      if (seed.description !== undefined) existing.description = seed.description;
      if (seed.status !== undefined) existing.status = seed.status;
      if (seed.tags !== undefined) existing.tags = { ...seed.tags };
      if (seed.authType !== undefined) existing.authType = seed.authType;
      if (seed.transportProtocol !== undefined) existing.transportProtocol = seed.transportProtocol;
      if (seed.vpnPort !== undefined) existing.vpnPort = seed.vpnPort;
      if (seed.sessionTimeoutHours !== undefined) existing.sessionTimeoutHours = seed.sessionTimeoutHours;
      if (seed.disconnectOnSessionTimeout !== undefined) {
        existing.disconnectOnSessionTimeout = seed.disconnectOnSessionTimeout;
      }
      if (seed.splitTunnel !== undefined) existing.splitTunnel = seed.splitTunnel;
      if (seed.clientConnectOptions !== undefined)
        existing.clientConnect = seedClientConnect(seed, accountId, seed.clientConnectOptions);
      return existing;
    }
    const endpoint: Endpoint = {
      seq: ++this.#seq,
      id: seed.id,
      accountId,
      region: seed.region,
      description: seed.description ?? `Client VPN endpoint ${seed.id}`,
      status: seed.status ?? 'available',
      tags: { ...seed.tags },
      authType: seed.authType ?? 'certificate',
      transportProtocol: seed.transportProtocol ?? 'udp',
      vpnPort: seed.vpnPort ?? 443,
      sessionTimeoutHours: seed.sessionTimeoutHours ?? 24,
      disconnectOnSessionTimeout: seed.disconnectOnSessionTimeout ?? true,
      splitTunnel: seed.splitTunnel ?? false,
      clientConnect: seed.clientConnectOptions
        ? seedClientConnect(seed, accountId, seed.clientConnectOptions)
        : { enabled: false },
      createdAt: now - (30 + (fnv1a(seed.id) % 300)) * 24 * 60 * MINUTE - (fnv1a(seed.id, 1) % 86_400) * 1000,
      cidrOctet: 64 + (fnv1a(seed.id, 2) % 128),
      connections: [],
      byId: new Map(),
      byUsername: new Map(),
      generatedIds: 0,
      assignedIps: 0,
    };
    this.#endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  #addSecret(seed: SeedSecret, now: number, path: string): void {
    const arnRegion = seed.arn?.split(':')[3];
    if (seed.region !== undefined && arnRegion !== undefined && seed.region !== arnRegion) {
      throw new InvalidSeedError(`${path}: region ${seed.region} differs from the ARN's region ${arnRegion}`);
    }
    const region = arnRegion ?? seed.region ?? 'us-east-1';
    const arnName = seed.arn?.split(':secret:')[1]?.slice(0, -7);
    if (seed.name !== undefined && arnName !== undefined && seed.name !== arnName) {
      throw new InvalidSeedError(`${path}: name ${seed.name} differs from the ARN's name ${arnName}`);
    }
    const name = seed.name ?? (arnName as string);
    const arn =
      seed.arn ??
      `arn:aws:secretsmanager:${region}:${this.#accountId}:secret:${name}-${secretSuffix(`${region}/${name}`)}`;
    for (const other of this.#secrets.values()) {
      if (other.arn === arn || (other.region === region && other.name === name))
        throw new InvalidSeedError(`${path}: duplicate secret ${other.name} (${other.arn})`);
    }
    const h = hexId(`${arn}/version`, 32);
    const createdAt =
      parseTime(seed.createdAt) ??
      now - (1 + (fnv1a(arn) % 400)) * 24 * 60 * MINUTE - (fnv1a(arn, 1) % 86_400) * 1000;
    this.#secrets.set(arn, {
      arn,
      name,
      region,
      secretString: typeof seed.value === 'string' ? seed.value : JSON.stringify(seed.value),
      versionId:
        seed.versionId ??
        `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
      createdAt,
    });
  }

  #addConnection(endpoint: Endpoint, seed: SeedConnection, now: number, path: string): Connection {
    const id = seed.id ?? this.#generateConnectionId(endpoint);
    if (this.#connectionIds.has(id)) throw new InvalidSeedError(`${path}: duplicate connection id ${id}`);
    const status = seed.status ?? 'active';
    if (seed.endedAt !== undefined && status !== 'terminated') {
      throw new InvalidSeedError(`${path}: endedAt is only allowed on terminated connections`);
    }
    const h = fnv1a(id);
    const endedAt =
      status === 'terminated'
        ? (parseTime(seed.endedAt) ?? now - (1 + (h % 50)) * MINUTE - (h % 60) * 1000)
        : undefined;
    const establishedAt =
      parseTime(seed.establishedAt) ??
      (endedAt ?? now) - (10 + (fnv1a(id, 3) % 470)) * MINUTE - (fnv1a(id, 4) % 60) * 1000;
    const username = seed.username ?? '';
    const ipIndex = endpoint.assignedIps++ + 2;
    const connection: Connection = {
      seq: ++this.#seq,
      id,
      endpoint,
      username,
      commonName: seed.commonName ?? (endpoint.authType === 'active-directory' ? username : ''),
      clientIp: seed.clientIp ?? `10.${endpoint.cidrOctet}.${(ipIndex >> 8) & 255}.${ipIndex & 255}`,
      status,
      statusMessage: undefined,
      establishedAt,
      endedAt,
      terminateAt: status === 'terminating' ? now + this.#terminateDelayMs : undefined,
      ingressBytes: 4_096 + (fnv1a(id, 5) % 80_000_000),
      egressBytes: 2_048 + (fnv1a(id, 6) % 20_000_000),
      ingressPackets: 40 + (fnv1a(id, 7) % 90_000),
      egressPackets: 30 + (fnv1a(id, 8) % 60_000),
      postureComplianceStatuses: seed.postureComplianceStatuses ?? [],
    };
    this.#connectionIds.add(id);
    endpoint.connections.push(connection);
    endpoint.byId.set(id, connection);
    const sameUser = endpoint.byUsername.get(username);
    if (sameUser) sameUser.push(connection);
    else endpoint.byUsername.set(username, [connection]);
    return connection;
  }

  #generateConnectionId(endpoint: Endpoint): string {
    for (;;) {
      const id = `cvpn-connection-0${hexId(`${endpoint.id}/${endpoint.generatedIds++}`, 16)}`;
      if (!this.#connectionIds.has(id)) return id;
    }
  }
}

/** The handler settings of a seeded endpoint; the function must be in the endpoint's region and account. */
const seedClientConnect = (
  seed: SeedEndpoint,
  accountId: string,
  options: NonNullable<SeedEndpoint['clientConnectOptions']>,
): ClientConnectOptions => {
  const { enabled, lambdaFunctionArn } = options;
  if (lambdaFunctionArn === undefined) return { enabled };
  const problem = functionArnProblem(lambdaFunctionArn, seed.region, accountId);
  if (problem !== undefined) {
    throw new InvalidSeedError(
      `endpoints[${seed.id}].clientConnectOptions.lambdaFunctionArn: ${lambdaFunctionArn}: ${problem}`,
    );
  }
  return { enabled, lambdaFunctionArn };
};

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The 6 characters Secrets Manager appends to a secret's ARN, derived from `key`. */
const secretSuffix = (key: string): string => textId(`${key}/secret-suffix`, 6, SUFFIX_ALPHABET);

const uniqueBySeq = (connections: readonly (Connection | undefined)[]): Connection[] =>
  [...new Set(connections.filter((c) => c !== undefined))].sort((a, b) => a.seq - b.seq);

/** Index of the first connection whose seq is greater than `afterSeq` (connections are sorted by seq). */
const firstAfter = (connections: readonly Connection[], afterSeq: number): number => {
  let low = 0;
  let high = connections.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((connections[mid] as Connection).seq <= afterSeq) low = mid + 1;
    else high = mid;
  }
  return low;
};

const toConnectionView = (c: Connection): ConnectionView => ({
  connectionId: c.id,
  endpointId: c.endpoint.id,
  accountId: c.endpoint.accountId,
  region: c.endpoint.region,
  username: c.username,
  commonName: c.commonName,
  clientIp: c.clientIp,
  status: c.status,
  ...(c.statusMessage === undefined ? {} : { statusMessage: c.statusMessage }),
  establishedAt: new Date(c.establishedAt).toISOString(),
  ...(c.endedAt === undefined ? {} : { endedAt: new Date(c.endedAt).toISOString() }),
});
