import { z } from "zod";
import type { AnyAction } from "./action.ts";
import type { ActionContext } from "./context.ts";
import { ActionError, forbidden } from "./errors.ts";
import { outageError } from "./infrastructure.ts";
import type { AuditSink } from "./audit/audit-sink.ts";
import { auditEntry } from "./audit/audit-entry.ts";
import { resolveDomain } from "./tenancy/resolve-domain.ts";

export interface RunOptions {
  audit?: AuditSink;
  /** Input already parsed by the face (tRPC parses with the same schema); skip a second parse. */
  parsed?: boolean;
  /** The contract to parse with instead of `action.input` (the legacy route's wider one, `legacy.input`). */
  inputSchema?: z.ZodType;
}

export function hasScope(ctx: ActionContext, scope: AnyAction["scope"]): boolean {
  return ctx.caller.scopes.has(scope) || ctx.caller.scopes.has("admin");
}

/** Turns a zod failure into the error every face maps: BAD_REQUEST naming the first bad field. */
export function invalidInput(error: z.ZodError): ActionError {
  const first = error.issues[0];
  const field = first?.path.map(String).join(".") || undefined;
  const message = field ? `invalid parameter: ${field}` : "invalid input";
  return new ActionError("BAD_REQUEST", message, { field, cause: error });
}

/**
 * The one way every face runs an action: scope check, input contract, the action's domain resolved and
 * enforced (see `DomainRule`), handler, audit (filed under the resolved domain, else the caller's).
 * Returns the handler's raw (PDO-typed) output; typed faces normalise it with `action.output`.
 */
export async function runAction(action: AnyAction, ctx: ActionContext, input: unknown, options: RunOptions = {}) {
  const started = performance.now();
  let outcome = "ok";
  let errorCode: string | null = null;
  let domainUuid: string | null = null;
  try {
    if (!hasScope(ctx, action.scope)) throw forbidden(`this key lacks the '${action.scope}' scope`);
    let value = input;
    if (!options.parsed) {
      const result = (options.inputSchema ?? action.input).safeParse(input);
      if (!result.success) throw invalidInput(result.error);
      value = result.data;
    }
    const domain = await resolveDomain(ctx, action.domain, value);
    domainUuid = domain?.domain_uuid ?? null;
    return await action.handler(ctx, value as never, domain as never);
  } catch (caught) {
    const error = outageError(caught) ?? caught;
    outcome = "error";
    errorCode = error instanceof ActionError ? error.code : "INTERNAL_SERVER_ERROR";
    throw error;
  } finally {
    options.audit?.record(
      auditEntry(ctx, action.name, { domainUuid, outcome, errorCode, durationMs: performance.now() - started }),
    );
  }
}
