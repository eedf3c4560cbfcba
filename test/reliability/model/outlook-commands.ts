import { outlookContactsOf, type Run, type RunModel, recordOutlookWrite } from './model.js';
import { asOutlookUser } from './outlook-calls.js';
import { graphBody, type OutlookSpec } from './outlook-values.js';
import { noop, show, UserCommand } from './user-commands.js';

/** The Outlook user, through the Graph emulator's public API: create, edit any field, delete. */
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
  }
  toString() {
    return `OutlookDelete(#${this.target})`;
  }
}
