import azf from '@azure/functions';
import { FUNCTION_DEFINITIONS, hostRoute } from './definitions.js';
import { batchThenOneByOne } from './queue-workers.js';

/**
 * The entry point of the Azure Functions host: registers every definition. Queues are
 * session-enabled Service Bus queues (one session per account = one writer per account);
 * timer schedules come from app settings (`%NAME%`), so they are configuration.
 */
const { app } = azf;

app.setup({ enableHttpStream: true });

for (const definition of FUNCTION_DEFINITIONS) {
  switch (definition.trigger) {
    case 'http':
      app.http(definition.name, {
        methods: definition.methods,
        route: hostRoute(definition),
        authLevel: 'anonymous',
        handler: definition.handler,
      });
      break;
    case 'queue': {
      const { handler, handleBatch } = definition;
      const common = {
        connection: 'SERVICEBUS_CONNECTION',
        queueName: definition.queue,
        isSessionsEnabled: true,
      };
      // A batch trigger gets the waiting messages of one session (host.json maxMessageBatchSize).
      if (handleBatch)
        app.serviceBusQueue(definition.name, {
          ...common,
          cardinality: 'many',
          handler: (messages, context) =>
            batchThenOneByOne(messages as unknown[], context, handleBatch, handler),
        });
      else app.serviceBusQueue(definition.name, { ...common, handler });
      break;
    }
    case 'timer':
      app.timer(definition.name, {
        schedule: `%${definition.scheduleSetting}%`,
        handler: definition.handler,
      });
      break;
  }
}
