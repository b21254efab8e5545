// A VDSM hook installed on a host, as its agent reported it in its hello.
import { builder } from '../builder.ts';

export interface HostHook {
  event: string;
  name: string;
  checksum: string;
}

export const HostHookRef = builder.objectRef<HostHook>('HostHook').implement({
  description: "An executable in the host agent's hooks folder, run at its event (VDSM's hooks).",
  fields: (t) => ({
    event: t.exposeString('event', { description: 'The event folder: before_vm_start, after_vm_destroy…' }),
    name: t.exposeString('name', { description: 'The file name; hooks of an event run in name order.' }),
    checksum: t.exposeString('checksum', { description: 'SHA-256 of the file.' }),
  }),
});

/** The hooks in a host's stored capabilities (none before its agent said hello). */
export function hostHooks(capabilities: unknown): HostHook[] {
  const hooks = (capabilities as { hooks?: unknown } | null)?.hooks;
  return Array.isArray(hooks) ? (hooks as HostHook[]) : [];
}
