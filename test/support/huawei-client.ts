// A Huawei API client for tests: requests are signed and sent by the real
// @huaweicloud/huaweicloud-sdk-core (BasicCredentials -> AKSKSigner -> axios).
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';

export interface HuaweiResult {
  status: number;
  body: any;
  errorCode?: string;
  errorMsg?: string;
  requestId?: string;
}

export class HuaweiTestClient {
  readonly #client: HcClient;
  readonly projectId: string;

  constructor(endpoint: string, ak: string, sk: string, projectId: string) {
    this.projectId = projectId;
    const credentials = new BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
    this.#client = new ClientBuilder((hc: HcClient) => hc).withEndpoint(endpoint).withCredential(credentials).build();
    // The SDK prints every 4xx answer to stdout through its HTTP client's logger; tests expect
    // many of them, so that logger is silenced (the SDK has no option for it).
    const http = (this.#client as unknown as { httpClient: { _logger: unknown } }).httpClient;
    http._logger = { debug() {}, info() {}, warn() {}, error() {} };
  }

  /** path is relative to /v5/{project_id}, e.g. '/vpn-connection'. */
  async call(
    method: string,
    path: string,
    data?: unknown,
    query: Record<string, string | string[]> = {},
    projectId = this.projectId,
  ): Promise<HuaweiResult> {
    try {
      const response = (await this.#client.sendRequest({
        method,
        url: `/v5/${projectId}${path}`,
        contentType: 'application/json',
        pathParams: {},
        queryParams: query,
        headers: {},
        data: data as Record<string, unknown> | undefined,
      })) as Record<string, unknown> & { httpStatusCode: number };
      const { httpStatusCode, ...body } = response;
      return { status: httpStatusCode, body };
    } catch (err) {
      const e = err as { httpStatusCode?: number; errorCode?: string; errorMsg?: string; requestId?: string };
      if (typeof e.httpStatusCode !== 'number') throw err;
      return { status: e.httpStatusCode, body: undefined, errorCode: e.errorCode, errorMsg: e.errorMsg, requestId: e.requestId };
    }
  }
}
