import type { CaseResult, Measurement, RunResults, Verdict } from "./results.ts";

function at(cases: CaseResult[], id: string, connections: number): Measurement | undefined {
  const c = cases.find((x) => x.id === id);
  return c?.skipped ? undefined : c?.measurements.find((m) => m.connections === connections);
}

const f = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** The issue's targets, judged from this run's figures. */
export function evaluateTargets(run: RunResults): Verdict[] {
  const verdicts: Verdict[] = [];
  // Issue 13: the legacy route within 85% of the bare handler, tRPC within 80%, p99 under 20 ms, at 50 connections.
  for (const [id, label, share] of [
    ["legacy domain-details", "legacy `domain-details`", 0.85],
    ["trpc domains.details", "tRPC `domains.details`", 0.8],
  ] as const) {
    const m = at(run.cases, id, 50);
    if (!m?.bare) {
      verdicts.push({ target: `${label} at 50 connections (rate and p99)`, measured: "not measured", met: null });
      continue;
    }
    const measured = m.api.rps / m.bare.rps;
    verdicts.push({
      target: `${label} ≥ ${share * 100}% of the bare handler's rate at 50 connections`,
      measured: `${Math.round(m.api.rps)} vs ${Math.round(m.bare.rps)} req/s = ${(measured * 100).toFixed(0)}%`,
      met: measured >= share,
    });
    verdicts.push({
      target: `${label} p99 < 20 ms at 50 connections`,
      measured: `p99 ${f(m.api.p99Ms)} ms`,
      met: m.api.p99Ms < 20,
    });
  }
  const dd1 = at(run.cases, "legacy domain-details", 1);
  if (dd1) {
    verdicts.push({
      target: "no bcrypt on the hot path (an authenticated request costs far less than one bcrypt verification)",
      measured: `p50 ${f(dd1.api.p50Ms)} ms at 1 connection vs ${f(run.bcryptVerifyMs)} ms per bcrypt verify`,
      met: dd1.api.p50Ms < run.bcryptVerifyMs / 4,
    });
  }
  const originate = run.cases.find((c) => c.id === "trpc calls.originate async");
  if (originate && !originate.skipped && originate.measurements.length) {
    const single = originate.measurements.find((m) => m.connections === 1);
    verdicts.push({
      target: "async originate answers in < 10 ms (p99 of one client; more connections show capacity)",
      measured: originate.measurements
        .map((m) => `c=${m.connections}: p50 ${f(m.api.p50Ms)} / p99 ${f(m.api.p99Ms)} ms`)
        .join("; "),
      met: single ? single.api.p99Ms < 10 : null,
    });
  } else {
    verdicts.push({
      target: "async originate answers in < 10 ms",
      measured: originate?.skipped ?? "not measured",
      met: null,
    });
  }
  const slow = run.cases.find((c) => c.id === "slack /call ack, 5 s switch");
  if (slow && !slow.skipped && slow.measurements.length) {
    const worst = Math.max(...slow.measurements.map((m) => m.api.p99Ms));
    const failed = slow.measurements.reduce(
      (n, m) => n + Object.values(m.api.unexpected).reduce((a, b) => a + b, 0) + m.api.errors,
      0,
    );
    verdicts.push({
      target: "Slack ack < 100 ms p99 with the switch taking 5 s",
      measured: `${slow.measurements.map((m) => `c=${m.connections}: p99 ${f(m.api.p99Ms)} ms`).join("; ")}; ${failed} failed`,
      met: worst < 100 && failed === 0,
    });
  } else {
    verdicts.push({
      target: "Slack ack < 100 ms p99 with the switch taking 5 s",
      measured: slow?.skipped ?? "not measured",
      met: null,
    });
  }
  verdicts.push({ target: "API memory flat (±10%) over 5 minutes", measured: "see Memory soak", met: null });
  return verdicts;
}
