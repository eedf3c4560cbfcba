import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './bicep-text.js';

// host.json and local.settings.sample.json against the SchemaStore schemas, copied into ./schemas/
// from ../shared/reference/schemas (SchemaStore commits e6fa091 and d06a5c8) so CI needs no network.
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const hostJson = readJson(join(REPO_ROOT, 'host.json')) as Record<string, unknown>;
const sample = readJson(join(REPO_ROOT, 'local.settings.sample.json'));

function validator(schemaFile: string) {
  const schema = readJson(new URL(`./schemas/${schemaFile}`, import.meta.url).pathname) as AnySchemaObject;
  // The local.settings schema declares draft-04 (`id`, `$schema`); Ajv 8 reads draft-07 and later,
  // and the keywords this schema uses mean the same in both, so the two draft markers are dropped.
  const { $schema: _draft, id: _id, ...body } = schema;
  // strict: false — SchemaStore schemas use annotations (e.g. `examples` inside enums) Ajv's strict mode rejects.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(body);
}

const hostValidator = validator('host.schema.json');
const localValidator = validator('local.settings.schema.json');

/** "hh:mm:ss" → seconds. */
const timeSpan = (value: unknown) =>
  String(value)
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0);

describe('host.json', () => {
  it('validates against the host.json schema', () => {
    expect(hostValidator(hostJson), JSON.stringify(hostValidator.errors)).toBe(true);
  });

  it('is rejected by the schema when it is broken (the check is live)', () => {
    expect(hostValidator({ ...hostJson, functionTimeout: 'half an hour' })).toBe(false);
    expect(hostValidator({ ...hostJson, version: undefined })).toBe(false);
  });

  it('uses extension bundle 4.x and renews message locks for at least the function timeout', () => {
    expect(hostJson.extensionBundle).toEqual({
      id: 'Microsoft.Azure.Functions.ExtensionBundle',
      version: '[4.*, 5.0.0)',
    });
    const serviceBus = (hostJson.extensions as { serviceBus: Record<string, unknown> }).serviceBus;
    // A lock that stops renewing before the function ends lets a second instance take the session.
    expect(timeSpan(serviceBus.maxAutoLockRenewalDuration)).toBeGreaterThanOrEqual(
      timeSpan(hostJson.functionTimeout),
    );
    expect(serviceBus.autoCompleteMessages).toBe(true);
  });
});

describe('local.settings.sample.json', () => {
  it('validates against the local.settings.json schema', () => {
    expect(localValidator(sample), JSON.stringify(localValidator.errors)).toBe(true);
  });

  it('is rejected by the schema when it is broken (the check is live)', () => {
    expect(localValidator({ IsEncrypted: 'no', Values: {} })).toBe(false);
    expect(localValidator({ Values: { FUNCTIONS_WORKER_RUNTIME: 'cobol' } })).toBe(false);
  });

  it('runs the node worker on the local storage emulator', () => {
    expect(sample).toMatchObject({
      IsEncrypted: false,
      Values: { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
    });
  });
});
