import { SyncError } from '../../../shared/errors.js';
import type { SyncDeps } from '../../../shared/sync/deps.js';
import { count, type Run } from './model.js';
import { tokenOf } from './values.js';

/**
 * "The worker was killed between a remote write and the mirror write": while a run's `crash`
 * is armed, the first mirror write (put or delete) of the run's account that follows a
 * successful remote write for that run throws, once, as a crash would leave it — remote side
 * written, mirror not. The queue then redelivers the message. A remote write belongs to a run
 * by its mailbox (Exchange) or by the CRM contact's token, which carries the run's tag (CRM).
 * Hooks are own properties on the host's adapter instances, installed once for every run of
 * a batch and removed again by the returned function.
 */
type Target = Record<string, unknown>;
type Method = (...args: unknown[]) => Promise<unknown>;

export function installCrashHooks(deps: SyncDeps, runs: readonly Run[]): () => void {
  const installed: [Target, string, PropertyDescriptor | undefined][] = [];
  const wrap = (target: object, name: string, around: (original: Method, args: unknown[]) => unknown) => {
    const object = target as Target;
    const own = Object.getOwnPropertyDescriptor(object, name);
    const original = object[name] as Method;
    object[name] = (...args: unknown[]) => around(original.bind(target), args);
    installed.push([object, name, own]);
  };
  const byMailbox = (mailbox: unknown) =>
    runs.find((r) => typeof mailbox === 'string' && r.mailbox.toLowerCase() === mailbox.toLowerCase());
  const byFirstName = (name: unknown) => {
    const token = tokenOf(name);
    return token ? runs.find((r) => token.startsWith(tagOf(r))) : undefined;
  };
  const byCrmId = (id: unknown) =>
    byFirstName(runs[0]?.stack.crm.admin.contacts().find((c) => c.id === id)?.firstName);
  const remoteWrite =
    (runOf: (args: unknown[]) => Run | undefined, copyOf?: (args: unknown[]) => string) =>
    async (original: Method, args: unknown[]) => {
      const run = runOf(args); // before the write: a delete removes what names the run
      const result = await original(...args);
      if (run?.crash.armed) {
        run.crash.remoteWrote = true;
        if (copyOf) run.crash.created.add(copyOf(args));
      }
      return result;
    };
  for (const name of ['create', 'update', 'delete']) {
    wrap(
      deps.exchange,
      name,
      // create(mailbox, folderId, fields, linkId): the copy's link id, which its link will carry.
      remoteWrite((args) => byMailbox(args[0]), name === 'create' ? (args) => String(args[3]) : undefined),
    );
    wrap(
      deps.crm,
      name,
      remoteWrite((args) =>
        name === 'create' ? byFirstName((args[0] as { firstName?: unknown }).firstName) : byCrmId(args[0]),
      ),
    );
  }
  const mirrorWrite = (method: 'put' | 'delete') => async (original: Method, args: unknown[]) => {
    const link = args[0] as { accountId?: string; linkId?: string; crmId?: string };
    const run = runs.find((r) => r.accountId === link.accountId);
    if (run?.crash.armed && run.crash.remoteWrote) {
      run.crash.armed = false;
      run.crash.remoteWrote = false;
      count(run.stats.faults, 'crash before mirror write (fired)');
      // The first link of a copy just made: the copy is in Outlook, unknown to the mirror.
      const token = tokenOf(run.stack.crm.admin.contacts().find((c) => c.id === link.crmId)?.firstName);
      if (method === 'put' && link.linkId && run.crash.created.has(link.linkId) && token)
        run.crash.unrecorded.set(link.linkId, token);
      throw new SyncError('transient', 'InjectedCrash', 'worker killed before the mirror write (injected)');
    }
    const result = await original(...args);
    if (run && method === 'put' && link.linkId) run.crash.unrecorded.delete(link.linkId);
    return result;
  };
  wrap(deps.mirror, 'put', mirrorWrite('put'));
  wrap(deps.mirror, 'delete', mirrorWrite('delete'));
  return () => {
    for (const [object, name, own] of installed.reverse()) {
      if (own) Object.defineProperty(object, name, own);
      else delete object[name];
    }
    for (const run of runs) run.crash.armed = false;
  };
}

/** The run tag every token of the run starts with: the mailbox's local part. */
function tagOf(run: Run): string {
  return run.mailbox.split('@')[0] ?? run.mailbox;
}
