export { autodiscoverCandidates, discoverEwsUrl, fallbackEwsUrl } from './autodiscover.js';
export { classifyEwsError, EwsThrottledError } from './classify-ews-error.js';
export { birthdayFromEws, fromEwsContact, toEwsContact, toEwsUpdates } from './contact-mapping.js';
export type { EwsDeltaPage } from './contact-sync.js';
export { type EwsCredentials, EwsTransport, type EwsTransportOptions, splitLogin } from './ews-transport.js';
export {
  type EwsConnection,
  EwsExchangeContacts,
  type EwsExchangeContactsOptions,
} from './exchange-contacts.js';
