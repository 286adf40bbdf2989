/**
 * The tables the fake switch reports (`show …`, `callcenter_config …`), with FreeSWITCH's column
 * order and output shapes (docs/event-socket.md §8).
 */

export const CHANNEL_COLUMNS = [
  "uuid",
  "direction",
  "created",
  "created_epoch",
  "name",
  "state",
  "cid_name",
  "cid_num",
  "ip_addr",
  "dest",
  "application",
  "application_data",
  "dialplan",
  "context",
  "read_codec",
  "read_rate",
  "read_bit_rate",
  "write_codec",
  "write_rate",
  "write_bit_rate",
  "secure",
  "hostname",
  "presence_id",
  "presence_data",
  "accountcode",
  "callstate",
  "callee_name",
  "callee_num",
  "callee_direction",
  "call_uuid",
  "sent_callee_name",
  "sent_callee_num",
  "initial_cid_name",
  "initial_cid_num",
  "initial_ip_addr",
  "initial_dest",
  "initial_dialplan",
  "initial_context",
] as const;

export const REGISTRATION_COLUMNS = [
  "reg_user",
  "realm",
  "token",
  "url",
  "expires",
  "network_ip",
  "network_port",
  "network_proto",
  "hostname",
  "metadata",
] as const;

export const AGENT_COLUMNS = [
  "name",
  "instance_id",
  "uuid",
  "type",
  "contact",
  "status",
  "state",
  "max_no_answer",
  "wrap_up_time",
  "reject_delay_time",
  "busy_delay_time",
  "no_answer_delay_time",
  "last_bridge_start",
  "last_bridge_end",
  "last_offered_call",
  "last_status_change",
  "no_answer_count",
  "calls_answered",
  "talk_time",
  "ready_time",
  "external_calls_count",
] as const;

export const MEMBER_COLUMNS = [
  "queue",
  "instance_id",
  "uuid",
  "session_uuid",
  "cid_number",
  "cid_name",
  "system_epoch",
  "joined_epoch",
  "rejoined_epoch",
  "bridge_epoch",
  "abandoned_epoch",
  "base_score",
  "skill_score",
  "serving_agent",
  "serving_system",
  "state",
  "score",
] as const;

export const TIER_COLUMNS = ["queue", "agent", "state", "level", "position"] as const;

export type ChannelRow = Record<(typeof CHANNEL_COLUMNS)[number], string>;
export type RegistrationRow = Record<(typeof REGISTRATION_COLUMNS)[number], string>;
export type AgentRow = Record<(typeof AGENT_COLUMNS)[number], string>;
export type MemberRow = Record<(typeof MEMBER_COLUMNS)[number], string>;
export type TierRow = Record<(typeof TIER_COLUMNS)[number], string>;

/** A full row in column order; missing columns are `""` (FreeSWITCH prints NULL as empty). */
export function completeRow<C extends readonly string[]>(
  columns: C,
  partial: Partial<Record<C[number], string>>,
  defaults: Partial<Record<C[number], string>> = {},
): Record<C[number], string> {
  const row = {} as Record<C[number], string>;
  for (const column of columns as readonly C[number][]) {
    row[column] = partial[column] ?? defaults[column] ?? "";
  }
  return row;
}

/** `show … as json`: compact with no newline, or `{"row_count": 0}\n` (space, newline, no rows key) when empty. */
export function showJson(rows: ReadonlyArray<Record<string, string>>): string {
  if (rows.length === 0) return '{"row_count": 0}\n';
  return JSON.stringify({ row_count: rows.length, rows });
}

/** `show …` without `as json`: CSV header, rows, blank line, `N total.`. */
export function showCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  if (rows.length === 0) return "\n0 total.\n";
  const lines = [columns.join(","), ...rows.map((row) => columns.map((c) => row[c] ?? "").join(","))];
  return `${lines.join("\n")}\n\n${rows.length} total.\n`;
}

/** mod_callcenter's list output: a `|` table (header only when rows exist) then `+OK`. */
export function pipeTable(columns: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  if (rows.length === 0) return "+OK\n";
  const lines = [columns.join("|"), ...rows.map((row) => columns.map((c) => row[c] ?? "").join("|"))];
  return `${lines.join("\n")}\n+OK\n`;
}
