import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingInfo } from '../../shared/config.js';
import { bicepObjectEntries, bicepParamDefaults, REPO_ROOT, readInfra } from './bicep-text.js';
import { settingProblems } from './checks.js';

// Every variable shared/config.ts reads must be deployed (Bicep) and documented for local runs
// (local.settings.sample.json); secrets only as Key Vault references. The lists come from the code.
const infra = readInfra();
const appSettings = bicepObjectEntries(infra.main, 'appSettings');
const paramDefaults = bicepParamDefaults(infra.main);
const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'local.settings.sample.json'), 'utf8')) as {
  Values: Record<string, unknown>;
};
const settings: readonly SettingInfo[] = SETTINGS;

describe('settings: shared/config.ts SETTINGS against infra/ and local.settings.sample.json', () => {
  it('finds no problem', () => {
    expect(settingProblems({ settings, appSettings, paramDefaults, sampleValues: sample.Values })).toEqual(
      [],
    );
  });

  it('deploys every setting, and the Service Bus transport in Azure', () => {
    expect([...appSettings.keys()]).toEqual(expect.arrayContaining(settings.map((s) => s.name)));
    expect(appSettings.get('QUEUE_TRANSPORT')).toBe("'servicebus'");
  });

  it('gives the host identity-based storage and Application Insights', () => {
    expect(appSettings.get('AzureWebJobsStorage__accountName')).toBe('storage.outputs.name');
    expect(appSettings.has('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe(true);
    expect(infra.main).toMatch(/runtime: \{\s*name: 'node'\s*version: nodeVersion\s*\}/);
    expect(paramDefaults.get('nodeVersion')).toBe('20');
  });

  it('reports a setting the code reads but infra/ and the sample lack', () => {
    const extra: SettingInfo = { name: 'NEW_SETTING', description: 'added to the code only', default: 'x' };
    const problems = settingProblems({
      settings: [...settings, extra],
      appSettings,
      paramDefaults,
      sampleValues: sample.Values,
    });
    expect(problems).toEqual([
      'NEW_SETTING: missing from local.settings.sample.json',
      'NEW_SETTING: missing from the app settings in infra/main.bicep',
    ]);
  });

  it('reports a secret deployed as a plain value, a drifted default and an unknown app setting', () => {
    const tampered = new Map(appSettings);
    tampered.set('CRM_TOKEN', "'plain-token'");
    tampered.set('MASS_DELETE_MIN', "'3'");
    tampered.set('FUNCTIONS_WORKER_RUNTIME', "'node'");
    tampered.set('LEFTOVER', "'1'");
    const problems = settingProblems({
      settings,
      appSettings: tampered,
      paramDefaults,
      sampleValues: sample.Values,
    });
    expect(problems).toEqual([
      'CRM_TOKEN: secret, but its app setting is not a @Microsoft.KeyVault(SecretUri=...) reference',
      'MASS_DELETE_MIN: Bicep deploys "3" but the code default is "10"',
      'FUNCTIONS_WORKER_RUNTIME: Flex Consumption rejects this app setting',
      'LEFTOVER: app setting read by neither the code (SETTINGS) nor the host',
    ]);
  });

  it('keeps every secret of SETTINGS in Key Vault', () => {
    // A secret that is off by default (CRM_WEBHOOK_SECRET_PREVIOUS outside a rotation) is deployed
    // empty; DEPLOY.md sets it to a Key Vault reference for the rotation. SECRETS_KEY is the
    // local stack's key and stays empty in Azure (SECRETS_VAULT_URL holds the passwords there).
    const offByDefault = (s: SettingInfo) => s.default === '' && appSettings.get(s.name) === "''";
    const secrets = settings.filter((s) => s.secret && !offByDefault(s)).map((s) => s.name);
    expect(secrets.length).toBeGreaterThan(0);
    for (const name of secrets) expect(appSettings.get(name)).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=/);
    expect(settings.filter((s) => s.secret && offByDefault(s)).map((s) => s.name)).toEqual([
      'CRM_WEBHOOK_SECRET_PREVIOUS',
      'SECRETS_KEY',
    ]);
  });
});
