import { parseArgs } from "node:util";
import { type ActionCaller, ActionError, SCOPES, type Scope, splitList } from "@switchboard/core";

export const KEYS_USAGE = `usage:
  keys create --name <name> [--domain <domain uuid or name>] [--scopes ${SCOPES.join(",")}] [--expires <ISO 8601 time>]
  keys list
  keys revoke <key id>`;

export interface KeysCommandDeps {
  /** The typed in-process caller, acting as the CLI (every scope, audited with face "cli"). */
  calls: ActionCaller;
  out: (line: string) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function domainUuidOf(calls: ActionCaller, domain: string): Promise<string> {
  if (UUID.test(domain)) return domain.toLowerCase();
  try {
    return (await calls.domains.details({ domain_name: domain })).domain_uuid;
  } catch (error) {
    if (error instanceof ActionError && error.code === "NOT_FOUND")
      throw new ActionError("NOT_FOUND", `no domain named '${domain}'`);
    throw error;
  }
}

/**
 * `keys create|list|revoke`: the admin actions key-create, key-list and key-revoke through the in-process
 * caller (so they are audited with face "cli"). Returns the exit code.
 */
export async function keysCommand(argv: readonly string[], deps: KeysCommandDeps): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: {
      name: { type: "string" },
      domain: { type: "string" },
      scopes: { type: "string" },
      expires: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  const { calls } = deps;
  if (command === "create") {
    if (!values.name) throw new ActionError("BAD_REQUEST", "--name is required");
    const key = await calls.keys.create({
      name: values.name,
      ...(values.domain ? { domain_uuid: await domainUuidOf(calls, values.domain) } : {}),
      // Checked by the action like any input; the CLI takes them comma-separated.
      ...(values.scopes ? { scopes: splitList(values.scopes) as Scope[] } : {}),
      ...(values.expires ? { expires_at: values.expires } : {}),
    });
    deps.out(`key id:  ${key.key_uuid}`);
    deps.out(`secret:  ${key.secret}`);
    deps.out(
      `scopes:  ${key.scopes?.join(",") ?? "all"}   domain: ${key.domain_uuid ?? "all"}   expires: ${key.expires_at ?? "never"}`,
    );
    deps.out(`use:     curl --user "${key.key_uuid}:${key.secret}" …   (the secret is shown only this once)`);
    return 0;
  }
  if (command === "list") {
    const keys = await calls.keys.list();
    if (keys.length === 0) deps.out("no keys");
    for (const k of keys) {
      const policy = k.scopes === null ? "scopes=all (no policy)" : `scopes=${k.scopes.join(",")}`;
      deps.out(
        `${k.key_uuid}  ${JSON.stringify(k.name ?? "")}  ${policy}  domain=${k.domain_uuid ?? "all"}  expires=${k.expires_at ?? "never"}${k.disabled ? "  DISABLED" : ""}  last_used=${k.last_used ?? "never"}`,
      );
    }
    return 0;
  }
  if (command === "revoke") {
    const id = positionals[0];
    if (!id) throw new ActionError("BAD_REQUEST", "keys revoke needs a key id");
    await calls.keys.revoke({ key_uuid: id });
    deps.out(`revoked ${id}`);
    return 0;
  }
  deps.out(KEYS_USAGE);
  return 2;
}
