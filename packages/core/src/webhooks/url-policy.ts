import { badRequest } from "../errors.ts";
import { addressRefusal, isIpAddress, parseAllowList, systemResolve, urlHost } from "../net/address-allow.ts";

/**
 * Where webhooks may be delivered: public addresses, plus `WEBHOOK_URL_ALLOW` (host names or address
 * ranges, e.g. `hooks.internal,10.0.5.0/24,127.0.0.1`). Checked when an endpoint is created or changed, and
 * again at every delivery, on the very addresses the connection then uses (a name that later resolves to a
 * private address — DNS rebinding — is refused at delivery).
 */
export interface WebhookUrlPolicy {
  allow: readonly string[];
  /** Host name to addresses; the system resolver unless a test gives its own. */
  resolve?: (host: string) => Promise<string[]>;
}

export function webhookUrlPolicy(env: Record<string, string | undefined> = process.env): WebhookUrlPolicy {
  return { allow: parseAllowList(env.WEBHOOK_URL_ALLOW) };
}

const MAX_URL_LENGTH = 2000;
const URL_HINT = "a URL like https://hooks.example.com/switchboard";

/** The URL as an endpoint: http(s), no user name or password in it. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest(`url must be ${URL_HINT}`, { field: "url" });
  }
  if (text.length > MAX_URL_LENGTH)
    throw badRequest(`url must be at most ${MAX_URL_LENGTH} characters`, { field: "url" });
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw badRequest(`url must be ${URL_HINT}`, { field: "url" });
  if (url.username || url.password)
    throw badRequest("url must not hold a user name or password (the signature authenticates Switchboard)", {
      field: "url",
    });
  return url;
}

/** Why a delivery to this address is refused. */
export class WebhookUrlRefused extends Error {
  override name = "WebhookUrlRefused";
}

/**
 * The addresses a delivery to `host` may connect to, every one allowed; throws WebhookUrlRefused otherwise.
 * A host listed by name in the allow-list may resolve to anything.
 */
export async function allowedAddresses(host: string, policy: WebhookUrlPolicy): Promise<string[]> {
  const named = policy.allow.includes(host);
  let addresses: string[];
  if (isIpAddress(host)) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      throw new WebhookUrlRefused(`the host ${host} could not be resolved`);
    }
    if (addresses.length === 0) throw new WebhookUrlRefused(`the host ${host} could not be resolved`);
  }
  if (!named) {
    for (const address of addresses) {
      const refusal = addressRefusal(address, policy.allow);
      if (refusal)
        throw new WebhookUrlRefused(
          `${host} is ${refusal}, where webhooks are not delivered unless the operator allows it with WEBHOOK_URL_ALLOW`,
        );
    }
  }
  return addresses;
}

/**
 * At create and update: a URL whose host is, or resolves to, a refused address is a 400. A name that does
 * not resolve at all is accepted (nothing can be reached there now); every delivery checks again.
 */
export async function assertWebhookUrlAllowed(url: URL, policy: WebhookUrlPolicy): Promise<void> {
  try {
    await allowedAddresses(urlHost(url), policy);
  } catch (error) {
    if (!(error instanceof WebhookUrlRefused)) throw error;
    if (error.message.includes("could not be resolved")) return;
    throw badRequest(`url: ${error.message}`, { field: "url" });
  }
}
