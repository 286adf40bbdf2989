export * from "./switch.ts";
