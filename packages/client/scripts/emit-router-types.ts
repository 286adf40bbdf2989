/**
 * Writes the router's declarations for the packed client: every procedure's input and output type as
 * TypeScript itself resolves them from the server's AppRouter (the zod contracts), printed out in full so
 * that the package needs neither the server's sources nor zod. Only `@trpc/server` types are referenced.
 */
import { dirname, join } from "node:path";
import { type AnyAction, actions } from "@switchboard/core";
import ts from "typescript";

const packageDir = join(import.meta.dir, "..");
const shapeFile = join(packageDir, "src", "__router-shape.ts");

/** `extensions.create` → `ExtensionsCreate`. */
export function typeBaseName(path: string): string {
  return path
    .split(/[.\-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

const procedureType = (path: string) =>
  `AppRouter${path
    .split(".")
    .map((s) => `[${JSON.stringify(s)}]`)
    .join("")}["_def"]["$types"]`;

function shapeSource(list: readonly AnyAction[]): string {
  const lines = [
    `import type { AppRouter } from "@switchboard/api";`,
    `type ServerErrorShape = AppRouter["_def"]["_config"]["$types"]["errorShape"];`,
    // zod's issue types are recursive; on the wire an issue is JSON with at least these fields.
    `type WireIssue = { code: string; path: (string | number)[]; message: string; [detail: string]: unknown };`,
    `export type ErrorShape = Omit<ServerErrorShape, "data"> & { data: Omit<ServerErrorShape["data"], "issues"> & { issues: WireIssue[] | null } };`,
  ];
  for (const action of list) {
    const name = typeBaseName(action.path);
    lines.push(`export type ${name}Input = ${procedureType(action.path)}["input"];`);
    lines.push(`export type ${name}Output = ${procedureType(action.path)}["output"];`);
  }
  return lines.join("\n");
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Prints a resolved type structurally: object literals, unions, arrays, literals; lib types by name. */
class TypePrinter {
  constructor(
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
  ) {}

  print(type: ts.Type, indent = "", stack: ts.Type[] = []): string {
    const f = type.flags;
    if (f & ts.TypeFlags.Any) return "any";
    if (f & ts.TypeFlags.Unknown) return "unknown";
    if (f & ts.TypeFlags.Never) return "never";
    if (
      f &
      (ts.TypeFlags.String | ts.TypeFlags.Number | ts.TypeFlags.Boolean | ts.TypeFlags.BigInt | ts.TypeFlags.ESSymbol)
    )
      return this.checker.typeToString(type);
    if (f & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return this.checker.typeToString(type);
    if (f & ts.TypeFlags.StringLiteral) return JSON.stringify((type as ts.StringLiteralType).value);
    if (f & (ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral | ts.TypeFlags.TemplateLiteral))
      return this.checker.typeToString(type);
    if (type.isUnion()) return this.union(type.types, indent, stack);
    if (type.isIntersection() && type.types.every((t) => t.flags & ts.TypeFlags.Object))
      return this.object(type, indent, stack);
    if (type.isIntersection()) return type.types.map((t) => this.wrap(t, indent, stack)).join(" & ");
    if (f & ts.TypeFlags.Object) return this.object(type as ts.ObjectType, indent, stack);
    throw new Error(`cannot print type ${this.checker.typeToString(type)} (flags ${f})`);
  }

  private union(types: readonly ts.Type[], indent: string, stack: ts.Type[]): string {
    const hasTrue = types.some((t) => t.flags & ts.TypeFlags.BooleanLiteral && this.checker.typeToString(t) === "true");
    const hasFalse = types.some(
      (t) => t.flags & ts.TypeFlags.BooleanLiteral && this.checker.typeToString(t) === "false",
    );
    const parts: string[] = [];
    for (const t of types) {
      if (hasTrue && hasFalse && t.flags & ts.TypeFlags.BooleanLiteral) {
        if (!parts.includes("boolean")) parts.push("boolean");
        continue;
      }
      parts.push(this.wrap(t, indent, stack));
    }
    return parts.join(" | ");
  }

  /** Parenthesises function-free composite members where precedence needs it. */
  private wrap(type: ts.Type, indent: string, stack: ts.Type[]): string {
    const text = this.print(type, indent, stack);
    return type.isUnion() || type.isIntersection() ? `(${text})` : text;
  }

  private isLibType(type: ts.Type): boolean {
    const declarations = (type.aliasSymbol ?? type.getSymbol())?.getDeclarations() ?? [];
    return (
      declarations.length > 0 && declarations.every((d) => this.program.isSourceFileDefaultLibrary(d.getSourceFile()))
    );
  }

  private object(type: ts.Type, indent: string, stack: ts.Type[]): string {
    if (this.checker.isArrayType(type)) {
      const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
      const readonly = type.getSymbol()?.getName() === "ReadonlyArray" ? "readonly " : "";
      return `${readonly}${this.wrap(element!, indent, stack)}[]`;
    }
    if (this.checker.isTupleType(type)) {
      return `[${this.checker
        .getTypeArguments(type as ts.TypeReference)
        .map((t) => this.print(t, indent, stack))
        .join(", ")}]`;
    }
    const properties = this.checker.getPropertiesOfType(type);
    const indexes = this.checker.getIndexInfosOfType(type);
    if (this.isLibType(type) && properties.length > 0) return this.checker.typeToString(type);
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      throw new Error(`functions have no place in a wire type: ${this.checker.typeToString(type)}`);
    }
    if (stack.includes(type)) throw new Error(`recursive type: ${this.checker.typeToString(type)}`);
    const inner = `${indent}  `;
    const next = [...stack, type];
    const members: string[] = [];
    for (const info of indexes) {
      members.push(`${inner}[key: ${this.print(info.keyType, inner, next)}]: ${this.print(info.type, inner, next)};`);
    }
    for (const property of properties) {
      const name = property.getName();
      const optional = property.flags & ts.SymbolFlags.Optional ? "?" : "";
      const propertyType = this.checker.getTypeOfSymbol(property);
      const doc = ts.displayPartsToString(property.getDocumentationComment(this.checker)).trim();
      if (doc) members.push(`${inner}/** ${doc.replace(/\*\//g, "*\\/").replace(/\n\s*/g, " ")} */`);
      members.push(
        `${inner}${IDENTIFIER.test(name) ? name : JSON.stringify(name)}${optional}: ${this.print(propertyType, inner, next)};`,
      );
    }
    return members.length === 0 ? "{}" : `{\n${members.join("\n")}\n${indent}}`;
  }
}

/** Nests procedure entries by path: `{ extensions: { create: ... } }`. */
function routerRecord(list: readonly AnyAction[]): string {
  type Tree = { [key: string]: Tree | string };
  const root: Tree = {};
  for (const action of list) {
    const segments = action.path.split(".");
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      node[segment] ??= {};
      node = node[segment] as Tree;
    }
    const name = typeBaseName(action.path);
    const kind = action.kind === "query" ? "TRPCQueryProcedure" : "TRPCMutationProcedure";
    node[segments[segments.length - 1]!] = `${kind}<{ input: ${name}Input; output: ${name}Output; meta: object }>`;
  }
  const render = (tree: Tree, indent: string): string =>
    `{\n${Object.entries(tree)
      .map(([key, value]) => `${indent}  ${key}: ${typeof value === "string" ? value : render(value, `${indent}  `)};`)
      .join("\n")}\n${indent}}`;
  return render(root, "");
}

export function emitRouterTypes(list: readonly AnyAction[] = actions): string {
  const source = shapeSource(list);
  const configPath = join(packageDir, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === shapeFile ? source : readFile(file));
  host.fileExists = (file) => file === shapeFile || ts.sys.fileExists(file);
  host.getSourceFile = (file, language, onError, create) =>
    file === shapeFile ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, onError, create);
  const program = ts.createProgram({ rootNames: [shapeFile], options: config.options, host });
  const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(shapeFile));
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, host));
  const checker = program.getTypeChecker();
  const printer = new TypePrinter(program, checker);
  const file = program.getSourceFile(shapeFile)!;
  const printed = new Map<string, string>();
  for (const statement of file.statements) {
    if (
      !ts.isTypeAliasDeclaration(statement) ||
      !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    )
      continue;
    try {
      printed.set(statement.name.text, printer.print(checker.getTypeAtLocation(statement.name)));
    } catch (error) {
      throw new Error(`${statement.name.text}: ${(error as Error).message}`);
    }
  }
  const out: string[] = [
    "// Generated by packages/client/scripts/emit-router-types.ts from the server's AppRouter. Do not edit.",
    `import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from "@trpc/server";`,
    "",
    "/** The body of every error (`TRPCClientError.shape`); `data` has Switchboard's code, field and request id. */",
    `export type SwitchboardErrorShape = ${printed.get("ErrorShape")};`,
    "",
    `/** Switchboard's part of an error: \`error.data\` of a caught \`TRPCClientError\`. */`,
    `export type SwitchboardErrorData = SwitchboardErrorShape["data"];`,
  ];
  for (const action of list) {
    const name = typeBaseName(action.path);
    out.push("", `/** \`${action.path}\` (${action.kind}; legacy \`${action.name}\`): ${action.summary} */`);
    out.push(`export type ${name}Input = ${printed.get(`${name}Input`)};`);
    out.push(`/** What \`${action.path}\` returns. */`);
    out.push(`export type ${name}Output = ${printed.get(`${name}Output`)};`);
  }
  out.push(
    "",
    "/** Every Switchboard action as a tRPC procedure. */",
    `export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: SwitchboardErrorShape; transformer: false }, ${routerRecord(list)}>;`,
    "",
  );
  return out.join("\n");
}

if (import.meta.main) {
  const target = process.argv[2] ?? join(packageDir, "build", "types", "router.d.ts");
  await Bun.write(target, emitRouterTypes());
  console.log(`wrote ${target} (${dirname(target)})`);
}
