import { request } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import type { EwsTransport } from '../../../shared/adapters/ews/ews-transport.js';
import { child, children } from '../../../shared/adapters/ews/xml.js';
import {
  MAILBOX,
  messages,
  postSoap,
  SOAP_CLOSE,
  SOAP_OPEN,
  seedMailbox,
  startEws,
  text,
  transportFor,
} from './support.js';

/**
 * The mail SOAP examples of Microsoft's EWS reference pages (MicrosoftDocs/office-developer-
 * exchange-docs, docs/web-service-reference/…), sent as the pages show them with real ids and
 * SyncStates in place of the shortened placeholders. Where a page is wrong, the test says so
 * and asserts what Exchange does.
 */
let emulator: RunningEwsEmulator;
let ews: EwsTransport;

beforeAll(async () => {
  emulator = await startEws();
});
afterAll(async () => {
  ews?.close();
  await emulator.stop();
});
beforeEach(() => {
  seedMailbox(emulator);
  emulator.mail.setProfile(MAILBOX, { displayName: 'Anna Berger' });
  ews?.close();
  ews = transportFor(emulator);
});

// syncfolderitems-operation.md, "SyncFolderItems request example" (verbatim but for the ids).
const syncSentItems = (state: string | null, ignoreId: string | null, max = 100) => `${SOAP_OPEN}
    <SyncFolderItems xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
      <ItemShape>
        <t:BaseShape>Default</t:BaseShape>
      </ItemShape>
      <SyncFolderId>
        <t:DistinguishedFolderId Id="sentitems"/>
      </SyncFolderId>
      ${state === null ? '' : `<SyncState>${state}</SyncState>`}
      ${ignoreId === null ? '' : `<Ignore><t:ItemId Id="${ignoreId}" ChangeKey="CQAAABY"/></Ignore>`}
      <MaxChangesReturned>${max}</MaxChangesReturned>
    </SyncFolderItems>${SOAP_CLOSE}`;

