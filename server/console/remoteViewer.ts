// The connection file a console client opens (virt-viewer's remote-viewer, as oVirt's console.vv):
// where the VM's console listens, with a one-time password that expires on the host.

export interface ConsoleEndpoint {
  protocol: 'VNC' | 'SPICE';
  address: string;
  port: number;
  tlsPort: number | null;
  /** VNC over WebSocket (browser clients such as noVNC); null when the host offers none. */
  websocketPort?: number | null;
}

/** Characters that would end a line or a key=value pair in the file. */
const UNSAFE = /[\r\n\0]/g;

export function remoteViewerFile(c: ConsoleEndpoint & { vmName: string; password: string }): string {
  const line = (k: string, v: string | number) => `${k}=${String(v).replace(UNSAFE, ' ')}`;
  const lines = [
    '[virt-viewer]',
    line('type', c.protocol.toLowerCase()),
    line('host', c.address),
    line('port', c.port),
    ...(c.tlsPort !== null ? [line('tls-port', c.tlsPort)] : []),
    line('password', c.password),
    // remote-viewer deletes the file once read: the password is in it.
    line('delete-this-file', 1),
    line('title', `${c.vmName}:%d`),
    line('toggle-fullscreen', 'shift+f11'),
    line('release-cursor', 'shift+f12'),
    line('secure-attention', 'ctrl+alt+end'),
  ];
  return `${lines.join('\n')}\n`;
}

/** The address a console client dials: the one the host reported, or the host's own when it listens on all. */
export function consoleAddress(reported: string, hostAddress: string): string {
  return reported === '' || reported === '0.0.0.0' || reported === '::' ? hostAddress : reported;
}
