import { CliError, EXIT } from '../exit-codes';
import { request } from '../http';

const GENERIC_400 = new Set(['invalid_request', 'bad_request']);

/** The admin API of a running Hookport (`/admin/api/*`), with ADMIN_TOKEN as the bearer. */
export interface AdminClient {
  origin: string;
  /** The answer's status and JSON; 401, 400, 503 and 5xx are turned into CliErrors here. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
}

export function adminClient(origin: string, env: NodeJS.ProcessEnv): AdminClient {
  const token = env.ADMIN_TOKEN?.trim();
  if (!token)
    throw new CliError(
      "set ADMIN_TOKEN to the running server's operator token (the events and subscriptions commands use its admin API)",
      EXIT.config,
    );
  return {
    origin,
    async call(method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await request(
        `${origin}${path}`,
        { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
        origin,
      );
      const text = await response.text();
      let json: Record<string, unknown>;
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        throw new CliError(
          `${origin} answered ${response.status} with something that is not JSON: is it Hookport?`,
          EXIT.failed,
        );
      }
      failOn(response.status, json, origin);
      return { status: response.status, json };
    },
  };
}

function failOn(status: number, json: Record<string, unknown>, origin: string): void {
  if (status === 401)
    throw new CliError(`ADMIN_TOKEN does not match the server's (${origin} answered 401 unauthorized)`, EXIT.failed);
  if (status === 400) {
    // A specific code (url_not_allowed) is named; the generic 400 only by its message (an older
    // server spelled it bad_request).
    const code = typeof json.error === 'string' && !GENERIC_400.has(json.error) ? `${json.error}: ` : '';
    throw new CliError(
      `the server refused the request: ${code}${String(json.message ?? json.error ?? 'invalid_request')}`,
      EXIT.usage,
    );
  }
  if (status === 503 && json.error === 'admin_not_configured') {
    throw new CliError(
      `the server at ${origin} has no ADMIN_TOKEN set: set it where Hookport runs, and restart it`,
      EXIT.config,
    );
  }
  if (status === 409) throw new CliError(String(json.message ?? 'the server refused: conflict'), EXIT.failed);
  if (status >= 500)
    throw new CliError(`${origin} answered ${status}${json.error ? ` ${String(json.error)}` : ''}`, EXIT.failed);
}
