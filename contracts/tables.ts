/** Key and TTL attribute names of the product's DynamoDB tables, for the tables (lib/) and their adapters. */

/**
 * Ledger partition key (S): the identity's canonical key (`IdentityKey`), so one record per person whatever
 * the spelling. For ASCII names without configured Active Directory domains it is the lower-cased name.
 */
export const LEDGER_PARTITION_KEY = 'identityKey';
/**
 * Ledger TTL attribute (N, epoch seconds), set on `lifted` records only: such a record stops counting at this
 * instant, before TTL deletes it. A `revoked` record has none, so TTL never ends a revocation.
 */
export const LEDGER_TTL_ATTRIBUTE = 'expiresAtEpoch';

/** User directory partition key (S): `directoryKey(user)`, e.g. `identity-store/d-1234567890/<user id>`. */
export const USER_DIRECTORY_PARTITION_KEY = 'userKey';
/** User directory TTL attribute (N, epoch seconds): a record nobody refreshed for the retention is deleted. */
export const USER_DIRECTORY_TTL_ATTRIBUTE = 'expiresAtEpoch';
