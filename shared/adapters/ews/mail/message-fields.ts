/**
 * What the mail rules read of a message over EWS, as FieldURIs (the GetItem ItemShape's
 * AdditionalProperties; fielduri.md's UnindexedFieldURIType values), the counterpart of the
 * Graph adapter's MESSAGE_SELECT: the body is fetched in a second step, only for linked mail.
 * SyncFolderItems "cannot return properties like Body or Attachments" (syncfolderitems-operation.md,
 * Remarks), so its pages are IdOnly and the fields come from GetItem.
 */
export const MESSAGE_FIELDS = [
  'item:ItemClass',
  'item:Subject',
  'item:DateTimeReceived',
  'item:Categories',
  'item:IsDraft',
  'item:InternetMessageHeaders',
  'item:DateTimeSent',
  'item:HasAttachments',
  'item:ParentFolderId',
  'item:ConversationId',
  'message:Sender',
  'message:ToRecipients',
  'message:CcRecipients',
  'message:BccRecipients',
  'message:From',
  'message:InternetMessageId',
] as const;

const fieldUris = (uris: readonly string[]) => uris.map((u) => `<t:FieldURI FieldURI="${u}"/>`).join('');

export const METADATA_SHAPE = `<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>${fieldUris(MESSAGE_FIELDS)}</t:AdditionalProperties></m:ItemShape>`;

/** The text body (BodyType Text: Exchange converts HTML) and the attachments' metadata (no content: that is GetAttachment). */
export const CONTENT_SHAPE = `<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:BodyType>Text</t:BodyType><t:AdditionalProperties>${fieldUris(['item:Body', 'item:Attachments'])}</t:AdditionalProperties></m:ItemShape>`;
