// The agent's one connection to the engine (graphql-ws): hello + full report on every
// (re)connect, a report every interval, and engine commands arriving on a subscription.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { AGENT_COMMAND_RESULT, AGENT_COMMANDS, AGENT_HELLO, AGENT_MEMORY_EVENTS, AGENT_REPORT } from '../protocol/operations.ts';
import type { z } from 'zod';
import {
  CommandEnvelope,
  MemoryPolicy,
  MemoryVm,
  NetworkLayout,
  PROTOCOL_VERSION,
  type AgentHello,
  type AgentReport,
  type CommandResult,
} from '../protocol/messages.ts';
import { DomainConnection } from '../protocol/storage.ts';
import type { HypervisorDriver } from './driver.ts';
import { runCommand } from './commands.ts';
import type { StorageDriver } from './storage/storageDriver.ts';
import { FileStorage } from './storage/fileStorage.ts';
import { MemoryManager } from './mom/memoryManager.ts';
import { VmLeases } from './leases/vmLeases.ts';

export interface AgentOptions {
  /**
   * The engine's GraphQL endpoint, http(s):// or ws(s)://; or several engines' (sharing one
   * database and Redis): the agent starts with one picked by its host name and, whenever its
   * connection drops or cannot be made, tries the next.
   */
  engineUrl: string | string[];
  hostName: string;
  token: string;
  driver: HypervisorDriver;
  /** The host's storage (image verbs); default: file domains with qemu-img, new disks holding the hypervisor's first blocks. */
  storage?: StorageDriver;
  intervalMs?: number;
  agentVersion?: string;
  log?: (message: string) => void;
  /** Called when the engine has answered a report, with the time from sampling to the answer. */
  onReported?: (ms: number) => void;
  /** Least time between two rounds of MOM, the memory manager (default 2 s). */
  memoryIntervalMs?: number;
}

export interface Agent {
  stop(): Promise<void>;
}

/** The engine URLs of `--engine` (repeated, or comma-separated), without blanks. */
export function engineList(urls: string | string[]): string[] {
  const list = (Array.isArray(urls) ? urls : [urls])
    .flatMap((u) => u.split(','))
    .map((u) => u.trim())
    .filter(Boolean);
  if (!list.length) throw new Error('no engine URL given');
  return list;
}

/** Which of `count` engines a host's agent tries first: the same one each time, hosts spread over them. */
export function firstEngine(hostName: string, count: number): number {
  let h = 0;
  for (const c of hostName) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % count;
}

