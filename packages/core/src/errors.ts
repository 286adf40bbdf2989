/** Error kinds every face understands; each face maps them to its own error shape. */
export type ActionErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

/** What the original rest.php answered for this failure, when it differs from the default mapping. */
export interface LegacyReply {
  status: number;
  body: unknown;
}

export interface ActionErrorOptions {
  /** The legacy route's status for this error (the original used 500 for many "not found"s). */
  legacyStatus?: number;
  /** The legacy route's whole body, when it is not `{"error": message}`. */
  legacyBody?: unknown;
  /** The offending input field, for 400s that name a parameter. */
  field?: string;
  cause?: unknown;
}

const DEFAULT_LEGACY_STATUS: Record<ActionErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export class ActionError extends Error {
  readonly code: ActionErrorCode;
  readonly field: string | undefined;
  readonly legacy: LegacyReply;

  constructor(code: ActionErrorCode, message: string, options: ActionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ActionError";
    this.code = code;
    this.field = options.field;
    this.legacy = {
      status: options.legacyStatus ?? DEFAULT_LEGACY_STATUS[code],
      body: options.legacyBody ?? { error: message },
    };
  }
}

export const badRequest = (message: string, options?: ActionErrorOptions) =>
  new ActionError("BAD_REQUEST", message, options);
export const notFound = (message: string, options?: ActionErrorOptions) =>
  new ActionError("NOT_FOUND", message, options);
export const conflict = (message: string, options?: ActionErrorOptions) =>
  new ActionError("CONFLICT", message, options);
export const forbidden = (message: string, options?: ActionErrorOptions) =>
  new ActionError("FORBIDDEN", message, options);
export const unavailable = (message: string, options?: ActionErrorOptions) =>
  new ActionError("SERVICE_UNAVAILABLE", message, options);
