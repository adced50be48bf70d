import { requestJson, type FetchLike, type JsonResponse } from '../http';

export interface AriSettings {
  /** e.g. http://asterisk:8088/ari */
  baseUrl: string;
  user: string;
  password: string;
}

export interface AriChannel {
  id: string;
  state: string;
  dialplan?: { context?: string; exten?: string };
  caller?: { number?: string };
  connected?: { number?: string };
  channelvars?: Record<string, string>;
}

const TIMEOUT_MS = 10_000;

/** The few Asterisk REST Interface calls Outdial makes: originate, look up, hang up. */
export class AriClient {
  private readonly auth: string;

  constructor(
    private readonly settings: AriSettings,
    private readonly fetchImpl: FetchLike = fetch,
  ) {
    this.auth = `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`;
  }

  originate(params: Record<string, string>, variables: Record<string, string>): Promise<JsonResponse> {
    return this.request('POST', `/channels?${new URLSearchParams(params).toString()}`, { variables });
  }

  getChannel(id: string): Promise<JsonResponse> {
    return this.request('GET', `/channels/${encodeURIComponent(id)}`);
  }

  async listChannels(): Promise<AriChannel[]> {
    const result = await this.request('GET', '/channels');
    if (result.status !== 200 || !Array.isArray(result.body)) {
      throw new Error(`ARI channel list answered ${result.status}`);
    }
    return result.body as AriChannel[];
  }

  /** Hangs a channel up; an unanswered one gets a SIP CANCEL (487). Gone already counts as done. */
  async deleteChannel(id: string): Promise<void> {
    const result = await this.request('DELETE', `/channels/${encodeURIComponent(id)}`);
    if (result.status === 204 || result.status === 200 || result.status === 404) return;
    throw new Error(`ARI hang-up of ${id} answered ${result.status}: ${result.text.slice(0, 200)}`);
  }

  private request(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    return requestJson(this.fetchImpl, `${this.settings.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: this.auth },
      body,
      timeoutMs: TIMEOUT_MS,
    });
  }
}
