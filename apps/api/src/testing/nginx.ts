import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The repository's deploy/nginx directory: the files shipped to a FusionPBX box. */
export const deployNginxDir = join(import.meta.dir, "../../../../deploy/nginx");

/** Debian's nginx binary, or null when nginx is not installed. */
export function nginxBinary(): string | null {
  return Bun.which("nginx") ?? ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].find((p) => existsSync(p)) ?? null;
}

export interface Nginx {
  origin: string;
  port: number;
  /** The error log so far, for failure messages. */
  errorLog(): string;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Where Switchboard listens (the upstream). */
  upstreamPort: number;
  /** nginx connects to Switchboard from this loopback address (so tests can tell the proxy from a client). */
  bindAddress: string;
  /** The server-block lines FusionPBX's site has besides Switchboard's include. */
  serverLines?: string[];
}

async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** Collects a stream's text; `ready` resolves once `marker` appeared, or rejects if the stream ends first. */
function watchLog(stream: ReadableStream<Uint8Array>, marker: string): { text: () => string; ready: Promise<void> } {
  let text = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  const ready = (async () => {
    while (!text.includes(marker)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`nginx stopped before it started: ${text.trim()}`);
      text += decoder.decode(value, { stream: true });
    }
    // Keep draining so nginx never blocks on a full pipe.
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    })().catch(() => {});
  })();
  return { text: () => text, ready };
}

/**
 * A real nginx on loopback, as an unprivileged child process (under `nobody` when the tests run as root),
 * with a temporary prefix and a config that includes deploy/nginx/switchboard.conf as shipped, inside a
 * server block standing for FusionPBX's, and deploy/nginx/switchboard-upstream.conf pointed at the test's
 * Switchboard.
 */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error("nginx is not installed (apt-get install nginx-light)");
  const prefix = mkdtempSync(join(tmpdir(), "switchboard-nginx-"));
  mkdirSync(join(prefix, "temp"));
  // The shipped files, unchanged but for the upstream's port; copied so `nobody` can read them.
  copyFileSync(join(deployNginxDir, "switchboard.conf"), join(prefix, "switchboard.conf"));
  const upstream = readFileSync(join(deployNginxDir, "switchboard-upstream.conf"), "utf8");
  if (!upstream.includes("server 127.0.0.1:3000;"))
    throw new Error("switchboard-upstream.conf no longer names 127.0.0.1:3000");
  writeFileSync(
    join(prefix, "switchboard-upstream.conf"),
    upstream.replace("server 127.0.0.1:3000;", `server 127.0.0.1:${options.upstreamPort};`),
  );

  const port = await freePort();
  const temp = (name: string) => `${name}_temp_path ${join(prefix, "temp", name)};`;
  writeFileSync(
    join(prefix, "nginx.conf"),
    `worker_processes 1;
daemon off;
pid ${join(prefix, "nginx.pid")};
error_log stderr notice;
events { worker_connections 128; }
http {
  access_log off;
  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}
  include ${join(prefix, "switchboard-upstream.conf")};
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    proxy_bind ${options.bindAddress};
    include ${join(prefix, "switchboard.conf")};
    ${(options.serverLines ?? []).join("\n    ")}
  }
}
`,
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    for (const p of [prefix, join(prefix, "temp")]) chownSync(p, 65534, 65534);
  } else {
    chmodSync(prefix, 0o700);
  }
  const command = [binary, "-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", "stderr"];
  // setpriv (util-linux): drop to nobody when root, and have nginx stopped if this process dies first.
  const unprivileged = asRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups"] : [];
  const child = Bun.spawn(["setpriv", ...unprivileged, "--pdeathsig", "SIGTERM", ...command], {
    stdout: "ignore",
    stderr: "pipe",
    stdin: "ignore",
  });
  // nginx logs "start worker process" once its listening socket is open.
  const log = watchLog(child.stderr, "start worker process");
  const origin = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    child.kill("SIGQUIT");
    await child.exited;
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await log.ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, port, errorLog: log.text, stop };
}
