import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

describe('npm run emulator:crm (main.ts)', () => {
  it('prints its settings as KEY=value lines, serves them, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/emulators/crm/main.ts'], {
      env: { ...process.env, CRM_EMULATOR_PORT: '0', CRM_WEBHOOK_URL: 'http://127.0.0.1:9/events' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no settings printed:\n${out}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('CRM_WEBHOOK_SECRET=')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const settings = Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((line) => line.split(/=(.*)/s).slice(0, 2)),
      ) as Record<string, string>;
      expect(settings.CRM_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(settings.CRM_TOKEN?.length).toBeGreaterThanOrEqual(20);
      expect(settings.CRM_WEBHOOK_SECRET?.length).toBeGreaterThanOrEqual(20);

      const response = await fetch(`${settings.CRM_BASE_URL}/crm/v1/contacts`, {
        headers: { authorization: `Bearer ${settings.CRM_TOKEN}` },
      });
      expect(await response.json()).toEqual({ items: [] });

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