describe('SyncFolderItems over a mail folder (syncfolderitems-operation.md)', () => {
  it("answers the page's first sync of Sent Items with a Create per item, a SyncState and IncludesLastItemInRange, and the meeting request as MeetingRequest", async () => {
    emulator.mail.receive(MAILBOX, {
      folder: 'sentitems',
      itemClass: 'IPM.Schedule.Meeting.Request',
      subject: 'Budget Q3',
      from: { address: MAILBOX, name: 'Anna Berger' },
      to: [{ address: 'dpark@example.com', name: 'Dan Park' }],
    });
    emulator.mail.receive(MAILBOX, { subject: 'im Posteingang' }); // another folder: not listed
    const { body } = await postSoap(ews, syncSentItems(null, null));
    const [message] = messages(body);
    expect(message?.attrs['ResponseClass']).toBe('Success');
    expect(message?.children.map((c) => c.name)).toEqual([
      'ResponseCode',
      'SyncState',
      'IncludesLastItemInRange',
      'Changes',
    ]);
    expect(text(message, 'IncludesLastItemInRange')).toBe('true');
    // The page says the first sync "will return all the items in the mailbox"; it returns the
    // items of the folder synchronised (the Inbox's message is not in the answer).
    const creates = children(child(message, 'Changes'), 'Create');
    expect(creates).toHaveLength(1);
    const meeting = creates[0]?.children[0];
    expect(meeting?.name).toBe('MeetingRequest');
    expect(text(meeting, 'Subject')).toBe('Budget Q3');
    expect(child(meeting, 'ItemId')?.attrs['ChangeKey']).toBeTruthy();
  });

  it("leaves out the page's Ignore'd item, pages by MaxChangesReturned and then reports Update, Delete and ReadFlagChange", async () => {
    const items = [0, 1, 2].map((i) =>
      emulator.mail.receive(MAILBOX, { folder: 'sentitems', subject: `S${i}` }),
    );
    const first = await postSoap(ews, syncSentItems(null, null, 2));
    const page1 = messages(first.body)[0];
    expect(text(page1, 'IncludesLastItemInRange')).toBe('false');
    expect(children(child(page1, 'Changes'), 'Create')).toHaveLength(2);
    const page2 = messages(
      (await postSoap(ews, syncSentItems(text(page1, 'SyncState') ?? '', items[2]?.id ?? ''))).body,
    )[0];
    expect(text(page2, 'IncludesLastItemInRange')).toBe('true');
    expect(children(child(page2, 'Changes'))).toHaveLength(0); // the one left was ignored

    emulator.mail.categorize(MAILBOX, items[0]?.id ?? '', ['Kunde']);
    emulator.mail.delete(MAILBOX, items[1]?.id ?? '');
    emulator.mail.markRead(MAILBOX, items[2]?.id ?? '', false);
    const page3 = messages(
      (await postSoap(ews, syncSentItems(text(page2, 'SyncState') ?? '', null))).body,
    )[0];
    const kinds = children(child(page3, 'Changes')).map((c) => c.name);
    expect(kinds).toEqual(['Update', 'Delete', 'ReadFlagChange']);
    const readFlag = children(child(page3, 'Changes'), 'ReadFlagChange')[0];
    expect(text(readFlag, 'IsRead')).toBe('false');
    expect(child(readFlag, 'ItemId')?.attrs['Id']).toBe(items[2]?.id);
  });

  it("answers a forgotten SyncState as the page's error response: ErrorInvalidSyncStateData, an empty SyncState, IncludesLastItemInRange true", async () => {
    const { body } = await postSoap(ews, syncSentItems('AEbJ94eMOAAA=', null));
    const [message] = messages(body);
    expect(message?.attrs['ResponseClass']).toBe('Error');
    expect(text(message, 'MessageText')).toBe('Synchronization state data is corrupt or otherwise invalid.');
    expect(text(message, 'ResponseCode')).toBe('ErrorInvalidSyncStateData');
    expect(text(message, 'SyncState')).toBe('');
    expect(text(message, 'IncludesLastItemInRange')).toBe('true');
  });

  it('answers a GetItem batch of a message and a contact with a Message and a Contact, in request order', async () => {
    const contact = emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: 'Olga', DisplayName: 'Olga' },
    });
    const message = emulator.mail.receive(MAILBOX, { subject: 'Anfrage' });
    const { body } = await postSoap(
      ews,
      `${SOAP_OPEN}<GetItem xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"><ItemShape><t:BaseShape>Default</t:BaseShape></ItemShape><ItemIds><t:ItemId Id="${message.id}"/><t:ItemId Id="${contact.id}"/></ItemIds></GetItem>${SOAP_CLOSE}`,
    );
    const items = messages(body).map((m) => child(m, 'Items')?.children[0]);
    expect(items.map((i) => i?.name)).toEqual(['Message', 'Contact']);
    expect(text(items[0], 'Subject')).toBe('Anfrage');
    expect(text(items[1], 'GivenName')).toBe('Olga');
  });

  it('lists the contacts of a mail folder too: Deleted Items holds deleted mail and deleted contacts alike', async () => {
    const contact = emulator.admin.outlookCreate(MAILBOX, {
      fields: { GivenName: 'Olga', DisplayName: 'Olga' },
    });
    emulator.admin.outlookDelete(MAILBOX, contact.id);
    const message = emulator.mail.receive(MAILBOX, { subject: 'alt' });
    emulator.mail.delete(MAILBOX, message.id);
    const { body } = await postSoap(
      ews,
      `${SOAP_OPEN}<SyncFolderItems xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"><ItemShape><t:BaseShape>IdOnly</t:BaseShape></ItemShape><SyncFolderId><t:DistinguishedFolderId Id="deleteditems"/></SyncFolderId><MaxChangesReturned>10</MaxChangesReturned></SyncFolderItems>${SOAP_CLOSE}`,
    );
    const created = children(child(messages(body)[0], 'Changes'), 'Create').map((c) => c.children[0]?.name);
    expect(created).toEqual(['Contact', 'Message']);
  });

  it('refuses MaxChangesReturned above 512 on a mail folder with ErrorSchemaValidation (maxchangesreturned.md)', async () => {
    const { status, raw } = await postSoap(ews, syncSentItems(null, null, 513));
    expect(status).toBe(500);
    expect(raw).toContain('ErrorSchemaValidation');
  });
});

