/**
 * `calls` places calls under the dial policy from the caller's own extension; `calls-any` from any extension
 * of the domain; `calls-unrestricted` as the original did (any first leg, destination and caller id): keys
 * made in FusionPBX's own page hold every scope, so they keep the original's behaviour. `admin` implies every
 * scope but `calls-unrestricted` for placing calls (see calls/dial-policy.ts). `webhooks` manages the webhook
 * endpoints of the key's domain (docs/webhooks.md).
 */
export const SCOPES = ["read", "write", "calls", "calls-any", "calls-unrestricted", "webhooks", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
