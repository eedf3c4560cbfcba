import { describe, expect, it } from 'vitest';
import { rawMessage } from '../../../shared/adapters/ews/mail/message-mapping.js';
import { parseXml } from '../../../shared/adapters/ews/xml.js';
import { isCalendarMessage } from '../../../shared/mail/exclusions.js';
import { parseDeltaEntry } from '../../../shared/mail/message.js';

/** The pure shape conversion of an EWS message (message-ex15websvcsotherref.md) into what the mail rules read. */
const T = 'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"';

describe('rawMessage', () => {
  it('maps recipients, headers, categories and the ConversationId; an X.500 (EX) address is left out as Graph leaves it out', () => {
    const raw = rawMessage(
      parseXml(`<t:Message ${T}><t:ItemId Id="AAMk1" ChangeKey="CQA"/><t:ItemClass>IPM.Note</t:ItemClass><t:Subject>Angebot</t:Subject>
        <t:DateTimeReceived>2026-11-30T08:00:00Z</t:DateTimeReceived><t:Categories><t:String>Kunde</t:String></t:Categories>
        <t:IsDraft>false</t:IsDraft><t:InternetMessageHeaders><t:InternetMessageHeader HeaderName="Precedence">bulk</t:InternetMessageHeader></t:InternetMessageHeaders>
        <t:DateTimeSent>2026-11-30T07:59:58Z</t:DateTimeSent><t:HasAttachments>true</t:HasAttachments><t:ConversationId Id="AAQk9"/>
        <t:ToRecipients><t:Mailbox><t:Name>Eva</t:Name><t:EmailAddress>/O=MAKLER/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=EVA</t:EmailAddress><t:RoutingType>EX</t:RoutingType></t:Mailbox>
        <t:Mailbox><t:EmailAddress>kunde@kunde.example</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:ToRecipients>
        <t:From><t:Mailbox><t:Name>Max</t:Name><t:EmailAddress>max@makler.example</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:From>
        <t:InternetMessageId>&lt;1@makler.example&gt;</t:InternetMessageId></t:Message>`),
    );
    expect(raw).toEqual({
      id: 'AAMk1',
      '@odata.type': '#microsoft.graph.message',
      '@odata.etag': 'CQA',
      internetMessageId: '<1@makler.example>',
      conversationId: 'AAQk9',
      from: { emailAddress: { name: 'Max', address: 'max@makler.example' } },
      toRecipients: [
        { emailAddress: { name: 'Eva', address: null } },
        { emailAddress: { address: 'kunde@kunde.example' } },
      ],
      subject: 'Angebot',
      sentDateTime: '2026-11-30T07:59:58Z',
      receivedDateTime: '2026-11-30T08:00:00Z',
      hasAttachments: true,
      categories: ['Kunde'],
      isDraft: false,
      internetMessageHeaders: [{ name: 'Precedence', value: 'bulk' }],
    });
    expect(parseDeltaEntry(raw).kind).toBe('message');
  });

  it('types meeting requests, responses and cancellations by ItemClass (itemclass.md) as the rules know them', () => {
    const cls = (itemClass: string, element = 'Message') =>
      parseDeltaEntry(
        rawMessage(
          parseXml(
            `<t:${element} ${T}><t:ItemId Id="A"/><t:ItemClass>${itemClass}</t:ItemClass></t:${element}>`,
          ),
        ),
      );
    const calendar = (itemClass: string, element?: string) => {
      const entry = cls(itemClass, element);
      return entry.kind === 'message' && isCalendarMessage(entry.message);
    };
    expect(calendar('IPM.Schedule.Meeting.Request', 'MeetingRequest')).toBe(true);
    expect(calendar('IPM.Schedule.Meeting.Resp.Pos', 'MeetingResponse')).toBe(true);
    expect(calendar('IPM.Schedule.Meeting.Canceled', 'MeetingCancellation')).toBe(true);
    expect(calendar('IPM.Note')).toBe(false);
    expect(calendar('IPM.Note.SMIME')).toBe(false);
  });

  it('a message without an ItemId is invalid, never synced', () => {
    expect(
      parseDeltaEntry(rawMessage(parseXml(`<t:Message ${T}><t:Subject>x</t:Subject></t:Message>`))).kind,
    ).toBe('invalid');
  });
});
