import type { ActionContext } from "../context.ts";
import { ActionError, badRequest } from "../errors.ts";
import { identifier } from "../fusionpbx/rows.ts";
import { canonicalUuid } from "../fusionpbx/uuid.ts";
import type { DomainRef, DomainRule } from "./domain-rule.ts";

/** A domain (or the row leading to it) that does not exist or is not the caller's: one answer for both. */
export class DomainNotFoundError extends ActionError {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}

type DomainRow = Record<string, unknown> & { domain_uuid: string; domain_name: string };

/** PostgreSQL sends a uuid as lower-case text, which porsager passes through unparsed. */
function domainRef(row: DomainRow): DomainRef {
  return { domain_uuid: String(row.domain_uuid), domain_name: String(row.domain_name), row };
}

/** A non-empty string field of the parsed input, else undefined. */
function textField(input: Record<string, unknown>, field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const value = input[field];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The one place a request's domain is decided (see `DomainRule`). A caller bound to a domain only ever gets
 * that domain; anything else, like a domain that does not exist, is the rule's "not found". Null: an unbound
 * caller asked for every domain.
 */
export async function resolveDomain(ctx: ActionContext, rule: DomainRule, input: unknown): Promise<DomainRef | null> {
  const missing = () => new DomainNotFoundError(rule.notFound ?? "domain not found");
  const fields = (input ?? {}) as Record<string, unknown>;
  const bound = ctx.caller.domainUuid === null ? null : canonicalUuid(ctx.caller.domainUuid);
  if (ctx.caller.domainUuid !== null && bound === null) throw missing();
  const visible = (uuid: string | null | undefined): boolean =>
    uuid !== null && uuid !== undefined && (bound === null || uuid === bound);

  const byUuid = async (text: string): Promise<DomainRef> => {
    const uuid = canonicalUuid(text);
    if (!visible(uuid)) throw missing();
    const [row] = await ctx.sql<DomainRow[]>`select * from v_domains where domain_uuid = ${uuid}::uuid`;
    if (!row) throw missing();
    return domainRef(row);
  };

  switch (rule.by) {
    case "none":
      return null;
    case "caller":
      return bound === null ? null : byUuid(bound);
    case "input": {
      const uuidText = textField(fields, rule.uuid);
      const nameText = rule.nameOf ? rule.nameOf(fields) : textField(fields, rule.name);
      if (uuidText === undefined && nameText === undefined) {
        if (rule.whenAbsent === "refuse") {
          throw badRequest(`missing required parameter ${[rule.uuid, rule.name].filter(Boolean).join(" or ")}`);
        }
        return bound === null ? null : byUuid(bound);
      }
      if (uuidText !== undefined) {
        const domain = await byUuid(uuidText);
        // A name inside another value (a queue's `@domain`) must name the same domain.
        if (rule.nameOf && nameText !== undefined && nameText !== domain.domain_name) throw missing();
        return domain;
      }
      const [row] = await ctx.sql<DomainRow[]>`select * from v_domains where domain_name = ${nameText!}`;
      if (!row || !visible(String(row.domain_uuid))) throw missing();
      return domainRef(row);
    }
    case "row": {
      const key = canonicalUuid(textField(fields, rule.key) ?? "");
      if (key === null) throw missing();
      const [row] = (await ctx.sql.unsafe(
        `select d.* from ${identifier(rule.table)} r
         join v_domains d on d.domain_uuid = r.domain_uuid where r.${identifier(rule.key)} = $1::uuid`,
        [key],
      )) as unknown as DomainRow[];
      if (!row || !visible(String(row.domain_uuid))) throw missing();
      const domain = domainRef(row);
      const asked = textField(fields, rule.uuid);
      if (asked !== undefined && canonicalUuid(asked) !== domain.domain_uuid) throw missing();
      return domain;
    }
  }
}
