import { accountsContract } from '../integration/tables/accounts.contract.js';
import { InMemoryAccounts } from './in-memory-accounts.js';

accountsContract('InMemoryAccounts', () => new InMemoryAccounts());
