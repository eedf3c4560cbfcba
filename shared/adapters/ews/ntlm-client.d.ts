/** Types for @ewsjs/ntlm-client 3.0.1 (the package ships none): the three functions it exports. */
declare module '@ewsjs/ntlm-client' {
  export interface Type2Message {
    flags: number;
    encoding: 'ascii' | 'ucs2';
    version: 1 | 2;
    challenge: Buffer;
    targetName: string;
    targetInfo?: { parsed: Record<string, string>; buffer: Buffer };
  }
  export function createType1Message(workstation?: string, target?: string): string;
  export function decodeType2Message(header: string): Type2Message;
  export function createType3Message(
    type2: Type2Message,
    username: string,
    password: string,
    workstation?: string,
    target?: string,
  ): string;
}
declare module 'js-md4' {
  const md4: { arrayBuffer(data: Uint8Array | string): ArrayBuffer };
  export default md4;
}
