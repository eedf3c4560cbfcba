import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used by this process and by its Azurite child (read from /proc on Linux), so a
 * scenario can say where the machine's time went: the product and emulators here, or storage.
 */
export interface CpuSeconds {
  process: number;
  azurite: number;
  /** Azurite's two services apart (local/azurite.ts runs each in a process of its own). */
  azuriteTable: number;
  azuriteQueue: number;
}

function azuritePids(service = ''): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('azurite') && cmdline.includes(service)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks (100/s)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export function cpuNow(): CpuSeconds {
  const usage = process.cpuUsage();
  return {
    process: (usage.user + usage.system) / 1e6,
    azurite: azuritePids().reduce((sum, pid) => sum + procCpuSeconds(pid), 0),
    azuriteTable: azuritePids('/table/').reduce((sum, pid) => sum + procCpuSeconds(pid), 0),
    azuriteQueue: azuritePids('/queue/').reduce((sum, pid) => sum + procCpuSeconds(pid), 0),
  };
}

export function cpuSince(start: CpuSeconds): CpuSeconds {
  const end = cpuNow();
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    process: round(end.process - start.process),
    azurite: round(end.azurite - start.azurite),
    azuriteTable: round(end.azuriteTable - start.azuriteTable),
    azuriteQueue: round(end.azuriteQueue - start.azuriteQueue),
  };
}
