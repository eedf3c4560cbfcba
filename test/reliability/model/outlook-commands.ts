import { recordOutlookDelete } from './held.js';
import { outlookContactsOf, type Run, type RunModel, recordOutlookWrite, type TokenModel } from './model.js';
import { asOutlookUser } from './outlook-calls.js';
import { graphBody, type OutlookSpec } from './outlook-values.js';
import { noop, show, UserCommand } from './user-commands.js';
import { tokenOf } from './values.js';

/**
 * The Outlook user, through the Graph emulator's public API (create, edit any field, delete)
 * and its Outlook-user routes for what Graph v1.0 cannot do: move a contact to another folder
 * (a new regular id; the immutable id stays), delete to Deleted Items and restore from there.
 */
export class OutlookCreate extends UserCommand {
  constructor(readonly spec: OutlookSpec) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const token = model.newToken('outlook', true);
    const body = { givenName: token.token, ...graphBody(this.spec, token.token, run.domain) };
    const created = await asOutlookUser(() => run.stack.outlook.createContact(run.mailbox, body));
    if (created === 'gone') throw new Error('Outlook create answered 404');
    recordOutlookWrite(token, created.id, body);
  }
  toString() {
    return `OutlookCreate(${show(this.spec)})`;
  }
}

function outlookTarget(model: RunModel, run: Run, target: number) {
  const token = model.pick(target);
  const contact = token ? outlookContactsOf(run, token.token)[0] : undefined;
  const id = contact?.['id'];
  return token && typeof id === 'string' ? { token, id } : undefined;
}

export class OutlookEdit extends UserCommand {
  constructor(
    readonly target: number,
    readonly spec: OutlookSpec,
  ) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const found = outlookTarget(model, run, this.target);
    if (!found) return noop(run);
    const body = graphBody(this.spec, found.token.token, run.domain);
    const done = await asOutlookUser(() => run.stack.outlook.updateContact(run.mailbox, found.id, body));
    if (done === 'gone') return noop(run);
    recordOutlookWrite(found.token, found.id, body);
  }
  toString() {
    return `OutlookEdit(#${this.target}, ${show(this.spec)})`;
  }
}

export class OutlookDelete extends UserCommand {
  constructor(readonly target: number) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const found = outlookTarget(model, run, this.target);
    if (!found) return noop(run);
    const done = await asOutlookUser(() => run.stack.outlook.deleteContact(run.mailbox, found.id));
    if (done === 'gone') return noop(run);
    found.token.outlookDeleted = true;
    markUnrecorded(found.token, run);
    recordOutlookDelete(found.token.held);
  }
  toString() {
    return `OutlookDelete(#${this.target})`;
  }
}

/** A copy whose link a crash kept from the mirror: the sync may make it again (CrashState). */
function markUnrecorded(token: TokenModel, run: Run): void {
  if ([...run.crash.unrecorded.values()].includes(token.token)) token.deletedUnrecorded = true;
}

/** Drags the contact into the other folder (the run's second folder, or back to Contacts). */
export class OutlookMove extends UserCommand {
  constructor(readonly target: number) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const found = outlookTarget(model, run, this.target);
    if (!found) return noop(run);
    const contact = outlookContactsOf(run, found.token.token)[0];
    const destination = contact?.['parentFolderId'] === run.folderId ? 'contacts' : run.folderId;
    const done = await asOutlookUser(() => run.stack.outlook.moveContact(run.mailbox, found.id, destination));
    if (done === 'gone') return noop(run);
  }
  toString() {
    return `OutlookMove(#${this.target})`;
  }
}

/** Deletes in Outlook: to Deleted Items, from where it may come back (OutlookRestore). */
export class OutlookSoftDelete extends UserCommand {
  constructor(readonly target: number) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const found = outlookTarget(model, run, this.target);
    if (!found) return noop(run);
    const done = await asOutlookUser(() => run.stack.outlook.deleteInOutlook(run.mailbox, found.id));
    if (done === 'gone') return noop(run);
    found.token.outlookDeleted = true;
    markUnrecorded(found.token, run);
    recordOutlookDelete(found.token.held);
  }
  toString() {
    return `OutlookSoftDelete(#${this.target})`;
  }
}

/**
 * Moves a deleted contact back from Deleted Items. Whether the sync had already seen the delete
 * depends on timing, so the token stays "deleted" for the outcome checks; the no-duplicate and
 * no-loss checks still apply.
 */
export class OutlookRestore extends UserCommand {
  constructor(readonly target: number) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const deleted = model.tokens.filter((t) => t.outlookDeleted);
    const token = deleted.length === 0 ? undefined : deleted[this.target % deleted.length];
    if (!token) return noop(run);
    const items = await asOutlookUser(() => run.stack.outlook.deletedItems(run.mailbox));
    const item = items === 'gone' ? undefined : items.find((c) => tokenOf(c['givenName']) === token.token);
    if (!item) return noop(run);
    const done = await asOutlookUser(() => run.stack.outlook.restoreContact(run.mailbox, item.id));
    if (done === 'gone') return noop(run);
    token.restored = true;
  }
  toString() {
    return `OutlookRestore(#${this.target})`;
  }
}
