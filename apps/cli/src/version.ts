import rootPackage from "../../../package.json" with { type: "json" };

/** The release's version: the root package.json's, compiled into the binary. */
export const VERSION: string = rootPackage.version;
