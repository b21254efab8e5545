// The operating systems a VM or template may name, for forms and tools to offer (the same list
// osType is checked against).
import { builder } from '../schema/builder.ts';
import { OPERATING_SYSTEMS } from '../server/validators/operatingSystems.ts';

builder.queryField('operatingSystems', (t) =>
  t.stringList({
    description: "The osType values a VM or template may name (oVirt's OS names: rhel_9x64, windows_2022…), in the engine's order.",
    resolve: () => [...OPERATING_SYSTEMS],
  }),
);