// getitem-operation-email-message.md, "GetItem request example" (verbatim but for the id).
const getMessage = (id: string) => `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
  <soap:Body>
    <GetItem
      xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"
      xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
      <ItemShape>
        <t:BaseShape>Default</t:BaseShape>
        <t:IncludeMimeContent>true</t:IncludeMimeContent>
      </ItemShape>
      <ItemIds>
        <t:ItemId Id="${id}" ChangeKey="CQAAAB" />
      </ItemIds>
    </GetItem>
  </soap:Body>
</soap:Envelope>`;

describe('GetItem (email message) (getitem-operation-email-message.md)', () => {
  it("answers the page's Default shape with MIME content: the Message's elements in the schema's order, the HTML body escaped", async () => {
    const item = emulator.mail.receive(MAILBOX, {
      from: { address: 'User2@example.com', name: 'User2' },
      to: [{ address: 'User1@example.com', name: 'User1' }],
      subject: '',
      body: {
        type: 'HTML',
        content:
          '<html dir="ltr"><head><meta content="MSHTML 6.00.3790.2759" name="GENERATOR"></head><body>&nbsp;</body></html>',
      },
    });
    const { body } = await postSoap(ews, getMessage(item.id));
    const [message] = messages(body);
    expect(message?.attrs['ResponseClass']).toBe('Success');
    const m = child(child(message, 'Items'), 'Message');
    // The page's answer (Exchange 2007) also lists ResponseObjects, IsReadReceiptRequested and
    // IsDeliveryReceiptRequested; the order of what is answered is types.xsd's, as the page's.
    expect(m?.children.map((c) => c.name)).toEqual([
      'MimeContent',
      'ItemId',
      'Subject',
      'Sensitivity',
      'Body',
      'Size',
      'DateTimeSent',
      'DateTimeCreated',
      'HasAttachments',
      'ToRecipients',
      'From',
      'IsRead',
    ]);
    expect(child(m, 'MimeContent')?.attrs['CharacterSet']).toBe('UTF-8');
    expect(Buffer.from(text(m, 'MimeContent') ?? '', 'base64').toString('utf8')).toContain(
      `Message-ID: ${item.data.internetMessageId}`,
    );
    expect(text(m, 'HasAttachments')).toBe('false');
    expect(text(child(m, 'From'), 'Mailbox', 'EmailAddress')).toBe('User2@example.com');
    expect(text(child(m, 'ToRecipients'), 'Mailbox', 'RoutingType')).toBe('SMTP');
    // The page prints the HTML body as raw markup inside <t:Body> with unclosed <meta> tags,
    // which is not well-formed XML; Exchange escapes the HTML as text content.
    expect(child(m, 'Body')?.attrs['BodyType']).toBe('HTML');
    expect(text(m, 'Body')).toContain('<meta content="MSHTML 6.00.3790.2759" name="GENERATOR">');
    expect(child(m, 'Body')?.children).toEqual([]);
  });

  it('converts the body to text for BodyType Text, lists attachment metadata without content, and answers a gone id ErrorItemNotFound in its place', async () => {
    const item = emulator.mail.receive(MAILBOX, {
      subject: 'Exposé',
      body: { type: 'HTML', content: '<p>Guten Tag,<br>anbei das Expos&eacute;.</p>' },
      attachments: [{ name: 'Expose.pdf', contentType: 'application/pdf', size: 2048 }],
      headers: [{ name: 'List-Id', value: '<news.kunde.example>' }],
      categories: ['Privat'],
    });
    const gone = emulator.mail.receive(MAILBOX, { subject: 'weg' });
    emulator.mail.delete(MAILBOX, gone.id, true);
    const { body } = await postSoap(
      ews,
      `${SOAP_OPEN}<GetItem xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
        <ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:BodyType>Text</t:BodyType><t:AdditionalProperties>
          <t:FieldURI FieldURI="item:Body"/><t:FieldURI FieldURI="item:Attachments"/><t:FieldURI FieldURI="item:InternetMessageHeaders"/>
          <t:FieldURI FieldURI="item:Categories"/><t:FieldURI FieldURI="message:InternetMessageId"/><t:FieldURI FieldURI="item:ConversationId"/>
        </t:AdditionalProperties></ItemShape>
        <ItemIds><t:ItemId Id="${item.id}"/><t:ItemId Id="${gone.id}"/></ItemIds></GetItem>${SOAP_CLOSE}`,
    );
    const [found, missing] = messages(body);
    const m = child(child(found, 'Items'), 'Message');
    expect(child(m, 'Body')?.attrs['BodyType']).toBe('Text');
    expect(text(m, 'Body')).toBe('Guten Tag,\nanbei das Expos&eacute;.');
    const attachment = child(child(m, 'Attachments'), 'FileAttachment');
    expect(attachment?.children.map((c) => c.name)).toEqual([
      'AttachmentId',
      'Name',
      'ContentType',
      'Size',
      'IsInline',
      'IsContactPhoto',
    ]);
    expect(child(attachment, 'Content')).toBeUndefined();
    expect(child(child(m, 'InternetMessageHeaders'), 'InternetMessageHeader')?.attrs['HeaderName']).toBe(
      'List-Id',
    );
    expect(text(child(m, 'Categories'), 'String')).toBe('Privat');
    expect(text(m, 'InternetMessageId')).toBe(item.data.internetMessageId);
    expect(child(m, 'ConversationId')?.attrs['Id']).toBe(item.data.conversationId);
    expect(missing?.attrs['ResponseClass']).toBe('Error');
    expect(text(missing, 'ResponseCode')).toBe('ErrorItemNotFound');
  });
});

