import { inject } from 'vitest';
import {
  type EwsEmulatorOptions,
  type RunningEwsEmulator,
  startEwsEmulator,
} from '../../../local/emulators/ews/index.js';
import { EwsTransport } from '../../../shared/adapters/ews/ews-transport.js';
import { child, NS, parseXml, type XmlElement } from '../../../shared/adapters/ews/xml.js';

export const MAILBOX = 'anna@contoso.example';
export const PASSWORD = 'S3cret-Anna!';

export async function startEws(
  options: Omit<EwsEmulatorOptions, 'tlsDir'> = {},
): Promise<RunningEwsEmulator> {
  return startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0, ...options });
}

export function seedMailbox(emulator: RunningEwsEmulator): void {
  emulator.admin.reset();
  emulator.admin.createMailbox({ smtp: MAILBOX, user: 'anna', domain: 'CONTOSO', password: PASSWORD });
}

export function transportFor(
  emulator: RunningEwsEmulator,
  username = 'CONTOSO\\anna',
  password = PASSWORD,
): EwsTransport {
  return new EwsTransport({ url: emulator.ewsUrl, credentials: { username, password }, ca: emulator.caPem });
}

/** Posts a whole SOAP document as a page shows it and returns the status and the parsed Body's first child. */
export async function postSoap(
  transport: EwsTransport,
  xml: string,
): Promise<{ status: number; body: XmlElement; raw: string }> {
  const answer = await transport.post(xml);
  const root = parseXml(answer.body);
  const body = child(root, 'Body', NS.soap)?.children[0];
  if (!body) throw new Error(`no SOAP body: ${answer.body}`);
  return { status: answer.status, body, raw: answer.body };
}

/** The response messages of an operation response. */
export function messages(response: XmlElement): XmlElement[] {
  return child(response, 'ResponseMessages', NS.messages)?.children ?? [];
}

export function text(element: XmlElement | undefined, ...names: string[]): string | undefined {
  let current = element;
  for (const name of names) current = child(current, name);
  return current?.text;
}

export const SOAP_OPEN =
  '<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><soap:Body>';
export const SOAP_CLOSE = '</soap:Body></soap:Envelope>';
