import { describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../shared/adapters/tables/table-names.js';
import { QUEUE_NAMES } from '../../shared/ports.js';
import { bicepParamDefaults, bicepStringList, loopedResourceProperties, readInfra } from './bicep-text.js';
import { compareNames } from './checks.js';

// The queues and tables the code names must be exactly the ones infra/ provisions.
const infra = readInfra();
const queues = bicepStringList(infra.main, 'queueNames');
const tables = bicepStringList(infra.main, 'tableNames');
const queueProperties = loopedResourceProperties(
  infra.files['modules/servicebus.bicep'] ?? '',
  'Microsoft.ServiceBus/namespaces/queues',
  'queueNames',
);

/** ISO 8601 duration of days/hours/minutes/seconds → seconds. */
function seconds(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!match) throw new Error(`not an ISO 8601 duration: ${duration}`);
  const [d, h, m, s] = match.slice(1).map((part) => Number(part ?? 0));
  return d! * 86_400 + h! * 3_600 + m! * 60 + s!;
}

describe('queues: shared/ports.ts QUEUE_NAMES against infra/', () => {
  it('provisions exactly the queues the code uses', () => {
    expect(compareNames(QUEUE_NAMES, queues)).toEqual({ missing: [], extra: [] });
  });

  it('reports a queue added to the code only', () => {
    expect(compareNames([...QUEUE_NAMES, 'new-queue'], queues)).toEqual({
      missing: ['new-queue'],
      extra: [],
    });
  });

  it('makes every queue session-enabled with duplicate detection and dead-lettering', () => {
    expect(queueProperties).not.toBeNull();
    expect(queueProperties?.get('requiresSession')).toBe('true');
    expect(queueProperties?.get('requiresDuplicateDetection')).toBe('true');
    expect(queueProperties?.get('deadLetteringOnMessageExpiration')).toBe('true');
  });

  it('remembers message ids longer than Graph retries a notification (4 hours)', () => {
    const window = bicepParamDefaults(infra.main).get('duplicateDetectionWindow');
    expect(seconds(window ?? 'PT0S')).toBeGreaterThan(4 * 3_600);
    expect(seconds(window ?? 'PT0S')).toBeLessThanOrEqual(7 * 86_400);
  });

  it('keeps the lock short and under the Service Bus maximum of 5 minutes', () => {
    expect(seconds(bicepLiteralOf(queueProperties?.get('lockDuration')))).toBeLessThanOrEqual(300);
  });
});

describe('tables: TABLE_NAMES against infra/', () => {
  it('provisions exactly the tables the code uses', () => {
    expect(compareNames(Object.values(TABLE_NAMES), tables)).toEqual({ missing: [], extra: [] });
  });

  it('reports a table added to the code only', () => {
    expect(compareNames([...Object.values(TABLE_NAMES), 'newtable'], tables).missing).toEqual(['newtable']);
  });

  it('creates the tables in a loop over that list', () => {
    const tableLoop = loopedResourceProperties(
      infra.files['modules/storage.bicep'] ?? '',
      'Microsoft.Storage/storageAccounts/tableServices/tables',
      'tableNames',
    );
    expect(tableLoop).not.toBeNull();
    expect(infra.main).toMatch(/^\s+tableNames: tableNames$/m);
    expect(infra.main).toMatch(/^\s+queueNames: queueNames$/m);
  });
});

function bicepLiteralOf(expression: string | undefined): string {
  return (expression ?? '').replace(/^'|'$/g, '');
}
