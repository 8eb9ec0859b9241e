// A minimal SMTP client for the integration tests of the network itself (not the product's
// probe): replies parsed per RFC 5321 §4.2 (ddd-text continuations, ddd text last line),
// bounded in line length, line count and time; STARTTLS upgrade with node:tls (RFC 3207).
import net from 'node:net';
import tls from 'node:tls';

export interface Reply {
  code: number;
  lines: string[];
}

const MAX_LINE = 2048;
const MAX_LINES = 500;

export class SmtpTestClient {
  private buffer = '';
  private waiters: (() => void)[] = [];
  private closed = false;

  private constructor(private socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.buffer += c.toString('latin1');
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(address: string, port = 25, timeoutMs = 3000): Promise<SmtpTestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect ${address}:${port}: timeout`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new SmtpTestClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private nextLine(deadline: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        const nl = this.buffer.indexOf('\n');
        if (nl >= 0) {
          const line = this.buffer.slice(0, nl).replace(/\r$/, '');
          this.buffer = this.buffer.slice(nl + 1);
          if (line.length > MAX_LINE) reject(new Error('line too long'));
          else resolve(line);
          return;
        }
        if (this.buffer.length > MAX_LINE) return reject(new Error('line too long'));
        if (this.closed) return reject(new Error('connection closed'));
        const left = deadline - Date.now();
        if (left <= 0) return reject(new Error('timeout waiting for a reply'));
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== go);
          reject(new Error('timeout waiting for a reply'));
        }, left);
        const go = (): void => {
          clearTimeout(timer);
          attempt();
        };
        this.waiters.push(go);
      };
      attempt();
    });
  }

  async readReply(timeoutMs = 3000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    const lines: string[] = [];
    for (;;) {
      const line = await this.nextLine(deadline);
      const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!m) throw new Error(`not an SMTP reply line: ${JSON.stringify(line.slice(0, 80))}`);
      lines.push(m[3] ?? '');
      if (m[2] !== '-') return { code: Number(m[1]), lines };
      if (lines.length >= MAX_LINES) throw new Error(`too many lines in one reply (${MAX_LINES})`);
    }
  }

  async command(line: string, timeoutMs = 3000): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.readReply(timeoutMs);
  }

  /** After a 220 to STARTTLS: the handshake, trusting nothing (we only look at what is presented). */
  startTls(servername: string, timeoutMs = 3000): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ socket: this.socket, servername, rejectUnauthorized: false });
      const timer = setTimeout(() => {
        secure.destroy();
        reject(new Error('TLS handshake timeout'));
      }, timeoutMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(secure);
      });
      secure.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
