import type { z } from "zod";
import type { ActionContext } from "./context.ts";
import type { LegacyReply } from "./errors.ts";
import type { Scope } from "./scope.ts";
import type { DomainRule, ResolvedDomain } from "./tenancy/domain-rule.ts";

/** How the legacy `rest.php` face calls this action. Absent: reachable under its name with defaults. */
export interface LegacySpec {
  /** Parameters checked by PHP truthiness before anything else, in the original's order (docs/original-api.md §3). */
  required: readonly string[];
  /** Turns the decoded JSON body into this action's input (default: the body as it is). */
  toInput?: (body: Record<string, unknown>) => unknown;
  /**
   * The reply when the input schema rejects the body. Default: 400 `{"error":"invalid parameter: <name>"}`.
   * Return the original's own answer where it had one (e.g. `false` for a malformed uuid on a list).
   */
  onInvalid?: (issues: readonly z.core.$ZodIssue[], body: Record<string, unknown>) => LegacyReply | undefined;
  /**
   * The input contract on this route when the original's behaviour needs a value the typed faces must not
   * offer (originate's `mode: "original"`): the action's `input` widened, whose output the handler takes
   * too. Default: `input`.
   */
  input?: z.ZodType;
  /**
   * Statuses besides 200 that the handler or `onInvalid` answer on this route beyond those every action
   * shares, 400 for parameters and the domain rule's "not found" (see `legacyErrorStatuses`): 409 for a
   * duplicate, the original's own 500s and 404s. The OpenAPI document lists exactly these per action.
   */
  statuses?: readonly number[];
  /** Turns the handler's output into the legacy body (default: the output as it is). */
  toBody?: (output: unknown) => unknown;
  /**
   * The original's answer when the action's domain is missing (or, the same to a scoped key, not the
   * caller's). Default: the error's own legacy reply, 404 `{"error":"<domain rule's message>"}`.
   */
  domainNotFound?: LegacyReply;
  /**
   * The parameters under their legacy names, when `toInput` renames them (docs and OpenAPI; default: `input`).
   * Values are typed as a JSON caller sends them; numbers may also come as text (legacy/legacy-values.ts).
   */
  params?: z.ZodObject;
  /**
   * Every body the legacy route answers with HTTP 200, PDO-typed as the original sent it: required when
   * `toBody` reshapes the output or a 200 failure body exists (`false`, `[]`, `{"error": …}`). Default: the
   * output contract's accepting side, i.e. what the handler returns.
   */
  body?: z.ZodType;
}

export type ActionKind = "query" | "mutation";

export interface ActionDefinition<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  P extends string = string,
  K extends ActionKind = ActionKind,
  D extends DomainRule = DomainRule,
> {
  /** Legacy name, also the audit name: `extension-create`. */
  name: string;
  /** tRPC path: `extensions.create`. A literal type, so the API can type its router from the registry. */
  path: P;
  /** One line for the docs page, the README table and the Slack help. */
  summary: string;
  scope: Scope;
  /** How the action finds its domain; resolved and enforced by `runAction` before the handler runs. */
  domain: D;
  kind: K;
  input: I;
  /**
   * The output contract. Handlers return values typed as PHP/PDO gives them (the legacy body); this schema
   * normalises them for typed faces (booleans, numbers, ISO times) with transforms.
   */
  output: O;
  legacy?: LegacySpec;
  // Method syntax on purpose: keeps every concrete action assignable to AnyAction.
  /** `domain`: what `domain` resolved to for this caller; handlers never look a domain up themselves. */
  handler(ctx: ActionContext, input: z.output<I>, domain: ResolvedDomain<D>): Promise<z.input<O>>;
}

export type AnyAction = ActionDefinition<z.ZodType, z.ZodType>;

export function defineAction<
  I extends z.ZodType,
  O extends z.ZodType,
  P extends string,
  K extends ActionKind,
  const D extends DomainRule,
>(action: ActionDefinition<I, O, P, K, D>): ActionDefinition<I, O, P, K, D> {
  return action;
}
