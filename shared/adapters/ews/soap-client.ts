import { SyncError } from '../../errors.js';
import { ewsError } from './classify-ews-error.js';
import type { EwsTransport } from './ews-transport.js';
import { child, children, NS, parseXml, path, type XmlElement } from './xml.js';

/**
 * One EWS call: wraps the operation in a SOAP 1.1 envelope, posts it, and returns the response
 * messages, each with its ResponseClass. A fault (ErrorServerBusy, ErrorSchemaValidation, …)
 * and a non-XML answer become SyncErrors here; per-message errors are left to the caller,
 * because in a batch one item may fail while the others succeed.
 */
export interface ResponseMessage {
  ok: boolean;
  code: string;
  text: string;
  element: XmlElement;
}

/** Exchange 2010 SP1: the oldest version with everything used here, served by every later one. */
const VERSION = 'Exchange2010_SP1';

export function soapEnvelope(operationXml: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:t="${NS.types}" xmlns:m="${NS.messages}">` +
    `<soap:Header><t:RequestServerVersion Version="${VERSION}"/></soap:Header>` +
    `<soap:Body>${operationXml}</soap:Body></soap:Envelope>`
  );
}

export async function callEws(
  transport: EwsTransport,
  operation: string,
  operationXml: string,
): Promise<ResponseMessage[]> {
  const answer = await transport.post(soapEnvelope(operationXml));
  let root: XmlElement;
  try {
    root = parseXml(answer.body);
  } catch {
    throw new SyncError(
      'transient',
      `Http${answer.status}`,
      `${operation}: Exchange answered HTTP ${answer.status} without SOAP.`,
      { status: answer.status },
    );
  }
  const body = child(root, 'Body', NS.soap);
  const fault = child(body, 'Fault', NS.soap);
  if (fault) throw faultError(operation, fault);
  const response = child(body, `${operation}Response`, NS.messages);
  if (!response)
    throw new SyncError(
      'transient',
      'UnexpectedResponse',
      `${operation}: no ${operation}Response in the answer.`,
    );
  return children(child(response, 'ResponseMessages', NS.messages)).map((element) => ({
    ok: element.attrs['ResponseClass'] !== 'Error',
    code: child(element, 'ResponseCode', NS.messages)?.text.trim() ?? '',
    text: child(element, 'MessageText', NS.messages)?.text.trim() ?? '',
    element,
  }));
}

/** Throws the message's error when it is not a success (and not a Warning, which EWS counts as done). */
export function orThrow(operation: string, message: ResponseMessage | undefined): XmlElement {
  if (!message) throw new SyncError('transient', 'UnexpectedResponse', `${operation}: no response message.`);
  if (!message.ok) throw ewsError(message.code, message.text, operation);
  return message.element;
}

function faultError(operation: string, fault: XmlElement): SyncError {
  const detail = child(fault, 'detail');
  const code =
    child(detail, 'ResponseCode', NS.errors)?.text.trim() ??
    (child(fault, 'faultcode')?.text.trim().split(':').pop() || 'SoapFault');
  const text = child(fault, 'faultstring')?.text.trim() ?? '';
  const backOff = children(path(detail, 'MessageXml')).find((v) => v.attrs['Name'] === 'BackOffMilliseconds');
  const ms = backOff ? Number.parseInt(backOff.text, 10) : Number.NaN;
  return ewsError(code, text, operation, Number.isFinite(ms) ? ms : undefined);
}
