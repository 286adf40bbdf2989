import { type Caller, SCOPES } from "@switchboard/core";

/** Who the keys command acts as: the operator at the server's shell, with every scope, audited as "cli". */
export function cliCaller(): Caller {
  return {
    face: "cli",
    requestId: `cli-${crypto.randomUUID()}`,
    keyId: null,
    domainUuid: null,
    scopes: new Set(SCOPES),
    address: "cli",
  };
}
