import { mulberry32 } from '../random.ts';
import type { Seed } from '../seed.ts';

/**
 * The demo estate: two regions, five endpoints, 387 connections. Deterministic (fixed PRNG seed).
 *
 * The victim is `jane.doe@example.com`. What a revoker has to get right:
 * - her SAML sessions on three endpoints in us-east-1 and eu-west-1 (two on the corporate endpoint);
 * - `Jane.Doe@example.com` (different case) on the EU endpoint — Terminate by Username is case-sensitive;
 * - a certificate session with CommonName `jane.doe@example.com` and an empty username;
 * - sAMAccountName `jane.doe` on the Active Directory endpoint;
 * - lookalikes that must survive: `jane.doe@example.com.evil`, `jane.doe2@example.com`, `janedoe@example.com`;
 * - a session on an endpoint tagged `client-vpn-revoker=disabled` that is also `deleting` (out of scope);
 * - an already terminated session of hers (still listed, within the 60-minute retention);
 * - `omar.haddad@example.com` with 7 sessions on one endpoint (Terminate by Username refuses more than 5).
 * In-scope endpoints carry the tag `client-vpn-revoker=enabled`.
 */

export const DEMO_VICTIM = 'jane.doe@example.com';
export const DEMO_IDENTITY_STORE_ID = 'd-9067a1b2c3';
export const DEMO_VICTIM_USER_ID = '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e01';

export const DEMO_ENDPOINTS = {
  corporate: 'cvpn-endpoint-0a1b2c3d4e5f6a7b8',
  engineering: 'cvpn-endpoint-0b2c3d4e5f6a7b8c9',
  contractors: 'cvpn-endpoint-0c3d4e5f6a7b8c9d0',
  euCorporate: 'cvpn-endpoint-0d4e5f6a7b8c9d0e1',
  euLab: 'cvpn-endpoint-0e5f6a7b8c9d0e1f2',
} as const;

type SeedConnection = NonNullable<NonNullable<Seed['endpoints']>[number]['connections']>[number];

const FIRST_NAMES = (
  'aisha alex amelia arjun ben carlos chen chloe daniel dmitri elena emma fatima felix grace hannah ' +
  'hiro ines isaac ivan jonas julia kenji laura leon lucas maria mateo mei nadia noah olivia priya ' +
  'rafael sara sofia tariq tom valentina wei yusuf zoe'
).split(' ');
const LAST_NAMES = (
  'adams bauer costa dubois eriksen fischer garcia gupta hansen ivanova jensen kowalski kim lopez ' +
  'martin meyer nakamura novak oconnor patel petrov rossi schmidt silva smith tanaka torres varga ' +
  'wagner walsh wong yilmaz zhang'
).split(' ');

/** `count` distinct people from a fixed PRNG stream: `{ first, last }`. */
const people = (random: () => number, count: number): { first: string; last: string }[] => {
  const seen = new Set<string>();
  const result: { first: string; last: string }[] = [];
  while (result.length < count) {
    const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)] as string;
    const last = LAST_NAMES[Math.floor(random() * LAST_NAMES.length)] as string;
    if (seen.has(`${first}.${last}`)) continue;
    seen.add(`${first}.${last}`);
    result.push({ first, last });
  }
  return result;
};

/** One session per person, a second one for ~1 in 8, and ~1 in 15 of them already terminated. */
const sessions = (
  random: () => number,
  count: number,
  identity: (p: { first: string; last: string }) => SeedConnection,
): SeedConnection[] =>
  people(random, count).flatMap((person) => {
    const first: SeedConnection = {
      ...identity(person),
      ...(random() < 1 / 15 ? { status: 'terminated' } : {}),
    };
    return random() < 1 / 8 ? [first, identity(person)] : [first];
  });

const email = (p: { first: string; last: string }) => `${p.first}.${p.last}@example.com`;

