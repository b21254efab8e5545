// Carries out one engine command on the driver.
import type { AgentCommand } from '../protocol/messages.ts';
import type { HypervisorDriver } from './driver.ts';

export async function runCommand(driver: HypervisorDriver, command: AgentCommand): Promise<void> {
  switch (command.type) {
    case 'start': return driver.start(command.spec, { incomingMigration: command.incomingMigration, restoreState: command.restoreState });
    case 'destroy': return driver.destroy(command.vmId);
    case 'shutdown': return driver.shutdown(command.vmId);
    case 'pause': return driver.pause(command.vmId);
    case 'resume': return driver.resume(command.vmId);
    case 'migrate': return driver.migrate(command.vmId, command.destination);
    case 'cancelMigration': return driver.cancelMigration(command.vmId);
    case 'reboot': return driver.reboot(command.vmId);
    case 'hibernate': return driver.hibernate(command.vmId);
    case 'snapshot': return driver.snapshot(command.vmId, command.description);
    case 'setTicket': return driver.setTicket(command.vmId, command.password, command.validSeconds);
  }
}
