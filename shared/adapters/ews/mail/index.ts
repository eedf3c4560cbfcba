export { EwsExchangeMail, type EwsExchangeMailOptions, ewsMailFor } from './ews-exchange-mail.js';
export { rawMessage } from './message-mapping.js';
export type { EwsMailDeltaPage } from './message-sync.js';
export {
  type ConnectMailbox,
  connectOnPremises,
  type EwsMailboxConnection,
  EwsTransports,
} from './transports.js';
