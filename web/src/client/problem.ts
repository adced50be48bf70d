/** An API error as application/problem+json gives it: a stable `code`, and per-field `errors` on validation. */
export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? problem.code);
  }

  /** The message of the field at `path` (a dotted path such as `callingWindow.start`), if any. */
  fieldError(path: string): string | undefined {
    return this.problem.errors?.find((error) => error.path === path)?.message;
  }
}

function asProblem(body: unknown, status: number): Problem {
  if (body && typeof body === 'object' && 'code' in body) return { ...(body as Problem), status };
  return { status, code: status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}` };
}

/** The data of an openapi-fetch answer, or its problem thrown. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer;
  try {
    answer = await call;
  } catch {
    throw new ProblemError(asProblem(undefined, 0));
  }
  if (answer.error !== undefined || !answer.response.ok) throw new ProblemError(asProblem(answer.error, answer.response.status));
  return answer.data as T;
}

export const problemOf = (error: unknown): ProblemError | undefined => (error instanceof ProblemError ? error : undefined);