// resolvenames-operation.md, "ResolveNames request example" (verbatim).
const RESOLVE_USER2 = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
               xmlns:xsd="http://www.w3.org/2001/XMLSchema"
               xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
               xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
  <soap:Body>
    <ResolveNames xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"
                  xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"
                  ReturnFullContactData="true">
      <UnresolvedEntry>User2</UnresolvedEntry>
    </ResolveNames>
  </soap:Body>
</soap:Envelope>`;

describe('ResolveNames (resolvenames-operation.md)', () => {
  it("resolves the page's User2 to its Mailbox and, with ReturnFullContactData, a directory Contact with SMTP: entries", async () => {
    emulator.admin.createMailbox({ smtp: 'User2@example.com', user: 'user2' });
    emulator.mail.setProfile('User2@example.com', { displayName: 'User2', aliases: ['u2@example.net'] });
    const { body } = await postSoap(ews, RESOLVE_USER2);
    const [message] = messages(body);
    expect(message?.attrs['ResponseClass']).toBe('Success');
    const set = child(message, 'ResolutionSet');
    expect(set?.attrs).toMatchObject({ TotalItemsInView: '1', IncludesLastItemInRange: 'true' });
    const resolution = child(set, 'Resolution');
    expect(text(resolution, 'Mailbox', 'Name')).toBe('User2');
    expect(text(resolution, 'Mailbox', 'EmailAddress')).toBe('User2@example.com');
    expect(text(resolution, 'Mailbox', 'MailboxType')).toBe('Mailbox');
    const contact = child(resolution, 'Contact');
    expect(children(child(contact, 'EmailAddresses'), 'Entry').map((e) => [e.attrs['Key'], e.text])).toEqual([
      ['EmailAddress1', 'SMTP:User2@example.com'],
      ['EmailAddress2', 'smtp:u2@example.net'],
    ]);
    expect(text(contact, 'ContactSource')).toBe('ActiveDirectory');
  });

  it("answers a name nobody has as the page's error response (the page's remarks say 'No results are found.'; its example and Exchange say 'No results were found.')", async () => {
    const { body } = await postSoap(ews, RESOLVE_USER2);
    const [message] = messages(body);
    expect(message?.attrs['ResponseClass']).toBe('Error');
    expect(text(message, 'MessageText')).toBe('No results were found.');
    expect(text(message, 'ResponseCode')).toBe('ErrorNameResolutionNoResults');
    expect(text(message, 'DescriptiveLinkKey')).toBe('0');
  });

  it('matches proxy addresses only with the smtp: routing type, as the page remarks', async () => {
    emulator.mail.setProfile(MAILBOX, { aliases: ['a.berger@alias.example'] });
    const resolve = (entry: string) =>
      postSoap(
        ews,
        `${SOAP_OPEN}<ResolveNames xmlns="http://schemas.microsoft.com/exchange/services/2006/messages" ReturnFullContactData="false"><UnresolvedEntry>${entry}</UnresolvedEntry></ResolveNames>${SOAP_CLOSE}`,
      );
    expect(text(messages((await resolve('a.berger@alias.example')).body)[0], 'ResponseCode')).toBe(
      'ErrorNameResolutionNoResults',
    );
    const viaProxy = messages((await resolve('smtp:a.berger@alias.example')).body)[0];
    expect(text(child(child(viaProxy, 'ResolutionSet'), 'Resolution'), 'Mailbox', 'EmailAddress')).toBe(
      MAILBOX,
    );
    expect(child(child(child(viaProxy, 'ResolutionSet'), 'Resolution'), 'Contact')).toBeUndefined();
  });
});

// moveitem-operation.md, "MoveItem request example" (verbatim but for the id).
const moveToDrafts = (id: string) => `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
xmlns:xsd="http://www.w3.org/2001/XMLSchema"
xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
  <soap:Body>
    <MoveItem xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"
    xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
      <ToFolderId>
        <t:DistinguishedFolderId Id="drafts"/>
      </ToFolderId>
      <ItemIds>
        <t:ItemId Id="${id}" ChangeKey="EwAAABYA/s4b"/>
      </ItemIds>
    </MoveItem>
  </soap:Body>
