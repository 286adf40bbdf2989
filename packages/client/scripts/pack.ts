/**
 * Builds the installable `@switchboard/client` tarball: `<root>/dist/switchboard-client-<version>.tgz`.
 * JavaScript from src/index.ts (bun build), one bundled declaration file (rollup-plugin-dts) made of the
 * generated router types and the client's own declarations, and a package.json for npm.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";
import ts from "typescript";
import { emitRouterTypes } from "./emit-router-types.ts";
import { foreignReferences } from "./self-contained.ts";

const packageDir = join(import.meta.dir, "..");
const rootDir = join(packageDir, "..", "..");
const buildDir = join(packageDir, "build");
const typesDir = join(buildDir, "types");
const outDir = join(buildDir, "package");
const distDir = join(rootDir, "dist");

const TRPC_RANGE = "^11.25.2";

async function buildDeclarations(): Promise<string> {
  mkdirSync(typesDir, { recursive: true });
  writeFileSync(join(typesDir, "router.d.ts"), emitRouterTypes());
  const source = readFileSync(join(packageDir, "src", "index.ts"), "utf8");
  const emitted = ts.transpileDeclaration(source, {
    fileName: "index.ts",
    compilerOptions: {
      allowImportingTsExtensions: true,
      module: ts.ModuleKind.Preserve,
      target: ts.ScriptTarget.ESNext,
    },
    reportDiagnostics: true,
  });
  if (emitted.diagnostics?.length)
    throw new Error(ts.formatDiagnostics(emitted.diagnostics, ts.createCompilerHost({})));
  writeFileSync(join(typesDir, "index.d.ts"), emitted.outputText.replaceAll(`"./router.ts"`, `"./router"`));
  const bundle = await rollup({
    input: join(typesDir, "index.d.ts"),
    plugins: [dts()],
    external: (id) => id.startsWith("@trpc/"),
  });
  const { output } = await bundle.generate({ format: "es" });
  await bundle.close();
  return output[0].code;
}

async function buildJavaScript(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(packageDir, "src", "index.ts")],
    target: "node",
    format: "esm",
    external: ["@trpc/client"],
  });
  if (!result.success) throw new AggregateError(result.logs, "bun build failed");
  return await result.outputs[0]!.text();
}

export async function packClient(): Promise<string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    version: string;
    description: string;
  };
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const declarations = await buildDeclarations();
  const foreign = foreignReferences(declarations);
  if (foreign.length > 0) throw new Error(`the declarations reference what a user cannot have: ${foreign.join(", ")}`);
  writeFileSync(join(outDir, "index.d.ts"), declarations);
  writeFileSync(join(outDir, "index.js"), await buildJavaScript());
  writeFileSync(join(outDir, "README.md"), readFileSync(join(packageDir, "README.md"), "utf8"));
  const published = {
    name: "@switchboard/client",
    version: manifest.version,
    description: manifest.description.replace(/ \(packed.*\)$/, ""),
    type: "module",
    main: "./index.js",
    types: "./index.d.ts",
    exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
    files: ["index.js", "index.d.ts", "README.md"],
    peerDependencies: { "@trpc/client": TRPC_RANGE, "@trpc/server": TRPC_RANGE },
    engines: { node: ">=18" },
  };
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
  mkdirSync(distDir, { recursive: true });
  const packed = Bun.spawnSync(["npm", "pack", "--json", "--pack-destination", distDir], {
    cwd: outDir,
    stderr: "inherit",
  });
  if (packed.exitCode !== 0) throw new Error("npm pack failed");
  const [{ filename }] = JSON.parse(packed.stdout.toString()) as [{ filename: string }];
  return join(distDir, filename);
}

if (import.meta.main) console.log(await packClient());
