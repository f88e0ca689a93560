import type { KnownUser, UserDirectory } from '../core/user-directory.ts';

/** One page of a store's or pool's users. */
export interface UserPage {
  readonly users: readonly KnownUser[];
  readonly nextToken?: string;
}

/** The users of one identity store or user pool, page by page. */
export interface UserListing {
  /** What is listed, for the report: `identity store d-…`, `user pool us-east-1_…`. */
  readonly name: string;
  listPage(nextToken?: string): Promise<UserPage>;
}

export interface SyncDirectoryDependencies {
  readonly listings: readonly UserListing[];
  readonly directory: Pick<UserDirectory, 'rememberAll'>;
  /** Pause before each page after the first, so a large store does not spend the API's rate on one burst. */
  readonly pauseBetweenPagesMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface ListingReport {
  readonly name: string;
  readonly pages: number;
  readonly usersRecorded: number;
  /** False when a page could not be listed or recorded: the users after it were not refreshed. */
  readonly complete: boolean;
  readonly error?: string;
}

export interface SyncReport {
  readonly complete: boolean;
  readonly usersRecorded: number;
  readonly listings: readonly ListingReport[];
}

/**
 * Records every user of every listing in the user directory, page by page as it is listed: a listing that
 * fails halfway keeps what it recorded and is reported incomplete, and the next listing still runs. Nothing is
 * ever removed: a user missing from a listing may just have been deleted, and that is the user the directory
 * must still name. Listings run one after another, each paced.
 */
export const syncUserDirectory = (deps: SyncDirectoryDependencies) => async (): Promise<SyncReport> => {
  const listings: ListingReport[] = [];
  for (const listing of deps.listings) listings.push(await syncListing(deps, listing));
  return {
    complete: listings.every((listing) => listing.complete),
    usersRecorded: listings.reduce((sum, listing) => sum + listing.usersRecorded, 0),
    listings,
  };
};

async function syncListing(deps: SyncDirectoryDependencies, listing: UserListing): Promise<ListingReport> {
  let pages = 0;
  let usersRecorded = 0;
  let nextToken: string | undefined;
  try {
    do {
      if (pages > 0) await deps.sleep(deps.pauseBetweenPagesMs);
      const page = await listing.listPage(nextToken);
      pages++;
      await deps.directory.rememberAll(page.users);
      usersRecorded += page.users.length;
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    return {
      name: listing.name,
      pages,
      usersRecorded,
      complete: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
  return { name: listing.name, pages, usersRecorded, complete: true };
}
