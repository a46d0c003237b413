// How much CPU this test's browser got, and how much the rest of the machine took, over a span
// of wall time: read from Linux's /proc, the same whatever the load. A speed-up test on a shared
// machine needs both: our threads' CPU time says what the app used, and the CPU time the rest
// of the machine used in the same span says whether the cores were ours to use (the kernel's
// own counters, /proc/stat and each thread's /proc/PID/task/TID/schedstat).

import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks a second in /proc/stat (USER_HZ: 100 on every Linux this runs on). */
const USER_HZ = 100;

/** The pids of every process descended from `root` (the browser this test started, and its helpers). */
function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // (the command name, in parentheses, may hold spaces: the fields after its last ')')
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // (gone since the listing)
    }
  }
  const out = [];
  const todo = [...(children.get(root) ?? [])];
  while (todo.length) {
    const pid = todo.pop();
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Each thread of our descendants: its nanoseconds on a CPU, by `pid/tid`. */
function ourThreads() {
  const threads = new Map();
  for (const pid of descendants(process.pid)) {
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const [onCpu] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
        threads.set(`${pid}/${tid}`, onCpu);
      } catch {
        // (gone)
      }
    }
  }
  return threads;
}

/** Seconds every CPU of the machine spent busy (steal included: a hypervisor's share is not ours). */
function machineBusy() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

/** A reading to measure a span from: `since(reading)` gives what happened after it. */
export function cpuReading() {
  return { wall: performance.now(), machine: machineBusy(), threads: ourThreads() };
}

/**
 * What happened since `start` (a `cpuReading`): `wall` seconds, `ours` the CPU seconds our
 * browser's threads used (threads started since count from 0), and `others` the CPU seconds the
 * rest of the machine used, each also as cores on average (`oursCores`, `othersCores`), and
 * `busiest`, our threads' CPU seconds, the busiest first (a Web Worker is a thread of its own).
 */
export function since(start) {
  const end = cpuReading();
  const wall = (end.wall - start.wall) / 1e3;
  const each = [...end.threads].map(([id, ns]) => (ns - (start.threads.get(id) ?? 0)) / 1e9);
  const ours = each.reduce((a, b) => a + b, 0);
  const others = Math.max(0, end.machine - start.machine - ours);
  const busiest = each.sort((a, b) => b - a);
  return { wall, ours, others, oursCores: ours / wall, othersCores: others / wall, busiest };
}

/** Tasks wanting a CPU now, this reader among them (`procs_running` in /proc/stat). */
function runnable() {
  return Number(readFileSync('/proc/stat', 'utf8').match(/^procs_running (\d+)/m)[1]);
}

/**
 * Waits, up to `timeoutMs`, for a second in which, on average, no more than `maxOthers` tasks
 * besides this reader wanted a CPU (sampled ten times); returns the last second's average. What
 * the rest of the machine *used* while the browser idles says nothing (a build takes every free
 * core); how many of its tasks were waiting to run says whether it will want the cores.
 */
export async function quietSecond(maxOthers, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let sum = 0;
    for (let i = 0; i < 10; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      sum += runnable() - 1;
    }
    if (sum / 10 <= maxOthers || Date.now() > deadline) return sum / 10;
  }
}
