import { ActionError, type ActionErrorCode, outageError } from "@switchboard/core";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";

const CODES: Record<ActionErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
};

/** An action failure as a tRPC error: the same code and message; unexpected errors say nothing more. */
export function toTrpcError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const known = error instanceof ActionError ? error : outageError(error);
  if (known) return new TRPCError({ code: CODES[known.code], message: known.message, cause: known });
  return new TRPCError({
    code: "INTERNAL_SERVER_ERROR",
    message: "internal server error",
    cause: error instanceof Error ? error : undefined,
  });
}

/** `name: message; other: message` from zod issues: what a person reads first. */
export function readableIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/** The zod error behind a tRPC error, if the failure was bad input. */
export function zodErrorOf(error: TRPCError): z.ZodError | null {
  if (error.cause instanceof z.ZodError) return error.cause;
  const inner = (error.cause as { cause?: unknown } | undefined)?.cause;
  return inner instanceof z.ZodError ? inner : null;
}