/** Waits 0.5 s, 1 s, 2 s … up to 30 s between attempts, each randomised by up to half. */
export function backoffMs(retries: number, random = Math.random): number {
  const ceiling = Math.min(30_000, 500 * 2 ** retries);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function startAgent(opts: AgentOptions): Agent {
  const log = opts.log ?? ((m: string) => console.log(`[agent ${opts.hostName}] ${m}`));
  const intervalMs = opts.intervalMs ?? 2000;
  const auth = { host: opts.hostName, token: opts.token };
  const storage = opts.storage ?? new FileStorage({ firstBlocks: opts.driver.newDiskContent?.bind(opts.driver) });
  let connected = false;
  let stopped = false;
  let seq = 0;
  let reporting: Promise<void> | null = null;
  let again = false;
  // MOM: balloons and KSM by the cluster's policy (the hello's answer and setMemoryPolicy carry it).
  const memory = new MemoryManager(opts.driver, {
    report: async (events) => {
      await send(AGENT_MEMORY_EVENTS, { events });
    },
    ...(opts.memoryIntervalMs !== undefined ? { intervalMs: opts.memoryIntervalMs } : {}),
    log,
  });
  // VM leases: taken before a VM with one starts, renewed while it runs (sanlock's part).
  const leases = new VmLeases(opts.hostName, opts.driver, log);
  // A restarted agent goes on renewing the leases of the VMs still running here (or kills them, if too late).
  void leases.resume().catch((e: Error) => log(`could not resume the VM leases: ${e.message}`));
  const engines = engineList(opts.engineUrl);
  // Agents spread over the engines by host name; each new connection attempt goes to the next one.
  let attempt = firstEngine(opts.hostName, engines.length) - 1;
  let engineUrl = engines[0]!;

  const client: Client = createClient({
    url: () => {
      attempt = (attempt + 1) % engines.length;
      engineUrl = engines[attempt]!;
      return engineUrl.replace(/^http/, 'ws');
    },
    webSocketImpl: WebSocket,
    // Who the socket is, at connection_init: the engine counts sockets without it against their address.
    connectionParams: auth,
    lazy: false,
    keepAlive: 5000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => !stopped,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
    onNonLazyError: () => {
      /* retried forever; errors are logged by the closed handler */
    },
    on: {
      connected: () => {
        connected = true;
        log(engines.length > 1 ? `connected to ${engineUrl}` : 'connected');
        void hello();
      },
      closed: () => {
        if (connected) log('connection lost, reconnecting');
        connected = false;
      },
    },
  });

  async function send(query: string, payload: unknown): Promise<Record<string, unknown>> {
    for await (const result of client.iterate({ query, variables: { ...auth, payload: JSON.stringify(payload) } })) {
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
      return (result.data ?? {}) as Record<string, unknown>;
    }
    throw new Error('no response');
  }

  /** Tells the engine what the host is; returns the network layout the engine wants back on it, if any. */
  async function sendHello(networkSetupError?: string): Promise<NetworkLayout | null> {
    const message: z.input<typeof AgentHello> = {
      protocolVersion: PROTOCOL_VERSION,
      agentVersion: opts.agentVersion ?? '0.1.0',
      capabilities: await opts.driver.capabilities(),
      ...(networkSetupError ? { networkSetupError } : {}),
    };
    const answer = (await send(AGENT_HELLO, message)).agentHello as
      | { networkLayout?: string | null; storageDomains?: string | null; memoryPolicy?: string | null; memoryVms?: string | null }
      | undefined;
    if (answer?.memoryPolicy) memory.setPolicy(MemoryPolicy.parse(JSON.parse(answer.memoryPolicy)));
    // The VMs the engine has here, those this agent did not start included (it was restarted): MOM manages them all.
    if (answer?.memoryVms) for (const vm of MemoryVm.array().parse(JSON.parse(answer.memoryVms))) memory.track(vm);
    // The storage domains of the host's data center: connected (and watched with every report) from now on.
    if (answer?.storageDomains)
      await storage.connectStorageDomains(
        { type: 'connectStorageDomains', domains: DomainConnection.array().parse(JSON.parse(answer.storageDomains)) },
        { engineUrl },
      );
    return answer?.networkLayout ? NetworkLayout.parse(JSON.parse(answer.networkLayout)) : null;
  }

  async function hello() {
    try {
      // A host that lost its network configuration (nothing persisted it) gets the last layout back.
      const layout = await sendHello();
      if (layout) {
        log('the engine sent back the network layout; applying it');
        // A refusal goes to the engine with the next hello (it becomes an event there), not only to this log.
        const refused = await opts.driver.setupNetworks(layout).then(
          () => undefined,
          (err: Error) => err.message,
        );
        if (refused) log(`the network layout was refused: ${refused}`);
        await sendHello(refused);
      }
      report(); // full state right away, so the engine reconciles after a reconnect
    } catch (err) {
      log(`hello refused: ${(err as Error).message}`);
    }
  }

  /** Sends a report now, or right after the one in flight. */
  function report() {
    if (reporting !== null) {
      again = true;
      return;
    }
    reporting = (async () => {
      do {
        again = false;
        if (!connected || stopped) break;
        try {
          const sampled = performance.now();
          const stats = await opts.driver.stats();
          memory.observe(stats);
          const storageDomains = await storage.domainHealth();
          const message: AgentReport = {
            seq: seq++,
            sampledAt: new Date().toISOString(),
            host: stats.host,
            domains: stats.domains,
            ...(stats.hypervisorError ? { hypervisorError: stats.hypervisorError } : {}),
            ...(storageDomains.length ? { storageDomains } : {}),
          };
          await send(AGENT_REPORT, message);
          opts.onReported?.(performance.now() - sampled);
        } catch (err) {
          log(`report failed: ${(err as Error).message}`);
        }
      } while (again);
    })().finally(() => {
      reporting = null;
    });
  }

  async function listen() {
    let failures = 0;
    while (!stopped) {
      try {
        for await (const result of client.iterate({ query: AGENT_COMMANDS, variables: auth })) {
          failures = 0;
          if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
          const envelope = CommandEnvelope.parse(JSON.parse(String((result.data as { agentCommands: string }).agentCommands)));
          void execute(envelope);
        }
      } catch (err) {
        if (!stopped) log(`command channel: ${(err as Error).message}`);
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, backoffMs(failures++)));
    }
  }

  async function execute({ id, command }: CommandEnvelope) {
    log(`command ${command.type}${'vmId' in command ? ` ${command.vmId}` : 'spec' in command ? ` ${command.spec.name}` : ''}`);
    let result: CommandResult;
    try {
      const value = await runCommand(opts.driver, storage, leases, command, { engineUrl });
      if (command.type === 'start') memory.track(command.spec);
      if (command.type === 'setMemoryPolicy') memory.setPolicy(command.policy);
      // The engine stores the network layout the host reports, so it hears it before the result.
      if (command.type === 'setupNetworks') await sendHello();
      result = { id, ok: true, ...(value === undefined ? {} : { value }) };
    } catch (err) {
      result = { id, ok: false, error: (err as Error).message };
    }
    try {
      await send(AGENT_COMMAND_RESULT, result);
    } catch (err) {
      log(`could not return result of ${id}: ${(err as Error).message}`);
    }
    if (command.type === 'restartAgent') restart();
    else report();
  }

  /** Soft fencing: whatever hangs is dropped and the connection starts over (hello, full report), as a restarted agent would. */
  function restart() {
    log('restarting (asked by the engine)');
    opts.driver.restart?.();
    reporting = null;
    again = false;
    client.terminate(); // graphql-ws reconnects at once: hello and a full report follow
  }

  const unsubscribe = opts.driver.onEvent(() => report());
  const timer = setInterval(report, intervalMs);
  void listen();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      leases.stop(); // an agent that stops renews no lease: they expire

      unsubscribe();
      await reporting;
      await memory.idle();
      // graphql-ws waits for a connection attempt in flight, and rejects with its error when the engine refused it:
      // there is nothing left to close then.
      await Promise.resolve(client.dispose()).catch(() => {});
    },
  };
}
