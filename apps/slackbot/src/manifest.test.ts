import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { callCommand } from "./commands/call.ts";
import { destCommand } from "./commands/dest.ts";
import { extCommand } from "./commands/ext.ts";
import { pbxCommand } from "./commands/pbx.ts";
import { ringCommand } from "./commands/ring.ts";
import { EVENTS_PATH } from "./create-bot.ts";

interface Manifest {
  features: { slash_commands: { command: string; url: string; should_escape: boolean; usage_hint: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
}

const manifest = Bun.YAML.parse(await Bun.file(join(import.meta.dir, "..", "manifest.yml")).text()) as Manifest;
const specs = [callCommand, extCommand, destCommand, ringCommand, pbxCommand(["read"])];

describe("manifest.yml", () => {
  test("declares exactly the commands the bot listens to, all at /slack/events", () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual(specs.map((s) => s.command).sort());
    for (const command of manifest.features.slash_commands) expect(new URL(command.url).pathname).toBe(EVENTS_PATH);
  });

  test("each usage hint names every subcommand", () => {
    for (const spec of specs) {
      const hint = manifest.features.slash_commands.find((c) => c.command === spec.command)!.usage_hint;
      for (const sub of spec.subcommands) expect(hint).toContain(sub.name);
    }
  });

  test("button clicks (the delete confirmation) come to the same endpoint", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(EVENTS_PATH);
  });

  test("asks for commands, chat:write with im:write for the call card in the user's direct messages, users:read for @names", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(["commands", "chat:write", "im:write", "users:read"]);
  });

  test("/pbx and /call escape mentions so they receive user ids", () => {
    for (const command of ["/pbx", "/call"])
      expect(manifest.features.slash_commands.find((c) => c.command === command)!.should_escape).toBe(true);
  });
});
