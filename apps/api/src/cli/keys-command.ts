import { parseArgs } from "node:util";
import { type ActionContext, type AnyAction, actionsByName, ActionError, type AuditSink, runAction, SCOPES } from "@switchboard/core";
import type { SchemaInfo, Sql } from "@switchboard/db";
import type { SwitchPool } from "@switchboard/esl";

export const KEYS_USAGE = `usage:
  keys create --name <name> [--domain <domain uuid or name>] [--scopes ${SCOPES.join(",")}] [--expires <ISO 8601 time>]
  keys list
  keys revoke <key id>`;

export interface KeysCommandDeps {
  sql: Sql;
  schema: SchemaInfo;
  switches: SwitchPool;
  audit?: AuditSink;
  out: (line: string) => void;
}

async function run(deps: KeysCommandDeps, name: string, input: unknown): Promise<unknown> {
  const action = actionsByName.get(name) as AnyAction;
  const ctx: ActionContext = {
    sql: deps.sql,
    schema: deps.schema,
    switches: deps.switches,
    caller: { face: "cli", requestId: `cli-${crypto.randomUUID()}`, keyId: null, domainUuid: null, scopes: new Set(SCOPES), address: "cli" },
    now: () => new Date(),
  };
  return action.output.parse(await runAction(action, ctx, input, { audit: deps.audit }));
}

async function domainUuidOf(sql: Sql, domain: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(domain)) return domain.toLowerCase();
  const [row] = await sql<{ domain_uuid: string }[]>`select domain_uuid::text as domain_uuid from v_domains where domain_name = ${domain}`;
  if (!row) throw new ActionError("NOT_FOUND", `no domain named '${domain}'`);
  return row.domain_uuid;
}

/**
 * `keys create|list|revoke`: the same operations as the admin actions key-create, key-list and key-revoke
 * (run through runAction, so they are audited with face "cli"). Returns the exit code.
 */
export async function keysCommand(argv: readonly string[], deps: KeysCommandDeps): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: { name: { type: "string" }, domain: { type: "string" }, scopes: { type: "string" }, expires: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (command === "create") {
    if (!values.name) throw new ActionError("BAD_REQUEST", "--name is required");
    const input = {
      name: values.name,
      ...(values.domain ? { domain_uuid: await domainUuidOf(deps.sql, values.domain) } : {}),
      ...(values.scopes ? { scopes: values.scopes } : {}),
      ...(values.expires ? { expires_at: values.expires } : {}),
    };
    const key = (await run(deps, "key-create", input)) as { key_uuid: string; secret: string; scopes: string[]; domain_uuid: string | null; expires_at: string | null };
    deps.out(`key id:  ${key.key_uuid}`);
    deps.out(`secret:  ${key.secret}`);
    deps.out(`scopes:  ${key.scopes.join(",")}   domain: ${key.domain_uuid ?? "all"}   expires: ${key.expires_at ?? "never"}`);
    deps.out(`use:     curl --user "${key.key_uuid}:${key.secret}" …   (the secret is shown only this once)`);
    return 0;
  }
  if (command === "list") {
    const keys = (await run(deps, "key-list", {})) as Array<{ key_uuid: string; name: string | null; created: string | null; last_used: string | null; domain_uuid: string | null; scopes: string[] | null; expires_at: string | null; disabled: boolean | null }>;
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
    await run(deps, "key-revoke", { key_uuid: id });
    deps.out(`revoked ${id}`);
    return 0;
  }
  deps.out(KEYS_USAGE);
  return 2;
}
