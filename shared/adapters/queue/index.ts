export { decodeQueueMessage, encodeQueueMessage, type PoisonRecord } from './queue-codec.js';
export { type MessageSender, type SenderFactory, ServiceBusQueue } from './service-bus-queue.js';
export type { ConsumerHandle, ConsumerLog, ConsumerOptions } from './storage-queue-consumer.js';
export {
  POISON_SUFFIX,
  StorageQueueTransport,
  type StorageQueueTransportOptions,
} from './storage-queue-transport.js';
export { validateQueueMessage } from './validate-message.js';
