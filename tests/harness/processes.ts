// Child daemons of the test network (nsd, unbound): each spawned in its own process group, so
// that stopping it by PID also stops the workers it forked. PIDs are recorded in a state file,
// so a run that was killed hard (SIGKILL, crash) is cleaned up by the next one, and they are
// stopped on exit, SIGINT and SIGTERM of this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where the PIDs of the running network are noted (one network per machine: fixed addresses). */
export const STATE_FILE = join(tmpdir(), 'mta-sts-testnet.pids.json');

interface StateEntry {
  pid: number;
  /** The process that started it: a daemon whose owner still runs is not stale. */
  owner: number;
  /** A string that must appear in /proc/<pid>/cmdline, so a recycled PID is never killed. */
  marker: string;
}

const live = new Map<number, { child: ChildProcess; marker: string }>();
let hooksInstalled = false;

function writeState(): void {
  const entries: StateEntry[] = [...live.entries()].map(([pid, v]) => ({ pid, owner: process.pid, marker: v.marker }));
  if (entries.length) writeFileSync(STATE_FILE, JSON.stringify(entries));
  else rmSync(STATE_FILE, { force: true });
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/** Running and not a zombie (a container's PID 1 may never reap). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Stop daemons left behind by an earlier run that could not clean up (checked by command line). */
export function killStale(): number {
  if (!existsSync(STATE_FILE)) return 0;
  let killed = 0;
  try {
    const entries = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as StateEntry[];
    for (const e of entries) {
      if (typeof e.owner === 'number' && e.owner !== process.pid && isRunning(e.owner)) {
        throw new Error(
          `another test network is running (owner pid ${e.owner}, see ${STATE_FILE}); stop it first, or attach to it with MTA_STS_TESTNET_INFO`,
        );
      }
      if (typeof e.pid === 'number' && typeof e.marker === 'string' && cmdlineOf(e.pid)?.includes(e.marker)) {
        killGroup(e.pid, 'SIGKILL');
        killed++;
      }
      // The marker is a config file inside the dead run's work folder: remove that folder too.
      const dir = dirname(String(e.marker));
      if (dir.startsWith(join(tmpdir(), 'mta-sts-testnet-'))) rmSync(dir, { recursive: true, force: true });
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('another test network')) throw e;
    // unreadable state: nothing we can safely kill
  }
  rmSync(STATE_FILE, { force: true });
  return killed;
}

function stopAllNow(): void {
  for (const pid of live.keys()) killGroup(pid, 'SIGKILL');
  live.clear();
  writeState();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', stopAllNow);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stopAllNow();
      // Re-raise so the process still ends the way the signal meant (no handler is left for it).
      process.kill(process.pid, sig);
    });
  }
}

export interface Daemon {
  pid: number;
  child: ChildProcess;
  /** Collected stderr+stdout (capped), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Start a daemon in the foreground mode of its own process group. `marker` appears in its arguments. */
export function startDaemon(command: string, args: string[], marker: string, cwd: string): Daemon {
  installHooks();
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer): void => {
    if (out.length < 64_000) out += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  live.set(pid, { child, marker });
  writeState();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    live.delete(pid);
    writeState();
  });
  return {
    pid,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
