import { SyncError } from '../../../shared/errors.js';
import type { SyncDeps } from '../../../shared/sync/deps.js';
import { count, type Run } from './model.js';

/**
 * "The worker was killed between a remote write and the mirror write": while `run.crash` is
 * armed, the first mirror write (put or delete) of the run's account that follows a successful
 * remote write throws, once, as a crash would leave it — remote side written, mirror not. The
 * queue then redelivers the message. Hooks are own properties on the host's adapter instances,
 * removed again by the returned function.
 */
type Target = Record<string, unknown>;
type Method = (...args: unknown[]) => Promise<unknown>;

export function installCrashHooks(deps: SyncDeps, run: Run): () => void {
  const installed: [Target, string, PropertyDescriptor | undefined][] = [];
  const wrap = (target: object, name: string, around: (original: Method, args: unknown[]) => unknown) => {
    const object = target as Target;
    const own = Object.getOwnPropertyDescriptor(object, name);
    const original = object[name] as Method;
    object[name] = (...args: unknown[]) => around(original.bind(target), args);
    installed.push([object, name, own]);
  };
  const remoteWrite = async (original: Method, args: unknown[]) => {
    const result = await original(...args);
    if (run.crash.armed) run.crash.remoteWrote = true;
    return result;
  };
  for (const name of ['create', 'update', 'delete']) {
    wrap(deps.exchange, name, remoteWrite);
    wrap(deps.crm, name, remoteWrite);
  }
  const mirrorWrite = async (original: Method, args: unknown[]) => {
    const link = args[0] as { accountId?: string };
    if (run.crash.armed && run.crash.remoteWrote && link.accountId === run.accountId) {
      run.crash.armed = false;
      run.crash.remoteWrote = false;
      count(run.stats.faults, 'crash before mirror write (fired)');
      throw new SyncError('transient', 'InjectedCrash', 'worker killed before the mirror write (injected)');
    }
    return original(...args);
  };
  wrap(deps.mirror, 'put', mirrorWrite);
  wrap(deps.mirror, 'delete', mirrorWrite);
  return () => {
    for (const [object, name, own] of installed.reverse()) {
      if (own) Object.defineProperty(object, name, own);
      else delete object[name];
    }
    run.crash.armed = false;
  };
}
