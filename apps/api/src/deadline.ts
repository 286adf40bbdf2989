/** Rejects like a database connect timeout when `promise` has not settled in `ms`, so outages answer fast. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what = "database"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: "CONNECT_TIMEOUT" })),
      ms,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
