import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../../shared/errors.js';
import type { Mirror } from '../../../shared/ports.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import {
  crmByLastName,
  disagreements,
  immutableIdOf,
  linkCount,
  newAccount,
  outlookBySurname,
  tag,
} from './helpers.js';

/**
 * DESIGN section 9, rule 4: a crash between a remote create and the mirror write must not
 * create the contact twice. The crash is the mirror write failing once, right after the
 * remote create succeeded; the queue then retries the message. The runtime object is the
 * one the host's functions use, so patching its mirror affects the running sync.
 */
describe('issue 5: a crash between a remote create and the mirror write', () => {
  let stack: TestStack;
  let restore: (() => void) | undefined;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterEach(() => restore?.());
  afterAll(() => stack?.stop());

  /** Makes the first mirror create (etag null) of `accountId` fail as a crash would; returns how often it failed. */
  function failFirstMirrorCreate(accountId: string): { failures: number } {
    const mirror = stack.runtime.deps.mirror;
    const original = mirror.put.bind(mirror);
    const seen = { failures: 0 };
    const put: Mirror['put'] = async (link, etag) => {
      if (etag === null && link.accountId === accountId && seen.failures === 0) {
        seen.failures++;
        throw new SyncError('transient', 'InjectedCrash', 'injected crash before the mirror write');
      }
      return original(link, etag);
    };
    Object.defineProperty(mirror, 'put', { value: put, configurable: true, writable: true });
    restore = () => {
      Reflect.deleteProperty(mirror, 'put');
      restore = undefined;
    };
    return seen;
  }

  it('CRM → Outlook: the retried message adopts the copy it made instead of creating another', async () => {
    const account = await newAccount(stack, 'crash-c');
    const crash = failFirstMirrorCreate(account.id);
    const lastName = tag('CrashCrm');
    // Name only: nothing to match a second copy by, only the ownership marker can find it.
    const created = await stack.crmUser.create({
      firstName: 'Clemens',
      lastName,
      syncAccounts: [account.id],
    });
    await stack.settle();

    expect(crash.failures).toBe(1);
    expect(outlookBySurname(stack, account, lastName)).toHaveLength(1);
    expect(crmByLastName(stack, lastName)).toHaveLength(1);
    expect(await linkCount(stack, account.id)).toBe(1);
    const link = await stack.runtime.deps.mirror.getByCrmId(account.id, created.id);
    // The link holds the immutable id the product asks Graph for; the admin view has the regular one.
    const [copy] = outlookBySurname(stack, account, lastName);
    expect(link?.value.exchangeId).toBe(copy ? await immutableIdOf(stack, account, copy.id) : undefined);
    expect((await stack.api('GET', `/api/accounts/${account.id}`)).json).toMatchObject({
      sync: { pending: 0 },
    });

    // The adopted pair keeps syncing both ways.
    await stack.crmUser.update(created.id, { company: 'Nach dem Absturz GmbH' });
    await stack.settle();
    expect(outlookBySurname(stack, account, lastName)[0]?.companyName).toBe('Nach dem Absturz GmbH');
    expect(await disagreements(stack, account)).toEqual([]);
  });

  it('Outlook → CRM: the retried message finds the CRM contact it made instead of creating another', async () => {
    const account = await newAccount(stack, 'crash-o');
    const crash = failFirstMirrorCreate(account.id);
    const surname = tag('CrashOutlook');
    const outlook = await stack.outlook.createContact(account.mailbox, { givenName: 'Oskar', surname });
    await stack.settle();

    expect(crash.failures).toBe(1);
    expect(crmByLastName(stack, surname)).toHaveLength(1);
    expect(outlookBySurname(stack, account, surname)).toHaveLength(1);
    expect(await linkCount(stack, account.id)).toBe(1);
    const link = await stack.runtime.deps.mirror.getByExchangeId(
      account.id,
      await immutableIdOf(stack, account, outlook.id),
    );
    expect(link?.value.crmId).toBe(crmByLastName(stack, surname)[0]?.id);
    expect((await stack.api('GET', `/api/accounts/${account.id}`)).json).toMatchObject({
      sync: { pending: 0 },
    });

    await stack.outlook.updateContact(account.mailbox, outlook.id, { jobTitle: 'Überlebender' });
    await stack.settle();
    expect(crmByLastName(stack, surname)[0]?.position).toBe('Überlebender');
    expect(await disagreements(stack, account)).toEqual([]);
  });
});
