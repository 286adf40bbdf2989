import { expect, test } from "bun:test";
import { parseDump, renderSchemaModule } from "./generate-fusionpbx-schemas.ts";

/** A made-up dump in pg_dump's schema-only layout, with each kind of object the generator meets. */
const DUMP = [
  "SET statement_timeout = 0;",
  "SELECT pg_catalog.set_config('search_path', '', false);",
  "CREATE FUNCTION public.natural_sort(text) RETURNS bytea",
  "    LANGUAGE sql IMMUTABLE STRICT",
  "    AS $_$ select 1 $_$;",
  "CREATE TABLE public.v_things (",
  "    thing_uuid uuid NOT NULL,",
  "    domain_uuid uuid,",
  '    "order" numeric,',
  "    leg character(1)",
  ");",
  "CREATE VIEW public.view_things AS",
  " SELECT v_things.thing_uuid FROM public.v_things;",
  "ALTER TABLE ONLY public.v_things",
  "    ADD CONSTRAINT v_things_pkey PRIMARY KEY (thing_uuid);",
  "CREATE INDEX v_things_domain_uuid_fkey ON public.v_things USING btree (domain_uuid);",
].join("\n");

test("parseDump carries columns in order with their types, the primary key and indexes; it names what it leaves out", () => {
  const parsed = parseDump("fusionpbx-5.6-master", DUMP);
  expect(parsed.schema.tables).toEqual([
    {
      name: "v_things",
      primaryKey: "thing_uuid",
      indexed: ["domain_uuid"],
      columns: ["thing_uuid uuid", "domain_uuid uuid", "order numeric", "leg character(1)"],
    },
  ]);
  expect(parsed.leftOut).toEqual(["function natural_sort", "view view_things"]);
  const module = renderSchemaModule(parsed);
  expect(module).toContain("export const fusionpbx56Master: FusionpbxSchema = {");
  expect(module).toContain('"order numeric",');
});

test("parseDump refuses what the carried schema cannot express", () => {
  const withDefault = DUMP.replace("leg character(1)", "leg character(1) DEFAULT 'a'::bpchar");
  expect(() => parseDump("fusionpbx-5.1.0", withDefault)).toThrow("cannot carry column line in v_things");
  const uniqueIndex = DUMP.replace("CREATE INDEX", "CREATE UNIQUE INDEX");
  expect(() => parseDump("fusionpbx-5.1.0", uniqueIndex)).toThrow("cannot carry CREATE UNIQUE INDEX");
  const foreignKey = `${DUMP}\nALTER TABLE ONLY public.v_things\n    ADD CONSTRAINT v_things_fk FOREIGN KEY (domain_uuid) REFERENCES public.v_domains(domain_uuid);`;
  expect(() => parseDump("fusionpbx-5.1.0", foreignKey)).toThrow("cannot carry ALTER TABLE ONLY");
  const notNull = DUMP.replace("domain_uuid uuid,", "domain_uuid uuid NOT NULL,");
  expect(() => parseDump("fusionpbx-5.1.0", notNull)).toThrow("NOT NULL columns besides its primary key");
  const trigger = `${DUMP}\nCREATE TRIGGER t AFTER INSERT ON public.v_things FOR EACH ROW EXECUTE FUNCTION f();`;
  expect(() => parseDump("fusionpbx-5.1.0", trigger)).toThrow("cannot carry CREATE TRIGGER");
});
