import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.js';

/** The settings every loadConfig call needs; the test varies only PUBLIC_BASE_URL. */
const REQUIRED = {
  GRAPH_TENANT_ID: 'tenant',
  GRAPH_CLIENT_ID: 'client',
  GRAPH_CLIENT_SECRET: 'secret-value',
  CRM_BASE_URL: 'http://127.0.0.1:7080',
  CRM_TOKEN: 'crm-token-value',
  CRM_WEBHOOK_SECRET: 'crm-webhook-secret',
};

// Graph refuses a subscription whose notificationUrl or lifecycleNotificationUrl is not https
// ("Change notifications ... notificationUrl: the URL must use the HTTPS protocol", subscription
// resource type, learn.microsoft.com/graph/api/resources/subscription).
describe('PUBLIC_BASE_URL', () => {
  it('accepts an https URL and drops a trailing slash', () => {
    const config = loadConfig({ ...REQUIRED, PUBLIC_BASE_URL: 'https://sync.example.com/' });
    expect(config.publicBaseUrl).toBe('https://sync.example.com');
  });

  it('defaults to the local stack’s https listener', () => {
    expect(loadConfig(REQUIRED).publicBaseUrl).toMatch(/^https:\/\//);
  });

  it.each(['http://127.0.0.1:7071', 'http://sync.example.com', 'ftp://sync.example.com'])(
    'refuses %s with a message naming the setting',
    (value) => {
      expect(() => loadConfig({ ...REQUIRED, PUBLIC_BASE_URL: value })).toThrow(
        /"PUBLIC_BASE_URL" must be an https URL/,
      );
    },
  );
});
