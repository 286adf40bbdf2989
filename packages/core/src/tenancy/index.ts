export * from "./domain-rule.ts";
export * from "./resolve-domain.ts";
