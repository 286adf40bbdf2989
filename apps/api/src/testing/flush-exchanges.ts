// Preloaded by bunfig.toml: writes the legacy exchanges the suite recorded once every test file has run.
import { afterAll } from "bun:test";
import { flushLegacyExchanges } from "./legacy-client.ts";

afterAll(flushLegacyExchanges);
