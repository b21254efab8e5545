// Root fields of each area, imported for their side effects.
import './dataCenter.ts';
import './cluster.ts';
import './host.ts';
import './storage.ts';
import './network.ts';
import './vm.ts';
import './audit.ts';
import './auth.ts';
import './users.ts';
import './monitoring.ts';
import './ovf.ts';
import './snapshot.ts';
import './template.ts';
import './disk.ts';
import './vmLifecycle.ts';
import './hostMaintenance.ts';
import './console.ts';
