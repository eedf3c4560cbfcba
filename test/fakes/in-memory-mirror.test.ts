import { mirrorContract } from '../integration/tables/mirror.contract.js';
import { InMemoryMirror } from './in-memory-mirror.js';

mirrorContract('InMemoryMirror', () => new InMemoryMirror());
