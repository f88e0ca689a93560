/** Context that enables every identity source, matching the example events in examples/events/. */
export const TEST_SOURCES_CONTEXT = {
  oktaEventTypes:
    'user.lifecycle.deactivate,user.lifecycle.suspend,user.lifecycle.delete.initiated,user.session.clear,user.account.lock',
  auth0EventSources: 'aws.partner/auth0.com/example-tenant-0f1e2d3c/auth0.logs',
  oneloginEventSources: 'aws.partner/onelogin.com/US-123456/vpn-revoker',
  identityCenterEnabled: 'true',
  identityCenterStoreIds: 'd-9067a1b2c3',
  cognitoUserPoolIds: 'us-east-1_ExAmPlE12',
  runbookLiftAllowedPrincipalArns: 'arn:aws:iam::111122223333:role/incident-commander',
} as const;

/** The Active Directory domains the integration stack is synthesized with (`activeDirectoryDomains`). */
export const TEST_IDENTITY_CONTEXT = { activeDirectoryDomains: 'CORP,corp.example.com' } as const;
