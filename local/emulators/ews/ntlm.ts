import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import md4 from 'js-md4';

/**
 * The server half of NTLM as [MS-NLMP] defines it: a CHALLENGE_MESSAGE (type 2) answering a
 * NEGOTIATE_MESSAGE (type 1), and the check of the AUTHENTICATE_MESSAGE (type 3). Only NTLMv2
 * responses are accepted (Exchange's default LmCompatibilityLevel refuses v1):
 * NTOWFv2 = HMAC_MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) + domain)),
 * NTProofStr = HMAC_MD5(NTOWFv2, serverChallenge + blob) (MS-NLMP 3.3.2).
 */
const SIGNATURE = Buffer.from('NTLMSSP\0', 'ascii');
export const FLAGS = {
  unicode: 0x1,
  oem: 0x2,
  requestTarget: 0x4,
  ntlm: 0x200,
  alwaysSign: 0x8000,
  targetTypeDomain: 0x10000,
  extendedSessionSecurity: 0x80000,
  targetInfo: 0x800000,
} as const;

export interface Challenge {
  challenge: Buffer;
  unicode: boolean;
  header: string;
}

export interface Authenticate {
  user: string;
  domain: string;
  workstation: string;
  ntResponse: Buffer;
}

export function readMessageType(token: Buffer): number | null {
  if (token.length < 12 || !token.subarray(0, 8).equals(SIGNATURE)) return null;
  return token.readUInt32LE(8);
}

/** Type 2: the domain as target, the AV pairs a Windows server sends, a fresh 8-byte challenge. */
export function createChallenge(negotiate: Buffer, domain: string, server: string, now: Date): Challenge {
  const unicode = negotiate.length >= 16 && (negotiate.readUInt32LE(12) & FLAGS.unicode) !== 0;
  const challenge = randomBytes(8);
  const target = Buffer.from(domain.toUpperCase(), unicode ? 'utf16le' : 'latin1');
  const info = Buffer.concat([
    avPair(2, domain.toUpperCase()),
    avPair(1, server.toUpperCase()),
    avPair(4, `${domain.toLowerCase()}.local`),
    avPair(3, `${server.toLowerCase()}.${domain.toLowerCase()}.local`),
    timestampPair(now),
    Buffer.from([0, 0, 0, 0]),
  ]);
  const flags =
    (unicode ? FLAGS.unicode : FLAGS.oem) |
    FLAGS.requestTarget |
    FLAGS.ntlm |
    FLAGS.alwaysSign |
    FLAGS.targetTypeDomain |
    FLAGS.extendedSessionSecurity |
    FLAGS.targetInfo;
  const head = Buffer.alloc(48);
  SIGNATURE.copy(head, 0);
  head.writeUInt32LE(2, 8);
  writeSecBuf(head, 12, target.length, 48);
  head.writeUInt32LE(flags >>> 0, 20);
  challenge.copy(head, 24);
  writeSecBuf(head, 40, info.length, 48 + target.length);
  const message = Buffer.concat([head, target, info]);
  return { challenge, unicode, header: `NTLM ${message.toString('base64')}` };
}

export function parseAuthenticate(token: Buffer, unicode: boolean): Authenticate | null {
  if (readMessageType(token) !== 3 || token.length < 52) return null;
  const field = (offset: number) => {
    const length = token.readUInt16LE(offset);
    const start = token.readUInt32LE(offset + 4);
    if (start + length > token.length) return null;
    return token.subarray(start, start + length);
  };
  const nt = field(20);
  const domain = field(28);
  const user = field(36);
  const workstation = field(44);
  if (!nt || !domain || !user || !workstation) return null;
  const encoding = unicode ? 'utf16le' : 'latin1';
  return {
    ntResponse: Buffer.from(nt),
    domain: domain.toString(encoding),
    user: user.toString(encoding),
    workstation: workstation.toString(encoding),
  };
}

/** True when the NTLMv2 response was computed from `password` for this challenge. */
export function verifyNtlmV2(auth: Authenticate, challenge: Buffer, password: string): boolean {
  if (auth.ntResponse.length <= 24) return false; // a 24-byte NT response is NTLMv1: refused
  const ntHash = Buffer.from(md4.arrayBuffer(Buffer.from(password, 'utf16le')));
  const ntowfv2 = createHmac('md5', ntHash)
    .update(Buffer.from(auth.user.toUpperCase() + auth.domain, 'utf16le'))
    .digest();
  const proof = auth.ntResponse.subarray(0, 16);
  const blob = auth.ntResponse.subarray(16);
  const expected = createHmac('md5', ntowfv2)
    .update(Buffer.concat([challenge, blob]))
    .digest();
  return timingSafeEqual(proof, expected);
}

function avPair(id: number, value: string): Buffer {
  const data = Buffer.from(value, 'utf16le');
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
}

function timestampPair(now: Date): Buffer {
  const pair = Buffer.alloc(12);
  pair.writeUInt16LE(7, 0);
  pair.writeUInt16LE(8, 2);
  // FILETIME: 100 ns ticks since 1601-01-01.
  pair.writeBigUInt64LE((BigInt(now.getTime()) + 11_644_473_600_000n) * 10_000n, 4);
  return pair;
}

function writeSecBuf(buffer: Buffer, offset: number, length: number, start: number): void {
  buffer.writeUInt16LE(length, offset);
  buffer.writeUInt16LE(length, offset + 2);
  buffer.writeUInt32LE(start, offset + 4);
}
