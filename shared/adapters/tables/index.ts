export { decodeKey, encodeKey } from './key-encoding.js';
export { TableAccounts, type TableAccountsOptions } from './table-accounts.js';
export { TableLease, type TableLeaseOptions } from './table-lease.js';
export { TableMirror, type TableMirrorClients, type TableMirrorOptions } from './table-mirror.js';
export { TABLE_NAMES, type TableRole } from './table-names.js';
