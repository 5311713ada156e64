import net from 'node:net';

/** A request the proxy answered itself while refusing (see {@link TcpProxy.refuse}). */
export interface RefusedRequest {
  /** The request path without the query. */
  path: string;
  /** `performance.now()` when the request arrived. */
  at: number;
}

/**
 * A TCP proxy on 127.0.0.1 in front of another loopback server, that a test can take down (every
 * open connection cut, new ones refused) and bring back on the same port: a network outage as the
 * client sees it, with the server behind it untouched. Or it can `refuse`: cut every connection
 * and answer each new HTTP request with 503 itself, noting when it came — an upstream that is
 * reachable but failing, whose clients' retries can be counted.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private refusing = false;
  /** Every request answered with 503 while refusing, in arrival order. */
  readonly refused: RefusedRequest[] = [];

  private constructor(private readonly target: { host: string; port: number }, public port: number) {}

  static async start(targetUrl: string): Promise<TcpProxy> {
    const url = new URL(targetUrl);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port) }, 0);
    await proxy.up();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.server = net.createServer(client => {
      if (this.refusing) {
        this.answer503(client);
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>(resolve => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Cuts every open connection and answers new requests with 503 until {@link TcpProxy.forward}. */
  refuse(): void {
    this.refusing = true;
    this.sockets.forEach(s => s.destroy());
  }

  /** Forwards new connections again after {@link TcpProxy.refuse}. */
  forward(): void {
    this.refusing = false;
  }

  private answer503(client: net.Socket) {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = '';
    client.on('data', chunk => {
      if (head.includes('\r\n')) return;
      head += chunk.toString('latin1');
      const line = head.split('\r\n', 1)[0];
      if (!head.includes('\r\n')) return;
      const target = line.split(' ')[1] ?? '';
      this.refused.push({ path: target.split('?')[0], at: performance.now() });
      client.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.sockets.forEach(s => s.destroy());
    if (server) await new Promise(resolve => server.close(resolve));
  }
}
