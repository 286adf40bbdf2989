import { checkContext, checkDialable, checkDomain, PROFILE_PATTERN, requireMatch, checkUuid } from "./escape.ts";

/** A dial string built from validated parts; only these builders make one. */
export class Endpoint {
  private constructor(readonly text: string) {}
  static unsafeFromValidated(text: string): Endpoint {
    return new Endpoint(text);
  }
  toString(): string {
    return this.text;
  }
}

/** `loopback/<number>/<context>`: runs `<number>` in that dialplan context (FusionPBX: the domain name). */
export function loopbackEndpoint(number: string, dialplanContext: string): Endpoint {
  return Endpoint.unsafeFromValidated(
    `loopback/${checkDialable("number", number)}/${checkContext("context", dialplanContext)}`,
  );
}

/** `user/<extension>@<domain>`: the directory user's registered phones. */
export function userEndpoint(extension: string, domainName: string): Endpoint {
  return Endpoint.unsafeFromValidated(
    `user/${checkDialable("extension", extension)}@${checkDomain("domain", domainName)}`,
  );
}

/** `sofia/gateway/<gateway>/<number>`; FusionPBX names gateways by UUID. */
export function gatewayEndpoint(gateway: string, number: string): Endpoint {
  return Endpoint.unsafeFromValidated(
    `sofia/gateway/${checkUuid("gateway", gateway)}/${checkDialable("number", number)}`,
  );
}

/** `sofia/<profile>/<user>@<host>`. */
export function sofiaEndpoint(profile: string, user: string, host: string): Endpoint {
  return Endpoint.unsafeFromValidated(
    `sofia/${requireMatch("profile", profile, PROFILE_PATTERN, "a SIP profile name")}/${checkDialable("user", user)}@${checkDomain("host", host)}`,
  );
}
