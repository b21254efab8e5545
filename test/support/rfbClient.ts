// A small RFB (VNC) client over WebSocket, as a browser console would connect to QEMU's
// WebSocket port: reads the banner and, given a password, does VNC authentication (DES
// challenge) and reads ServerInit. Run with `node --openssl-legacy-provider` (DES).
//   rfbClient.ts ws://127.0.0.1:5700 [PASSWORD]   exit 0: ok, 2: authentication refused or closed, 1: other
import { createCipheriv } from 'node:crypto';
import WebSocket from 'ws';

const [url, password] = process.argv.slice(2) as [string, string | undefined];
let buffer = Buffer.alloc(0);
let wake: (() => void) | null = null;

function read(n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${n} bytes from the server within 10 s`)), 10_000);
    const attempt = () => {
      if (buffer.length < n) return;
      clearTimeout(timer);
      wake = null;
      const out = buffer.subarray(0, n);
      buffer = buffer.subarray(n);
      resolve(out);
    };
    wake = attempt;
    attempt();
  });
}

function finish(code: number, message: string): never {
  console.log(message);
  process.exit(code);
}

/** VNC's DES key: the password's first 8 bytes, each with its bits reversed. */
function vncKey(pw: string): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(pw, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let b = key[i]!;
    let r = 0;
    for (let j = 0; j < 8; j++) {
      r = (r << 1) | (b & 1);
      b >>= 1;
    }
    key[i] = r;
  }
  return key;
}

const ws = new WebSocket(url, ['binary']); // QEMU's WebSocket server speaks the "binary" subprotocol
ws.binaryType = 'nodebuffer';
ws.on('message', (data: Buffer) => {
  buffer = Buffer.concat([buffer, data]);
  wake?.();
});
ws.on('error', (e) => finish(1, `websocket error: ${e.message}`));
// A proxy that refuses (the engine's console proxy) closes with its code and reason before any RFB.
ws.on('close', (code, reason) => finish(2, `closed by the server: ${code} ${reason.toString()}`));
ws.on('open', async () => {
  try {
    const banner = (await read(12)).toString();
    if (!banner.startsWith('RFB ')) finish(1, `not an RFB server: ${JSON.stringify(banner)}`);
    if (!password) finish(0, `banner ${banner.trim()}`);
    ws.send(Buffer.from('RFB 003.008\n'));
    const count = (await read(1))[0]!;
    if (count === 0) finish(1, 'the server refused the connection');
    const types = [...(await read(count))];
    if (!types.includes(2)) finish(1, `no VNC authentication offered (security types ${types.join(',')})`);
    ws.send(Buffer.from([2]));
    const challenge = await read(16);
    const cipher = createCipheriv('des-ecb', vncKey(password), null);
    cipher.setAutoPadding(false);
    ws.send(Buffer.concat([cipher.update(challenge), cipher.final()]));
    if ((await read(4)).readUInt32BE(0) !== 0) finish(2, `banner ${banner.trim()}; authentication refused`);
    ws.send(Buffer.from([1])); // ClientInit, shared
    const init = await read(24);
    const name = (await read(init.readUInt32BE(20))).toString();
    finish(0, `banner ${banner.trim()}; authenticated; desktop ${init.readUInt16BE(0)}x${init.readUInt16BE(2)} "${name}"`);
  } catch (e) {
    finish(1, (e as Error).message);
  }
});
