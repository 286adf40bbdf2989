// A user's program, compiled and run by src/packed-client.test.ts in a temporary npm project that installed
// the packed tarball. Lines marked @ts-expect-error must fail to type-check; the rest must pass.
import {
  type CallsOriginateOutput,
  createSwitchboardClient,
  type DestinationsUpdateInput,
  type ExtensionsUpdateInput,
  isSwitchboardError,
  type RingGroupsUpdateInput,
  type SwitchboardClient,
  type SwitchboardErrorData,
} from "@switchboard/client";

declare const process: { env: Record<string, string | undefined>; stdout: { write(text: string): void } };

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function exact<T extends true>(): T | undefined {
  return undefined;
}

exact<Equal<NonNullable<ExtensionsUpdateInput["call_timeout"]>, number>>();
exact<Equal<NonNullable<DestinationsUpdateInput["order"]>, number>>();
exact<Equal<NonNullable<RingGroupsUpdateInput["destinations"]>[number]["delay"], number | undefined>>();
exact<Equal<SwitchboardErrorData["requestId"], string | null>>();
exact<Equal<SwitchboardErrorData["field"], string | null>>();

/** The result of originate is a union on `success`: the uuid is a string once narrowed. */
export function describeCall(call: CallsOriginateOutput): string {
  // @ts-expect-error call_uuid may be null until success is known
  const early: string = call.call_uuid;
  if (call.success) return `placed ${call.call_uuid} (${call.status}) ${early}`;
  return `failed: ${call.hangup_cause ?? "no cause"}`;
}

export async function wrongInputs(sb: SwitchboardClient, domain_uuid: string) {
  // @ts-expect-error a number where a string goes
  await sb.domains.details.query({ domain_name: 42 });
  // @ts-expect-error extension is required
  await sb.extensions.create.mutate({ domain_uuid });
  await sb.calls.originate.mutate({
    domain_uuid,
    caller_id_number: "1",
    ring_first: "2",
    connect_to: "3",
    // @ts-expect-error mode is "async" or "sync"
    mode: "later",
  });
  // @ts-expect-error there is no such procedure
  await sb.extensions.explode.query({ domain_uuid });
  // @ts-expect-error limit is an integer, not text
  await sb.extensions.list.query({ domain_uuid, limit: "5" });
  // @ts-expect-error call_timeout is a number
  await sb.extensions.update.mutate({ extension_uuid: domain_uuid, call_timeout: "30" });
  // @ts-expect-error ring group members are objects with a number
  await sb.ringGroups.update.mutate({ ring_group_uuid: domain_uuid, destinations: ["101"] });
}

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
    return null;
  } catch (error) {
    if (!isSwitchboardError(error)) throw error;
    const data = error.data;
    return {
      message: error.message,
      code: data?.code,
      field: data?.field,
      requestId: data?.requestId,
      httpStatus: data?.httpStatus,
    };
  }
}

async function main() {
  const env = process.env;
  const sb = createSwitchboardClient({ url: env.SB_URL!, keyId: env.SB_KEY_ID!, secret: env.SB_SECRET! });
  const domain = await sb.domains.details.query({ domain_name: env.SB_DOMAIN! });
  const page = await sb.extensions.list.query({ domain_uuid: domain.domain_uuid, limit: 2 });
  const created = await sb.extensions.create.mutate({
    domain_uuid: domain.domain_uuid,
    extension: env.SB_NEW_EXTENSION!,
  });
  const call = await sb.calls.originate.mutate({
    domain_uuid: domain.domain_uuid,
    caller_id_number: "100",
    ring_first: "101",
    connect_to: "102",
  });
  const notFound = await failure(() =>
    sb.extensions.details.query({
      domain_uuid: domain.domain_uuid,
      extension_uuid: "00000000-0000-4000-8000-000000000000",
    }),
  );
  const invalid = await failure(() => sb.extensions.list.query({ domain_uuid: domain.domain_uuid, limit: 0 }));
  const result = {
    domain: domain.domain_name,
    listed: page.items.map((item) => item.extension),
    nextCursor: page.nextCursor,
    created: created.row.extension,
    call: { success: call.success, description: describeCall(call) },
    notFound,
    invalid,
  };
  process.stdout.write(JSON.stringify(result));
}

await main();
