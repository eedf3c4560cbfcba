import { signCrmEvent } from '../../../shared/adapters/crm/signature.js';
import type { CrmEvent } from '../../../shared/contact/crm-contact.js';

export interface Webhook {
  url: string;
  secret: string;
}

const DELIVERY_TIMEOUT_MS = 5_000;

/** One signed POST of an event body; never throws (any failure is a retryable outcome). */
export async function deliverOnce(
  webhook: Webhook,
  body: string,
  now: Date,
): Promise<{ ok: boolean; detail: string }> {
  const timestamp = Math.floor(now.getTime() / 1000);
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-crm-timestamp': String(timestamp),
        'x-crm-signature': signCrmEvent(webhook.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.arrayBuffer(); // drain, so the connection can be reused
    return { ok: response.ok, detail: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : 'network error' };
  }
}

export interface DeliveryRecord {
  eventId: string;
  type: CrmEvent['type'];
  url: string;
  attempt: number;
  outcome: string;
}

/** Every delivery attempt, most recent 1000, for assertions on retries. */
export class DeliveryLog {
  private records: DeliveryRecord[] = [];

  add(record: DeliveryRecord): void {
    this.records.push(record);
    if (this.records.length > 1000) this.records.shift();
  }

  list(): DeliveryRecord[] {
    return [...this.records];
  }

  clear(): void {
    this.records = [];
  }
}
