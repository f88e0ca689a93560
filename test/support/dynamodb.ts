import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type LocalDynamo, startDynamo } from '../../local/dynamodb.ts';

export {
  DYNAMO_REGION,
  dynamoCredentials,
  LEDGER_TABLE,
  type LocalDynamo,
  startDynamo,
} from '../../local/dynamodb.ts';

/**
 * One local DynamoDB for the enclosing describe block: started before its tests, emptied before each,
 * stopped after. The returned object forwards to the running instance.
 */
export function useDynamo(options?: { tableName?: string }): LocalDynamo {
  let current: LocalDynamo | undefined;
  beforeAll(async () => {
    current = await startDynamo(options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  beforeEach(() => current?.reset());
  return new Proxy({} as LocalDynamo, {
    get: (_target, key) => {
      if (!current) throw new Error('the local DynamoDB is used outside a test');
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
