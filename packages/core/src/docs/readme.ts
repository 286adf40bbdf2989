import type { AnyAction } from "../action.ts";
import { actionsMarkdown } from "./describe.ts";

/** packages/core/README.md, generated from the registry so it cannot drift from the code. */
export function coreReadme(actions: readonly AnyAction[]): string {
  return `# @switchboard/core

Every Switchboard action, written once. Each file in \`src/actions/\` defines one action with
\`defineAction\`: its legacy name, its tRPC path, a zod input contract, a zod output contract (handlers return
values typed as PHP/PDO gives them, which is the legacy body; the output schema normalises them for typed
faces), the scope it needs, how it finds its domain (\`domain\`, a \`DomainRule\`) and its handler. The
registry (\`src/registry.ts\`) collects them; the API's legacy route and tRPC router and the Slack commands
are generated from it.

- \`runAction(action, ctx, input)\` is the one way a face runs an action: scope check, input contract, the
  action's domain resolved and enforced (\`src/tenancy/\`: by \`domain_uuid\` or name, through the row it
  touches, the caller's own, or none; a domain that does not exist and one the caller is not bound to get the
  same "not found"), handler, audit row (filed under that domain, else the caller's). Handlers receive the
  resolved domain and never look one up themselves. \`runLegacyAction\` adds the original \`rest.php\`
  semantics (\`src/legacy/\`: PHP truthiness of required parameters, the original's status codes and bodies).
- Every \`*_uuid\` input uses one schema (\`uuidInput\`): what PostgreSQL's uuid type accepts (any case,
  \`{…}\`, hyphens after any group of four), turned into the canonical lower-case form.
- \`createCaller(ctx).calls.originate({...})\` is the typed in-process caller (the Slack app, the \`keys\`
  command, tests): \`runAction\` then the output contract, so it answers exactly what tRPC answers. Its type
  and the API's \`AppRouter\` are mapped from one \`ActionTree\` of the registry (\`src/action-tree.ts\`).
- \`ctx\` (\`ActionContext\`, built by \`createActionContext(services, caller)\`) carries the database, the live schema (FusionPBX 5.1 and 5.6 differ), the
  switch pool, the caller (face, key, domain binding, scopes, request id) and a clock.
- Writes follow what FusionPBX's own UI writes (\`src/fusionpbx/\`), in one transaction, then clear the caches
  FusionPBX clears on every switch.

Regenerate this file with \`bun run docs\` (a test fails when it is stale).

## Actions (${actions.length})

${actionsMarkdown(actions)}
`;
}
