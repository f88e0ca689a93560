import {
  type CommandName,
  DEFAULT_EVENT_BUS,
  DEFAULT_RETRY_SECONDS,
  DEFAULT_RUNBOOK_SOURCE,
} from './options.ts';

const EXIT_CODES = `Exit codes:
  0  done: revoked, nothing to revoke, dry run complete, sessions listed, event accepted
  1  unexpected error (a bug; the message says what)
  2  bad input: unknown option, missing identity, malformed --endpoint/--tag/--region/--role-arn/...;
     nothing was called
  3  partial: some sessions could not be ended, or some endpoints or regions could not be read
  4  failed: nothing could be ended or read, or EventBridge refused the event
  5  no AWS credentials or no AWS region`;

const AWS = `AWS: the SDK's standard credential chain (AWS_PROFILE and SSO, AWS_ACCESS_KEY_ID, roles) and
region (--region, else AWS_REGION, AWS_DEFAULT_REGION, or the profile's region).`;

/** `request` and `lift`: the same runbook event options. */
const RUNBOOK_OPTIONS = `Options:
  --reason TEXT         why, e.g. a ticket (required; at most 1024 characters)
  --dry-run             ask for a rehearsal: the revoker reports what it would do, and changes nothing
  --event-bus NAME|ARN  the stack's runbook bus, its output RunbookEventBusName (default ${DEFAULT_EVENT_BUS})
  --source SOURCE       the runbook source the stack trusts (default ${DEFAULT_RUNBOOK_SOURCE})
  --region R            the stack's region (default: your AWS region)
  --json                print { eventId, accepted, region, eventBusName, source, detailType, detail }
  -h, --help

${AWS}

${EXIT_CODES}`;

const SCOPE = `  --region R            a region to act in; repeat for several (default: your AWS region)
  --endpoint REGION:ID  only this endpoint, e.g. us-east-1:cvpn-endpoint-0123456789abcdef0; repeatable
  --tag KEY=VALUE       only endpoints with this tag (KEY alone: any value); default every endpoint
  --role-arn ARN        also search the member account of this role, assumed with your credentials
                        (e.g. arn:aws:iam::123456789012:role/ClientVpnRevokerMember); repeatable; the
                        results then name each connection's account, and a role that cannot be
                        assumed is reported as an unreachable account (exit 3 or 4)
  --skip-own-account    with --role-arn: search only the member accounts, not your credentials' own
  --ad-domain DOMAIN    an Active Directory domain (CORP, corp.example.com) whose DOMAIN\\user and
                        user@domain spellings are the user, as activeDirectoryDomains; repeatable`;

export const GLOBAL_HELP = `client-vpn-revoker: end the AWS Client VPN sessions of a user, or ask the deployed revoker to

Usage:
  client-vpn-revoker revoke <identity> [options]          end the sessions now, with your credentials
  client-vpn-revoker sessions [<identity>] [options]      list live sessions
  client-vpn-revoker request <identity> --reason TEXT     ask the deployed revoker (audited, ledger)
  client-vpn-revoker lift <identity> --reason TEXT        lift a revocation through the deployed revoker
  client-vpn-revoker <command> --help                     the command's options

<identity> is a username (SAML NameID, Active Directory user) or a certificate common name, matched
in canonical form (case folded, NFKC, trimmed, --ad-domain domains stripped), otherwise exactly. Every command takes --json: one JSON document on stdout, nothing else.

${AWS}

${EXIT_CODES}

More: docs/cli.md
`;

export const COMMAND_HELP: Readonly<Record<CommandName, string>> = {
  revoke: `Usage: client-vpn-revoker revoke <identity> [options]

Ends every live session of <identity> on the endpoints in scope, now, with your AWS credentials and the
revoker's engine: fewest Terminate calls, retries of failed-to-terminate, verification. Progress goes to
stderr; a table of the connections (region, endpoint, connection, username, common name, final status)
to stdout. Nothing is written to the revocation ledger and no outcome event is published: use
'request' for the audited path that also blocks reconnects.

Options:
  --dry-run             find and show the sessions, end nothing
${SCOPE}
  --reason TEXT         why (kept in the result; default "Ended with the client-vpn-revoker CLI")
  --retry-for SECONDS   how long to keep re-terminating failed-to-terminate sessions (default ${DEFAULT_RETRY_SECONDS})
  --json                print the result object (summary, regions, connections, statuses) instead
  -h, --help

${AWS}

${EXIT_CODES}
`,
  sessions: `Usage: client-vpn-revoker sessions [<identity>] [options]

Lists the live (active or failed-to-terminate) connections on the endpoints in scope: all of them, or
those whose username or certificate common name is <identity> (in canonical form). Read-only.

Options:
${SCOPE}
  --json                print { identity, summary, regions } instead of the table
  -h, --help

${AWS}

${EXIT_CODES}
`,
  request: `Usage: client-vpn-revoker request <identity> --reason TEXT [options]

Puts a 'Client VPN Revocation Requested' runbook event on EventBridge: the deployed revoker records the
revocation in its ledger (reconnects are denied), ends the sessions and publishes its outcome event,
whose requestId is the event id printed here.

${RUNBOOK_OPTIONS}
`,
  lift: `Usage: client-vpn-revoker lift <identity> --reason TEXT [options]

Puts a 'Client VPN Revocation Lifted' runbook event on EventBridge: the deployed revoker (with a ledger)
records the identity as lifted, so it may connect again.

${RUNBOOK_OPTIONS}
`,
};
