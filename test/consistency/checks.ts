import type { SettingInfo } from '../../shared/config.js';
import { staticValue } from './bicep-text.js';

/**
 * Pure checks of the deployment files against the code. Each returns a list of problems, one
 * sentence per problem naming the item, so a failing test says exactly what to add where.
 */

export interface NameComparison {
  missing: string[];
  extra: string[];
}

export function compareNames(expected: Iterable<string>, actual: Iterable<string>): NameComparison {
  const want = new Set(expected);
  const have = new Set(actual);
  return {
    missing: [...want].filter((name) => !have.has(name)).sort(),
    extra: [...have].filter((name) => !want.has(name)).sort(),
  };
}

/** App settings the Functions host reads (not shared/config.ts). */
export const HOST_APP_SETTINGS = [
  'AzureWebJobsStorage__accountName',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
];

/** Flex Consumption rejects these as app settings; functionAppConfig.runtime says node / version. */
export const FLEX_REJECTED_APP_SETTINGS = [
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_WORKER_RUNTIME',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
];

/** Values the host needs locally (Core Tools style) besides SETTINGS. */
export const LOCAL_HOST_VALUES = ['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage'];

/** Settings whose Azure value differs from the code default on purpose. */
export const AZURE_OVERRIDES = [
  'STORAGE_CONNECTION',
  'QUEUE_TRANSPORT',
  'SERVICEBUS_CONNECTION__fullyQualifiedNamespace',
  'PUBLIC_BASE_URL',
];

const KEY_VAULT_REFERENCE = /^'@Microsoft\.KeyVault\(SecretUri=\$\{\w+\}[a-z0-9-]+\/\)'$/;

export function isKeyVaultReference(expression: string): boolean {
  return KEY_VAULT_REFERENCE.test(expression.trim());
}

export interface SettingsInput {
  settings: readonly SettingInfo[];
  /** `var appSettings` of main.bicep: name → Bicep expression. */
  appSettings: Map<string, string>;
  paramDefaults: Map<string, string>;
  /** `Values` of local.settings.sample.json. */
  sampleValues: Record<string, unknown>;
}

export function settingProblems(input: SettingsInput): string[] {
  const problems: string[] = [];
  const names = new Set(input.settings.map((setting) => setting.name));
  for (const setting of input.settings) {
    const { name } = setting;
    if (!(name in input.sampleValues)) problems.push(`${name}: missing from local.settings.sample.json`);
    else if (typeof input.sampleValues[name] !== 'string')
      problems.push(`${name}: local.settings.sample.json value is not a string`);
    const expression = input.appSettings.get(name);
    if (expression === undefined) {
      problems.push(`${name}: missing from the app settings in infra/main.bicep`);
      continue;
    }
    // A secret that is off by default (rotation's previous secret) is deployed empty until used.
    const offByDefault = setting.default === '' && expression.trim() === "''";
    if (setting.secret && !isKeyVaultReference(expression) && !offByDefault)
      problems.push(
        `${name}: secret, but its app setting is not a @Microsoft.KeyVault(SecretUri=...) reference`,
      );
    if (!setting.secret && isKeyVaultReference(expression))
      problems.push(`${name}: not a secret in SETTINGS, but a Key Vault reference in Bicep`);
    const value = staticValue(expression, input.paramDefaults);
    if (
      setting.default !== undefined &&
      !AZURE_OVERRIDES.includes(name) &&
      value !== null &&
      value !== setting.default
    )
      problems.push(`${name}: Bicep deploys "${value}" but the code default is "${setting.default}"`);
  }
  for (const name of input.appSettings.keys()) {
    if (FLEX_REJECTED_APP_SETTINGS.includes(name))
      problems.push(`${name}: Flex Consumption rejects this app setting`);
    else if (!names.has(name) && !HOST_APP_SETTINGS.includes(name))
      problems.push(`${name}: app setting read by neither the code (SETTINGS) nor the host`);
  }
  for (const name of Object.keys(input.sampleValues)) {
    if (!names.has(name) && !LOCAL_HOST_VALUES.includes(name))
      problems.push(`${name}: in local.settings.sample.json but not in SETTINGS`);
  }
  return problems;
}

/** The part of a functions/definitions.ts entry these checks read. */
export interface FunctionDefinitionLike {
  name: string;
  trigger: string;
  queue?: string;
  scheduleSetting?: string;
  route?: string;
  methods?: readonly string[];
}

export interface FunctionsInput {
  definitions: readonly FunctionDefinitionLike[];
  /** Queues provisioned with requiresSession: true. */
  sessionQueues: readonly string[];
  settingNames: readonly string[];
  /** Paths after /api/ of the webhook URLs main.bicep outputs. */
  webhookRoutes: readonly string[];
}

export function functionProblems(input: FunctionsInput): string[] {
  const problems: string[] = [];
  const consumed = new Set<string>();
  for (const definition of input.definitions) {
    if (definition.trigger === 'queue') {
      consumed.add(definition.queue ?? '');
      if (!input.sessionQueues.includes(definition.queue ?? ''))
        problems.push(
          `${definition.name}: queue "${definition.queue}" is not a session-enabled queue in infra/`,
        );
    }
    if (definition.trigger === 'timer' && !input.settingNames.includes(definition.scheduleSetting ?? ''))
      problems.push(
        `${definition.name}: schedule setting "${definition.scheduleSetting}" is not in SETTINGS`,
      );
  }
  for (const queue of input.sessionQueues) {
    if (!consumed.has(queue)) problems.push(`${queue}: provisioned, but no queue function consumes it`);
  }
  for (const route of input.webhookRoutes) {
    const served = input.definitions.some(
      (definition) =>
        definition.trigger === 'http' &&
        definition.route === route &&
        (definition.methods ?? []).includes('POST'),
    );
    if (!served)
      problems.push(`${route}: infra outputs this webhook URL but no function serves POST ${route}`);
  }
  return problems;
}
