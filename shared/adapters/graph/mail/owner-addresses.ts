import { z } from 'zod';
import { smtpAddresses } from '../../../mail/addresses.js';
import { api, callGraph, type GraphCaller } from '../graph-call.js';
import { withQuery } from '../graph-paths.js';
import { mailPaths } from './mail-paths.js';

/**
 * The mailbox owner's own addresses: every SMTP entry of `proxyAddresses` (returned only on
 * `$select`, user resource) and `mail`. They set the direction of a message and never link.
 */
const userSchema = z
  .object({
    mail: z.string().nullable().optional(),
    proxyAddresses: z.array(z.string()).nullable().optional(),
  })
  .loose();

export async function ownerAddresses(graph: GraphCaller, mailbox: string): Promise<string[]> {
  const user = await callGraph(
    graph,
    mailbox,
    'GET /users/{m}?$select=mail,proxyAddresses',
    (client) => api(client, withQuery(mailPaths.user(mailbox), { $select: 'mail,proxyAddresses' })).get(),
    userSchema,
  );
  return smtpAddresses(user.proxyAddresses ?? [], user.mail);
}
