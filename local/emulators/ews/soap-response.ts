import { el, esc } from '../../../shared/adapters/ews/xml.js';

/**
 * Exchange's answers, shaped as the EWS reference pages show them (a ServerVersionInfo header,
 * the operation's response element with `m:`/`t:` prefixes, one response message per
 * requested item with its own ResponseClass) and faults as Exchange really sends them.
 */
export interface EwsHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const HEADER =
  '<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header>';

export function envelope(operation: string, messages: string[]): EwsHttpResponse {
  return {
    status: 200,
    body:
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">' +
      HEADER +
      `<s:Body><m:${operation}Response xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">` +
      `<m:ResponseMessages>${messages.join('')}</m:ResponseMessages></m:${operation}Response></s:Body></s:Envelope>`,
  };
}

export function success(operation: string, inner = ''): string {
  return `<m:${operation}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${inner}</m:${operation}ResponseMessage>`;
}

/** An error message: MessageText, ResponseCode, DescriptiveLinkKey (ResponseMessageType's order), then `extra`. */
export function failure(operation: string, code: string, text: string, extra = '', messageXml = ''): string {
  return (
    `<m:${operation}ResponseMessage ResponseClass="Error">${el('m:MessageText', text)}` +
    `<m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>` +
    (messageXml ? `<m:MessageXml>${messageXml}</m:MessageXml>` : '') +
    `${extra}</m:${operation}ResponseMessage>`
  );
}

/**
 * A SOAP fault, HTTP 500. Exchange writes `faultcode` and `faultstring` unqualified (SOAP 1.1
 * section 4.4) with an Exchange code as QName (`a:ErrorSchemaValidation`), as captured from
 * a real server in mguessan/davmail#161; the UpdateItem (Contact) page's example writes
 * `<soap:faultcode>Client</soap:faultcode>`, which no SOAP 1.1 server sends: corrected here.
 */
export function fault(code: string, text: string, messageXml = ''): EwsHttpResponse {
  return {
    status: 500,
    body:
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>' +
      `<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:${code}</faultcode>` +
      `<faultstring xml:lang="en-US">${esc(text)}</faultstring><detail>` +
      `<e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${code}</e:ResponseCode>` +
      `<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${esc(text)}</e:Message>` +
      (messageXml
        ? `<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">${messageXml}</t:MessageXml>`
        : '') +
      '</detail></s:Fault></s:Body></s:Envelope>',
  };
}

export class SchemaError extends Error {}

/** A valid request Exchange still refuses: one Error response message with this code. */
export class MessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function schemaFault(detail: string): EwsHttpResponse {
  return fault('ErrorSchemaValidation', `The request failed schema validation: ${detail}`);
}

/** The fault the UpdateItem (Contact) page shows for `EmailAddress4`, for any enumeration. */
export function enumerationError(value: string, type: string): SchemaError {
  return new SchemaError(
    `The 'Key' attribute is invalid - The value '${value}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:${type}' - The Enumeration constraint failed.`,
  );
}

/** ErrorServerBusy as a throttled Exchange sends it: a fault with BackOffMilliseconds in MessageXml. */
export function serverBusy(backOffMs: number): EwsHttpResponse {
  return fault(
    'ErrorServerBusy',
    'The server cannot service this request right now. Try again later.',
    `<t:Value Name="BackOffMilliseconds">${backOffMs}</t:Value>`,
  );
}