export const demoSeed = (): Seed => {
  const random = mulberry32(20_260_101);
  const enabled = { 'client-vpn-revoker': 'enabled' };
  const saml = (p: { first: string; last: string }): SeedConnection => ({ username: email(p) });
  const ad = (p: { first: string; last: string }): SeedConnection => ({
    username: `${p.first.charAt(0)}${p.last}`,
  });
  const cert = (p: { first: string; last: string }): SeedConnection => ({
    commonName: `${p.first}.${p.last}`,
  });

  return {
    endpoints: [
      {
        id: DEMO_ENDPOINTS.corporate,
        region: 'us-east-1',
        description: 'Corporate VPN (Okta SAML)',
        authType: 'saml',
        tags: { Name: 'corp-vpn-use1', env: 'prod', ...enabled },
        connections: [
          { username: DEMO_VICTIM, postureComplianceStatuses: ['compliant'] },
          ...sessions(random, 60, saml),
          { username: DEMO_VICTIM },
          { username: DEMO_VICTIM, status: 'terminated' },
          { username: 'jane.doe@example.com.evil' },
          { username: 'jane.doe2@example.com' },
          { username: 'janedoe@example.com' },
          ...Array.from({ length: 7 }, (): SeedConnection => ({ username: 'omar.haddad@example.com' })),
          ...sessions(random, 55, saml),
        ],
      },
      {
        id: DEMO_ENDPOINTS.engineering,
        region: 'us-east-1',
        description: 'Engineering VPN (Active Directory)',
        authType: 'active-directory',
        transportProtocol: 'tcp',
        sessionTimeoutHours: 12,
        tags: { Name: 'eng-vpn-use1', env: 'prod', ...enabled },
        connections: [...sessions(random, 35, ad), { username: 'jane.doe' }, ...sessions(random, 35, ad)],
      },
      {
        id: DEMO_ENDPOINTS.contractors,
        region: 'us-east-1',
        description: 'Contractor VPN (mutual TLS)',
        authType: 'certificate',
        tags: { Name: 'contractor-vpn-use1', env: 'prod', ...enabled },
        connections: [
          ...sessions(random, 20, cert),
          { commonName: DEMO_VICTIM },
          ...Array.from(
            { length: 12 },
            (_, i): SeedConnection => ({
              commonName: `contractor-${String(i + 1).padStart(3, '0')}.vpn.example.com`,
            }),
          ),
          ...sessions(random, 10, cert),
        ],
      },
      {
        id: DEMO_ENDPOINTS.euCorporate,
        region: 'eu-west-1',
        description: 'EU Corporate VPN (Okta SAML)',
        authType: 'saml',
        disconnectOnSessionTimeout: false,
        tags: { Name: 'corp-vpn-euw1', env: 'prod', ...enabled },
        connections: [
          ...sessions(random, 40, saml),
          { username: DEMO_VICTIM },
          { username: 'Jane.Doe@example.com' },
          ...sessions(random, 40, saml),
        ],
      },
      {
        id: DEMO_ENDPOINTS.euLab,
        region: 'eu-west-1',
        description: 'EU Lab VPN (being decommissioned)',
        status: 'deleting',
        authType: 'saml',
        tags: { Name: 'lab-vpn-euw1', env: 'lab', 'client-vpn-revoker': 'disabled' },
        connections: [{ username: DEMO_VICTIM }, ...sessions(random, 20, saml)],
      },
    ],
    identityStore: {
      identityStoreId: DEMO_IDENTITY_STORE_ID,
      users: [
        {
          userId: DEMO_VICTIM_USER_ID,
          userName: DEMO_VICTIM,
          displayName: 'Jane Doe',
          emails: [DEMO_VICTIM],
        },
        {
          userId: '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e02',
          userName: 'omar.haddad@example.com',
          displayName: 'Omar Haddad',
          emails: ['omar.haddad@example.com'],
        },
        {
          userId: '94a8e4d8-e0b1-7052-3b5e-7c1f2a9d6e03',
          userName: 'jane.doe2@example.com',
          displayName: 'Jane Doe (2)',
          emails: ['jane.doe2@example.com'],
        },
      ],
    },
  };
};
