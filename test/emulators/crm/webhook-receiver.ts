import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny webhook receiver for tests: records every delivery and answers with `nextStatus()`. */
export interface ReceivedDelivery {
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** Status codes to answer with, in order; 200 once they run out. */
  failWith(statuses: number[]): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let planned: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        headers: {
          'x-crm-timestamp': req.headers['x-crm-timestamp'] as string | undefined,
          'x-crm-signature': req.headers['x-crm-signature'] as string | undefined,
          'content-type': req.headers['content-type'],
        },
        rawBody: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(planned.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/crm-events`,
    received,
    failWith: (statuses) => {
      planned = [...statuses];
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
