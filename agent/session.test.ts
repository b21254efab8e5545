// The agent stops cleanly whatever the engine is doing, even in the middle of a connection attempt the engine refuses.
import net from 'node:net';
import { expect, it } from 'vitest';
import { SimulatedHypervisor } from './drivers/simulated.ts';
import { startAgent } from './session.ts';

/** A loopback port nothing listens on: connecting to it is refused. */
async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('stops while a connection attempt to an engine that is down is being refused', async () => {
  const agent = startAgent({
    engineUrl: `http://127.0.0.1:${await refusedPort()}/graphql`,
    hostName: 'lonely',
    token: 'unused',
    driver: new SimulatedHypervisor({ hostName: 'lonely' }),
    log: () => {},
  });
  await expect(agent.stop()).resolves.toBeUndefined();
});
