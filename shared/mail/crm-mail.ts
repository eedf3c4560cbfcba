import { z } from 'zod';
import { visibilitySchema } from './settings.js';

/**
 * The CRM's Email resource (issue 17, item 3; DESIGN section 7): one per tenant and
 * internetMessageId. Validated by the CRM emulator on PUT and by the REST adapter on every
 * answer. The CRM's contact e-mail *address* type is `CrmEmail` (shared/contact); this is
 * the message, hence `CrmMail`.
 */

const instant = z.iso.datetime({ offset: true });

export const crmMailParticipantSchema = z
  .object({
    role: z.enum(['from', 'to', 'cc', 'bcc']),
    address: z.string().min(3).max(320),
    name: z.string().max(500).nullable(),
    contactId: z.string().min(1).nullable(),
  })
  .strict();

export const crmMailAttachmentSchema = z
  .object({
    name: z.string().max(500),
    contentType: z.string().max(200),
    size: z.number().int().nonnegative(),
  })
  .strict();

export const crmMailMailboxSchema = z
  .object({ accountId: z.string().min(1), folder: z.string().min(1).max(500) })
  .strict();

/** The body of `PUT /crm/v1/emails/{key}`: everything but the key, which the path names. */
const crmMailFields = {
  internetMessageId: z.string().min(1).max(2000),
  conversationId: z.string().max(2000).nullable(),
  direction: z.enum(['incoming', 'outgoing']),
  /** Null when the visibility hides it. */
  subject: z.string().max(10_000).nullable(),
  sentAt: instant.nullable(),
  receivedAt: instant.nullable(),
  bodyPreview: z.string().max(1000).nullable(),
  bodyText: z.string().max(1_000_000).nullable(),
  hasAttachments: z.boolean(),
  attachments: z.array(crmMailAttachmentSchema).max(500),
  participants: z.array(crmMailParticipantSchema).min(1).max(2000),
  contactIds: z.array(z.string().min(1)).min(1).max(2000),
  mailboxes: z.array(crmMailMailboxSchema).max(1000),
  visibility: visibilitySchema,
};

function consistentContacts(
  mail: { contactIds: string[]; participants: { contactId: string | null }[] },
  context: z.RefinementCtx,
): void {
  if (new Set(mail.contactIds).size !== mail.contactIds.length) {
    context.addIssue({ code: 'custom', path: ['contactIds'], message: 'contactIds must be unique' });
  }
  const listed = new Set(mail.contactIds);
  mail.participants.forEach((participant, index) => {
    if (participant.contactId !== null && !listed.has(participant.contactId)) {
      context.addIssue({
        code: 'custom',
        path: ['participants', index, 'contactId'],
        message: 'a participant names a contact missing from contactIds',
      });
    }
  });
}

export const crmMailInputSchema = z.object(crmMailFields).strict().superRefine(consistentContacts);

export const crmMailSchema = z
  .object({ key: z.string().min(1), ...crmMailFields })
  .strict()
  .superRefine(consistentContacts);

export type CrmMailInput = z.infer<typeof crmMailInputSchema>;
export type CrmMail = z.infer<typeof crmMailSchema>;
export type CrmMailParticipant = z.infer<typeof crmMailParticipantSchema>;
export type CrmMailMailbox = z.infer<typeof crmMailMailboxSchema>;
