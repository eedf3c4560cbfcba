import { type Run, type RunModel, recordCrmWrite } from './model.js';
import { crmEdit, crmTarget, noop, show, UserCommand } from './user-commands.js';
import { type CrmSpec, crmInput } from './values.js';

/** The CRM user: create, edit any field, tag or untag for the account, delete. */
export class CrmCreate extends UserCommand {
  constructor(
    readonly spec: CrmSpec,
    readonly tagged: boolean,
  ) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const token = model.newToken('crm', this.tagged);
    const input = {
      ...crmInput(this.spec, token.token, run.domain),
      syncAccounts: this.tagged ? [run.accountId] : [],
    };
    const created = run.stack.crm.admin.createAsUser({ firstName: token.token, ...input });
    recordCrmWrite(token, created.id, input);
  }
  toString() {
    return `CrmCreate(${this.tagged ? 'tagged' : 'untagged'}, ${show(this.spec)})`;
  }
}

export class CrmEdit extends UserCommand {
  constructor(
    readonly target: number,
    readonly spec: CrmSpec,
  ) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const found = crmTarget(model, run, this.target);
    if (!found) return noop(run);
    const input = crmInput(this.spec, found.token.token, run.domain);
    if (crmEdit(run, found.contact.id, input)) {
      recordCrmWrite(found.token, found.contact.id, input);
      found.token.crmTouched = true;
    } else noop(run);
  }
  toString() {
    return `CrmEdit(#${this.target}, ${show(this.spec)})`;
  }
}

export class CrmTag extends UserCommand {
  constructor(
    readonly target: number,
    readonly on: boolean,
  ) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const found = crmTarget(model, run, this.target);
    if (!found) return noop(run);
    const others = found.contact.syncAccounts.filter((id) => id !== run.accountId);
    if (!crmEdit(run, found.contact.id, { syncAccounts: this.on ? [...others, run.accountId] : others }))
      return noop(run);
    found.token.tagged = this.on;
    found.token.crmTouched = true;
    if (!this.on) found.token.untagged = true;
  }
  toString() {
    return `Crm${this.on ? 'Tag' : 'Untag'}(#${this.target})`;
  }
}

export class CrmDelete extends UserCommand {
  constructor(readonly target: number) {
    super();
  }
  async act(model: RunModel, run: Run) {
    const found = crmTarget(model, run, this.target);
    if (!found) return noop(run);
    try {
      run.stack.crm.admin.deleteAsUser(found.contact.id);
      found.token.crmDeleted = true;
    } catch {
      noop(run);
    }
  }
  toString() {
    return `CrmDelete(#${this.target})`;
  }
}
