import type fc from 'fast-check';
import { crmContactsOf, type Run, type RunModel } from './model.js';
import { asOutlookUser } from './outlook-calls.js';
import { tokenOf } from './values.js';

/**
 * What the two users do. CRM users act through the CRM emulator's "as a user" admin calls
 * (same store path as the API: versions bump, signed events go out); Outlook users through the
 * Graph emulator's public API. Targets are model tokens, resolved to the current contact at run
 * time: when it is gone (or not synced yet) the action is a no-op and counted as one.
 */
export type Command = fc.AsyncCommand<RunModel, Run, false>;

export abstract class UserCommand implements Command {
  check(): boolean {
    return true;
  }
  /** Counted as one action; `act` does the work. */
  async run(model: RunModel, run: Run): Promise<void> {
    run.stats.actions++;
    await this.act(model, run);
  }
  abstract act(model: RunModel, run: Run): Promise<void>;
  abstract toString(): string;
}

export const show = (value: unknown) => JSON.stringify(value);

export function noop(run: Run): void {
  run.stats.noops++;
}

export function crmTarget(model: RunModel, run: Run, target: number) {
  const token = model.pick(target);
  const contact = token ? crmContactsOf(run, token.token)[0] : undefined;
  return token && contact ? { token, contact } : undefined;
}

/** A CRM user's write; false when the contact vanished in between (deleted by the sync or a user). */
export function crmEdit(
  run: Run,
  id: string,
  patch: Parameters<Run['stack']['crm']['admin']['editAsUser']>[1],
) {
  try {
    run.stack.crm.admin.editAsUser(id, patch);
    return true;
  } catch {
    return false;
  }
}

/** One value written to every contact of the run on one side, as a bulk edit does. */
export class BulkEdit extends UserCommand {
  constructor(
    readonly side: 'crm' | 'outlook',
    readonly value: string | null,
  ) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const ours = (name: unknown) => tokenOf(name)?.startsWith(model.runTag) === true;
    if (this.side === 'crm') {
      for (const contact of run.stack.crm.admin.contacts().filter((c) => ours(c.firstName))) {
        if (!crmEdit(run, contact.id, { company: this.value })) continue;
        const token = model.tokens.find((t) => t.token === tokenOf(contact.firstName));
        if (token) token.crmTouched = true;
      }
    } else {
      for (const contact of run.stack.graph.admin.contacts(run.mailbox).filter((c) => ours(c['givenName']))) {
        const id = String(contact['id']);
        await asOutlookUser(() => run.stack.outlook.updateContact(run.mailbox, id, { jobTitle: this.value }));
      }
    }
  }
  toString() {
    return `BulkEdit(${this.side}, ${show(this.value)})`;
  }
}

/** Lets the sync run for a moment between actions, so user actions and sync work interleave. */
export class Pause extends UserCommand {
  constructor(readonly ms: number) {
    super();
  }
  async act() {
    await new Promise((resolve) => setTimeout(resolve, this.ms));
  }
  toString() {
    return `Pause(${this.ms}ms)`;
  }
}