</soap:Envelope>`;

// deleteitem-operation.md, "DeleteItem request example" (verbatim but for the id and DeleteType).
const deleteMessage = (id: string, type = 'HardDelete') => `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
  <soap:Body>
    <DeleteItem DeleteType="${type}" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
      <ItemIds>
        <t:ItemId Id="${id}"/>
      </ItemIds>
    </DeleteItem>
  </soap:Body>
</soap:Envelope>`;

describe('MoveItem and DeleteItem over messages (moveitem-operation.md, deleteitem-operation.md)', () => {
  it("moves the page's item to Drafts and answers the new ItemId (the page's answer spells it ItemID; the element is ItemId)", async () => {
    const item = emulator.mail.receive(MAILBOX, { subject: 'Entwurf' });
    const { body } = await postSoap(ews, moveToDrafts(item.id));
    const [message] = messages(body);
    expect(message?.attrs['ResponseClass']).toBe('Success');
    const moved = child(child(message, 'Items'), 'Message');
    expect(child(moved, 'ItemID')).toBeUndefined();
    const id = child(moved, 'ItemId')?.attrs['Id'];
    expect(id).toBeTruthy();
    expect(id).not.toBe(item.id);
    expect(emulator.mail.messages(MAILBOX).map((m) => [m.id, m.folder])).toEqual([[id, 'drafts']]);
    // The old id is gone: a second move of it is ErrorItemNotFound.
    const again = messages((await postSoap(ews, moveToDrafts(item.id))).body)[0];
    expect(text(again, 'ResponseCode')).toBe('ErrorItemNotFound');
  });

  it("answers the page's HardDelete with a bare Success; MoveToDeletedItems moves into Deleted Items; the Inbox's SyncFolderItems reports a Delete", async () => {
    const a = emulator.mail.receive(MAILBOX, { subject: 'weg' });
    const b = emulator.mail.receive(MAILBOX, { subject: 'Papierkorb' });
    const first = await postSoap(
      ews,
      `${SOAP_OPEN}<SyncFolderItems xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"><ItemShape><t:BaseShape>IdOnly</t:BaseShape></ItemShape><SyncFolderId><t:DistinguishedFolderId Id="inbox"/></SyncFolderId><MaxChangesReturned>10</MaxChangesReturned></SyncFolderItems>${SOAP_CLOSE}`,
    );
    const state = text(messages(first.body)[0], 'SyncState') ?? '';
    const hard = messages((await postSoap(ews, deleteMessage(a.id))).body)[0];
    expect(hard?.attrs['ResponseClass']).toBe('Success');
    expect(hard?.children.map((c) => c.name)).toEqual(['ResponseCode']);
    await postSoap(ews, deleteMessage(b.id, 'MoveToDeletedItems'));
    expect(emulator.mail.messages(MAILBOX).map((m) => [m.data.subject, m.folder])).toEqual([
      ['Papierkorb', 'deleteditems'],
    ]);
    const next = await postSoap(
      ews,
      `${SOAP_OPEN}<SyncFolderItems xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"><ItemShape><t:BaseShape>IdOnly</t:BaseShape></ItemShape><SyncFolderId><t:DistinguishedFolderId Id="inbox"/></SyncFolderId><SyncState>${state}</SyncState><MaxChangesReturned>10</MaxChangesReturned></SyncFolderItems>${SOAP_CLOSE}`,
    );
    const deletes = children(child(messages(next.body)[0], 'Changes'), 'Delete').map(
      (d) => child(d, 'ItemId')?.attrs['Id'],
    );
    expect(deletes).toEqual([a.id, b.id]);
    const gone = messages((await postSoap(ews, deleteMessage(a.id))).body)[0];
    expect(text(gone, 'ResponseCode')).toBe('ErrorItemNotFound');
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the admin API's JSON, read field by field in the assertions.
type Json = any;

