/**
 * Debian's icecast2 as a child process for end-to-end tests: a config written to a temp folder
 * (loopback only, logs on stderr, Debian's web and admin pages), a master or a relay of one,
 * started, killed and started again. Icecast refuses to run as root, so as root the config
 * has it change to `nobody`; otherwise it runs as the test's user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** icecast2's path (Debian puts it in /usr/bin), or undefined where it is not installed. */
export function findIcecast(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  return dirs.map((dir) => path.join(dir, 'icecast2')).find((file) => path.isAbsolute(file) && existsSync(file));
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface IcecastOptions {
  /** A temp folder for the config (and the logdir Icecast insists on). */
  dir: string;
  name: string;
  port: number;
  sourcePassword: string;
  /** Makes this Icecast a relay of `mount` on the master at this port (always on, ICY titles passed on). */
  relayOf?: { port: number; mount: string };
}

/** The first of Debian's folders that exists (the package has moved them between releases). */
function firstExisting(...dirs: string[]): string {
  return dirs.find((dir) => existsSync(dir)) ?? dirs[0];
}

export function icecastXml(options: IcecastOptions): string {
  const root = process.getuid?.() === 0;
  const group = root ? spawnSync('id', ['-gn', 'nobody'], { encoding: 'utf8' }).stdout.trim() || 'nogroup' : '';
  const relay = options.relayOf
    ? [
        // A relay whose attempt failed (the master's mount not there yet: 404) tries again after
        // master-update-interval (default 120 s); one whose stream ended, within a second (slave.c).
        '  <master-update-interval>1</master-update-interval>',
        '  <relay>',
        '    <server>127.0.0.1</server>',
        `    <port>${options.relayOf.port}</port>`,
        `    <mount>${options.relayOf.mount}</mount>`,
        `    <local-mount>${options.relayOf.mount}</local-mount>`,
        '    <on-demand>0</on-demand>',
        '    <relay-shoutcast-metadata>1</relay-shoutcast-metadata>',
        '  </relay>',
      ]
    : [];
  return [
    '<icecast>',
    `  <location>wavecast test ${options.name}</location>`,
    '  <admin>test@localhost</admin>',
    '  <hostname>127.0.0.1</hostname>',
    '  <limits><clients>50</clients><sources>4</sources><source-timeout>10</source-timeout><burst-size>65535</burst-size></limits>',
    '  <authentication>',
    `    <source-password>${options.sourcePassword}</source-password>`,
    '    <admin-user>admin</admin-user>',
    `    <admin-password>${options.sourcePassword}-admin</admin-password>`,
    '  </authentication>',
    ...relay,
    `  <listen-socket><port>${options.port}</port><bind-address>127.0.0.1</bind-address></listen-socket>`,
    '  <fileserve>1</fileserve>',
    '  <paths>',
    `    <basedir>${options.dir}</basedir>`,
    `    <logdir>${options.dir}</logdir>`,
    `    <webroot>${firstExisting('/usr/share/icecast2/web', '/etc/icecast2/web')}</webroot>`,
    `    <adminroot>${firstExisting('/usr/share/icecast2/admin', '/etc/icecast2/admin')}</adminroot>`,
    '  </paths>',
    // "-": both logs to stderr, which the test keeps (no log files to own as nobody).
    '  <logging><accesslog>-</accesslog><errorlog>-</errorlog><loglevel>3</loglevel></logging>',
    '  <security>',
    '    <chroot>0</chroot>',
    ...(root ? [`    <changeowner><user>nobody</user><group>${group}</group></changeowner>`] : []),
    '  </security>',
    '</icecast>',
    '',
  ].join('\n');
}

/** One icecast2 process, with its output kept for the test's messages. */
export class Icecast2 {
  readonly options: IcecastOptions;
  readonly #program: string;
  readonly #config: string;
  #child: ChildProcess | undefined;
  output = '';

  constructor(program: string, options: IcecastOptions) {
    this.#program = program;
    this.options = options;
    this.#config = path.join(options.dir, `${options.name}.xml`);
    writeFileSync(this.#config, icecastXml(options));
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The last lines Icecast printed, for a failing assertion's message. */
  tail(lines = 30): string {
    return `${this.options.name} icecast2 said:\n${this.output.split('\n').slice(-lines).join('\n')}`;
  }

  /** Starts it and resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = spawn(this.#program, ['-c', this.#config], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const keep = (data: Buffer) => (this.output += data.toString());
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = performance.now() + 10_000;
    while (!(await accepts(this.options.port))) {
      if (child.exitCode !== null || performance.now() > deadline) throw new Error(`icecast2 did not start (exit ${child.exitCode})\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills it outright (as a crash would) and resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
