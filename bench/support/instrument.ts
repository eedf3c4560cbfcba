import type { RunningStack } from '../../local/stack.js';
import { cpuNow, cpuSince } from './cpu.js';
import { azuriteOrigins, countTraffic } from './traffic.js';

/** Outgoing requests of this process by destination, plus CPU seconds here and in Azurite. */
export function instrument(stack: RunningStack) {
  const traffic = countTraffic({
    ...azuriteOrigins(stack.env.STORAGE_CONNECTION ?? ''),
    graph: stack.graph.url,
    crm: stack.crm.url,
    host: stack.host.url,
  });
  const cpu = cpuNow();
  return {
    stop() {
      return { traffic: traffic.stop(), cpuSeconds: cpuSince(cpu) };
    },
  };
}