function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, emulator.url),
      { method, ca: emulator.caPem, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: data ? JSON.parse(data) : null }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('the mail admin API over HTTP', () => {
  it('delivers mail from outside and between mailboxes, and plays the Outlook user (move: a new id; delete: into Deleted Items)', async () => {
    emulator.admin.createMailbox({ smtp: 'ben@contoso.example', user: 'ben' });
    const received = await admin('POST', `/_emulator/mailboxes/${MAILBOX}/messages/receive`, {
      from: { address: 'kunde@kunde.example', name: 'Kunde' },
      subject: 'Anfrage',
      body: { type: 'Text', content: 'Guten Tag' },
    });
    expect(received.status).toBe(201);
    expect(received.json.internetMessageId).toMatch(/^<.+@kunde\.example>$/);
    const bad = await admin('POST', `/_emulator/mailboxes/${MAILBOX}/messages/receive`, { subject: 7 });
    expect(bad.status).toBe(400);

    const sent = await admin('POST', `/_emulator/mailboxes/${MAILBOX}/sendmail`, {
      to: [{ address: 'ben@contoso.example' }],
      bcc: [{ address: 'geheim@kunde.example' }],
      subject: 'Termin',
    });
    expect(sent.status).toBe(201);
    expect(sent.json.delivered).toEqual([{ smtp: 'ben@contoso.example', id: expect.any(String) }]);
    const bens = emulator.mail.messages('ben@contoso.example');
    const annas = emulator.mail.messages(MAILBOX);
    const copy = annas.find((m) => m.folder === 'sentitems');
    expect(bens[0]?.data.internetMessageId).toBe(copy?.data.internetMessageId);
    expect(bens[0]?.data.conversationId).toBe(copy?.data.conversationId);
    expect(copy?.data.bcc).toEqual([{ address: 'geheim@kunde.example' }]);
    expect(bens[0]?.data.bcc).toEqual([]);

    const folder = await admin('POST', `/_emulator/mailboxes/${MAILBOX}/mailfolders`, {
      displayName: 'Kunden',
    });
    expect(folder.status).toBe(201);
    const moved = await admin(
      'POST',
      `/_emulator/mailboxes/${MAILBOX}/messages/${encodeURIComponent(received.json.id)}/move`,
      {
        folder: folder.json.id,
      },
    );
    expect(moved.status).toBe(200);
    expect(moved.json.id).not.toBe(received.json.id);
    const deleted = await admin(
      'DELETE',
      `/_emulator/mailboxes/${MAILBOX}/messages/${encodeURIComponent(moved.json.id)}`,
    );
    expect(deleted.json.folderId).toBe(emulator.admin.folderId(MAILBOX, 'deleteditems'));
    expect(
      (await admin('DELETE', `/_emulator/mailboxes/${MAILBOX}/messages/${encodeURIComponent(moved.json.id)}`))
        .status,
    ).toBe(404);
    const listed = await admin('GET', `/_emulator/mailboxes/${MAILBOX}/messages`);
    expect(listed.json.map((m: { folder: string }) => m.folder).sort()).toEqual([
      'deleteditems',
      'sentitems',
    ]);
  });
});
