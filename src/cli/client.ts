// How every remote command reaches a sitevpn: the API options (flag, then SITEVPN_* variable, then
// the config file), and a client for the Huawei v5 API and the /sitevpn/v1 extension, both signed
// with the AK/SK signer. Answers come back as parsed JSON; failures as CliErrors with exit codes.
import { type Command, Option } from 'commander';
import { readSettings } from './config-file.ts';
import { usageError } from './exit.ts';
import { type ApiTarget, ensureOk, signedFetch } from './sign.ts';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8787';

/** --endpoint, --access-key-id, --secret-access-key, --project-id, each with its environment variable. */
export function withApiOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--endpoint <url>', `sitevpn server (default ${DEFAULT_ENDPOINT})`).env('SITEVPN_ENDPOINT'))
    .addOption(new Option('--access-key-id <id>', 'access key id').env('SITEVPN_ACCESS_KEY_ID'))
    .addOption(new Option('--secret-access-key <secret>', 'secret access key').env('SITEVPN_SECRET_ACCESS_KEY'))
    .addOption(new Option('--project-id <id>', 'project id').env('SITEVPN_PROJECT_ID'));
}

/** A remote command: the API options and --json. */
export function remote(cmd: Command): Command {
  return withApiOptions(cmd).option('--json', 'print JSON for scripts instead of tables');
}

export function apiTarget(opts: Record<string, unknown>): ApiTarget {
  const file = readSettings();
  const pick = (k: 'endpoint' | 'accessKeyId' | 'secretAccessKey' | 'projectId'): string | undefined =>
    (typeof opts[k] === 'string' && opts[k]) || file[k] || undefined;
  const target = {
    endpoint: pick('endpoint') ?? DEFAULT_ENDPOINT,
    accessKeyId: pick('accessKeyId'),
    secretAccessKey: pick('secretAccessKey'),
    projectId: pick('projectId'),
  };
  const missing = (['accessKeyId', 'secretAccessKey', 'projectId'] as const).filter((k) => !target[k]);
  if (missing.length > 0) {
    const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw usageError(
      `missing ${missing.map(flag).join(', ')} (or SITEVPN_ACCESS_KEY_ID, SITEVPN_SECRET_ACCESS_KEY, SITEVPN_PROJECT_ID, or sitevpn configure)`,
    );
  }
  return target as ApiTarget;
}

// biome-ignore lint/suspicious/noExplicitAny: API answers are JSON whose shape each command knows.
export type Json = any;

export class ApiClient {
  constructor(readonly target: ApiTarget) {}

  static from(opts: Record<string, unknown>): ApiClient {
    return new ApiClient(apiTarget(opts));
  }

  /** /v5/{project_id}{path} */
  huawei(method: string, path: string, body?: unknown): Promise<Json> {
    return this.#call(method, `/v5/${this.target.projectId}${path}`, body);
  }

  /** /sitevpn/v1/projects/{project_id}{path} */
  ext(method: string, path: string, body?: unknown): Promise<Json> {
    return this.#call(method, `/sitevpn/v1/projects/${this.target.projectId}${path}`, body);
  }

  /** Every item of a Huawei list, following page_info.next_marker. */
  async huaweiList(path: string, key: string, filter: Record<string, string> = {}): Promise<Json[]> {
    const items: Json[] = [];
    let marker: string | undefined;
    do {
      const query = new URLSearchParams({ ...filter, limit: '200' });
      if (marker) query.set('marker', marker);
      const page = await this.huawei('GET', `${path}?${query}`);
      items.push(...(page[key] as Json[]));
      marker = page.page_info?.next_marker;
    } while (marker);
    return items;
  }

  async #call(method: string, absolutePath: string, body?: unknown): Promise<Json> {
    const res = await signedFetch(this.target, method, absolutePath, body);
    await ensureOk(res);
    const text = await res.text();
    if (!text) return undefined;
    const json = JSON.parse(text);
    if (json && typeof json === 'object') delete json.request_id;
    return json;
  }
}

/** A path segment from a user's argument. */
export const seg = (id: string): string => encodeURIComponent(id);
