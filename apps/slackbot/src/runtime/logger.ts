/** One JSON line per event, like the API's logs. */
export interface Logger {
  info(fields: Record<string, unknown>): void;
  error(fields: Record<string, unknown>): void;
}

export const jsonLogger: Logger = {
  info: (fields) => console.log(JSON.stringify({ level: "info", time: new Date().toISOString(), ...fields })),
  error: (fields) => console.error(JSON.stringify({ level: "error", time: new Date().toISOString(), ...fields })),
};

export const silentLogger: Logger = { info: () => {}, error: () => {} };
