import { json, type RouteArgs } from '../context.js';
import type { Route } from '../router.js';
import { mailboxFor } from './lookup.js';

/**
 * `GET /users/{id}/mailboxSettings` and `…/mailboxSettings/timeZone`, shaped as in "Get user
 * mailbox settings": the whole settings object, or `{ value }` for one setting. The time zone
 * is a Windows name ("W. Europe Standard Time"), as Exchange stores it; working hours carry
 * the same zone.
 */
function settings(args: RouteArgs) {
  const mailbox = mailboxFor(args.env, args.caller, args.params['m'] ?? '');
  const german = mailbox.timeZone === 'W. Europe Standard Time';
  return json(200, {
    '@odata.context': `${args.env.origin}/v1.0/$metadata#users('${mailbox.id}')/mailboxSettings`,
    archiveFolder: null,
    timeZone: mailbox.timeZone,
    automaticRepliesSetting: {
      status: 'disabled',
      externalAudience: 'all',
      internalReplyMessage: '',
      externalReplyMessage: '',
      scheduledStartDateTime: { dateTime: '2024-01-01T08:00:00.0000000', timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: '2024-01-02T08:00:00.0000000', timeZone: 'UTC' },
    },
    language: german
      ? { locale: 'de-DE', displayName: 'Deutsch (Deutschland)' }
      : { locale: 'en-US', displayName: 'English (United States)' },
    workingHours: {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000',
      endTime: '17:00:00.0000000',
      timeZone: { name: mailbox.timeZone },
    },
    dateFormat: german ? 'dd.MM.yyyy' : 'M/d/yyyy',
    timeFormat: 'HH:mm',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    userPurpose: 'user',
  });
}

function timeZone(args: RouteArgs) {
  const mailbox = mailboxFor(args.env, args.caller, args.params['m'] ?? '');
  return json(200, {
    '@odata.context': `${args.env.origin}/v1.0/$metadata#users('${mailbox.id}')/mailboxSettings/timeZone`,
    value: mailbox.timeZone,
  });
}

export const mailboxSettingsRoutes: Route[] = [
  { method: 'GET', template: '/users/{m}/mailboxSettings', handler: settings },
  { method: 'GET', template: '/users/{m}/mailboxSettings/timeZone', handler: timeZone },
];
