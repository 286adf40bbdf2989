import { join } from "node:path";
import { coreReadme } from "../docs/readme.ts";
import { actions } from "../registry.ts";

const path = join(import.meta.dir, "../../README.md");
await Bun.write(path, coreReadme(actions));
console.log(`wrote ${path} (${actions.length} actions)`);
