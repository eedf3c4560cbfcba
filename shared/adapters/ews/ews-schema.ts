/**
 * What the EWS types schema (types.xsd, Exchange 2010 SP1 and later) fixes about a contact:
 * the order of its child elements (ItemType's, then ContactItemType's; xs:sequence, so any
 * other order fails ErrorSchemaValidation) and the enumerations of the indexed keys.
 * learn.microsoft.com/exchange/client-developer/web-service-reference/contact,
 * …/entry-emailaddress ("EmailAddress1", "EmailAddress2", "EmailAddress3"),
 * …/entry-phonenumber (PhoneNumberKeyType), …/entry-physicaladdress (Home, Business, Other).
 */
export const CONTACT_ELEMENT_ORDER = [
  'MimeContent',
  'ItemId',
  'ParentFolderId',
  'ItemClass',
  'Subject',
  'Sensitivity',
  'Body',
  'Attachments',
  'DateTimeReceived',
  'Size',
  'Categories',
  'Importance',
  'InReplyTo',
  'IsSubmitted',
  'IsDraft',
  'IsFromMe',
  'IsResend',
  'IsUnmodified',
  'InternetMessageHeaders',
  'DateTimeSent',
  'DateTimeCreated',
  'ResponseObjects',
  'ReminderDueBy',
  'ReminderIsSet',
  'ReminderMinutesBeforeStart',
  'DisplayCc',
  'DisplayTo',
  'HasAttachments',
  'ExtendedProperty',
  'Culture',
  'EffectiveRights',
  'LastModifiedName',
  'LastModifiedTime',
  'FileAs',
  'FileAsMapping',
  'DisplayName',
  'GivenName',
  'Initials',
  'MiddleName',
  'Nickname',
  'CompleteName',
  'CompanyName',
  'EmailAddresses',
  'PhysicalAddresses',
  'PhoneNumbers',
  'AssistantName',
  'Birthday',
  'BusinessHomePage',
  'Children',
  'Companies',
  'ContactSource',
  'Department',
  'Generation',
  'ImAddresses',
  'JobTitle',
  'Manager',
  'Mileage',
  'OfficeLocation',
  'PostalAddressIndex',
  'Profession',
  'SpouseName',
  'Surname',
  'WeddingAnniversary',
] as const;

export const EMAIL_KEYS = ['EmailAddress1', 'EmailAddress2', 'EmailAddress3'] as const;
export const PHONE_KEYS = [
  'AssistantPhone',
  'BusinessFax',
  'BusinessPhone',
  'BusinessPhone2',
  'Callback',
  'CarPhone',
  'CompanyMainPhone',
  'HomeFax',
  'HomePhone',
  'HomePhone2',
  'Isdn',
  'MobilePhone',
  'OtherFax',
  'OtherTelephone',
  'Pager',
  'PrimaryPhone',
  'RadioPhone',
  'Telex',
  'TtyTddPhone',
] as const;
export const ADDRESS_KEYS = ['Home', 'Business', 'Other'] as const;
/** PhysicalAddressDictionaryEntryType's sequence. */
export const ADDRESS_PARTS = ['Street', 'City', 'State', 'CountryOrRegion', 'PostalCode'] as const;

/** Plain string fields of a contact the sync reads or writes, by their FieldURI. */
export const CONTACT_FIELD_URIS: Record<string, string> = {
  FileAs: 'contacts:FileAs',
  DisplayName: 'contacts:DisplayName',
  GivenName: 'contacts:GivenName',
  MiddleName: 'contacts:MiddleName',
  CompanyName: 'contacts:CompanyName',
  Birthday: 'contacts:Birthday',
  BusinessHomePage: 'contacts:BusinessHomePage',
  Department: 'contacts:Department',
  JobTitle: 'contacts:JobTitle',
  Surname: 'contacts:Surname',
  Body: 'item:Body',
  LastModifiedTime: 'item:LastModifiedTime',
  ItemClass: 'item:ItemClass',
};

/**
 * PidTagDisplayNamePrefix (0x3A45, "Dr.", "Prof."): EWS has no settable element for a contact's
 * title (CompleteName is read-only, createitem-operation-contact "Remarks"), so it is written as
 * the MAPI property, as Outlook stores it.
 */
export const TITLE_PROPERTY = { PropertyTag: '0x3A45', PropertyType: 'String' } as const;
/** PR_ATTR_HIDDEN (0x10F4): folders Outlook does not show (the Recipient Cache, …). */
export const HIDDEN_PROPERTY = { PropertyTag: '0x10F4', PropertyType: 'Boolean' } as const;
/** The CRM link marker: the same named property the Graph adapter writes (link-marker.ts). */
export const LINK_PROPERTY_SET_ID = '8f3c2a71-5d4e-4b9a-a6c1-2e7f90d3b845';
export const LINK_PROPERTY = {
  PropertySetId: LINK_PROPERTY_SET_ID,
  PropertyName: 'SyncLinkId',
  PropertyType: 'String',
} as const;

/** The key an ExtendedFieldURI's attributes are stored under (the emulator and the reader agree on it). */
export function extendedKey(attrs: Record<string, string>): string {
  const tag = attrs['PropertyTag'];
  if (tag !== undefined) return `tag:${Number.parseInt(tag, 16)}`;
  const set = (attrs['PropertySetId'] ?? attrs['DistinguishedPropertySetId'] ?? '').toLowerCase();
  return `name:${set}:${attrs['PropertyName'] ?? attrs['PropertyId'] ?? ''}`;
}
