/** The pure contact core: Exchange limits, phone canonicalisation, projection, merge, hash. */
export * from './crm-contact.js';
export * from './exchange-contact.js';
export { crmFromExchange, exchangeFieldsOf, toGraphBody } from './from-exchange.js';
export { contentHash, diffFields, fieldsEqual } from './hash.js';
export { EXCHANGE_LIMITS, type ExchangeLimit } from './limits.js';
export { merge } from './merge.js';
export { EMPTY_FIELDS } from './normalise.js';
export { type CanonicalPhone, canonicalPhone, type PhoneRejection } from './phone.js';
export { projectToExchange } from './project.js';
export type {
  Conflict,
  KeptBack,
  KeptBackReason,
  MergeInput,
  MergeResult,
  Projection,
  SlotMap,
} from './types.js';
