import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { type AllowList, type CheckedUrl, checkWebhookUrl, effectivePort, SsrfRefused } from './ssrf.js';

/**
 * A notification that did not arrive. `retryable` tells the notification service whether trying again later can
 * help (network trouble, timeouts, 5xx, 429, 408) or not (the receiver refused the request, the address is refused).
 * `status` is the HTTP status or SMTP reply code when there was one.
 */
export class DeliveryFailed extends Error {
  readonly retryable: boolean;
  readonly status?: number;

  constructor(message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryFailed';
    this.retryable = options.retryable;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** Whether a failed delivery may be tried again; anything that is neither DeliveryFailed nor SsrfRefused is not. */
export function isRetryable(error: unknown): boolean {
  return error instanceof DeliveryFailed ? error.retryable : false;
}

export interface PostJsonOptions {
  headers?: Record<string, string>;
  allow: AllowList;
  /** for each request of the exchange (each redirect gets its own), from connecting to the last byte read */
  timeoutMs?: number;
  maxRedirects?: number;
  /** the response body is read up to this many bytes and the rest is discarded */
  maxResponseBytes?: number;
}

export interface PostJsonResult {
  status: number;
  body: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Whether a failed HTTP status may succeed later: the receiver is overloaded or broken, not refusing this request. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

interface Hop {
  target: CheckedUrl;
  method: 'POST' | 'GET';
  body: Buffer | null;
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
}

interface HopResult {
  status: number;
  location: string | undefined;
  body: string;
}

function send(hop: Hop): Promise<HopResult> {
  const { target } = hop;
  const hostname = target.url.hostname.replace(/^\[|\]$/g, '');
  // the checked address answers every lookup, so the connection cannot go anywhere the check did not see
  const lookup: LookupFunction = (_name, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const headers: Record<string, string> = { 'user-agent': 'luoshi-delivery', ...hop.headers };
  if (hop.body) {
    headers['content-type'] ??= 'application/json; charset=utf-8';
    headers['content-length'] = String(hop.body.length);
  }
  const isHttps = target.url.protocol === 'https:';
  const options: https.RequestOptions = {
    host: hostname,
    port: effectivePort(target.url),
    path: `${target.url.pathname}${target.url.search}`,
    method: hop.method,
    headers,
    lookup,
    // a pooled socket could have been opened for another pinned address of the same name
    agent: false,
    family: target.family,
  };
  // SNI and certificate checks need the name, never an address literal
  if (isHttps && hostname !== target.address) options.servername = hostname;

  return new Promise<HopResult>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, result?: HopResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result!);
    };
    const request = (isHttps ? https : http).request(options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        finish(null, {
          status: response.statusCode ?? 0,
          location: response.headers.location,
          // write() without end() leaves out a character the cap cut in half instead of showing it as U+FFFD
          body: new StringDecoder('utf8').write(Buffer.concat(chunks)),
        });
      response.on('data', (chunk: Buffer) => {
        const room = hop.maxResponseBytes - size;
        if (room > 0) chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += chunk.length;
        // past the cap nothing more is wanted: stop the transfer instead of reading a hostile stream to its end
        if (size >= hop.maxResponseBytes) {
          done();
          response.destroy();
        }
      });
      response.on('end', done);
      response.on('error', (error) => finish(networkFailure(error, target)));
      // a connection cut before the end of the body is a network failure, not a short answer
      response.on('close', () => finish(networkFailure(new Error('响应未完整接收'), target)));
    });
    const timer = setTimeout(() => {
      finish(
        new DeliveryFailed(`向 ${target.url.host} 发送通知超时（${hop.timeoutMs} 毫秒内未完成）。`, {
          retryable: true,
        }),
      );
      request.destroy();
    }, hop.timeoutMs);
    request.on('error', (error) => finish(networkFailure(error, target)));
    request.end(hop.body ?? undefined);
  });
}

function networkFailure(error: Error, target: CheckedUrl): DeliveryFailed {
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  return new DeliveryFailed(`无法连接 ${target.url.host}（${code}），稍后将重试。`, { retryable: true, cause: error });
}

/**
 * POSTs JSON to a webhook behind the SSRF guard and answers the final status and body (up to the cap).
 *
 * `body` is sent as it is when it is a string or a Buffer (so a signature computed over those exact bytes stays
 * valid) and as `JSON.stringify(body)` otherwise. Each hop is checked with checkWebhookUrl and connects to exactly
 * the address the check resolved. Redirects are followed only to addresses that pass the check again, at most
 * `maxRedirects` times: 307 and 308 repeat the POST with the same body, 301, 302 and 303 continue with a GET, as
 * HTTP prescribes.
 *
 * @throws SsrfRefused when an address on the way is refused (never retryable)
 * @throws DeliveryFailed for everything else: network errors, timeouts, 5xx, 429 and 408 retryable, other statuses not
 */
export async function postJson(url: string, body: unknown, options: PostJsonOptions): Promise<PostJsonResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRedirects = options.maxRedirects ?? 3;
  const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');

  let current = url;
  let method: 'POST' | 'GET' = 'POST';
  for (let redirects = 0; ; redirects++) {
    let target: CheckedUrl;
    try {
      target = await checkWebhookUrl(current, options.allow);
    } catch (error) {
      if (error instanceof SsrfRefused) throw error;
      // the name did not resolve: DNS trouble is often temporary
      throw new DeliveryFailed((error as Error).message, { retryable: true, cause: error });
    }
    const hopHeaders = { ...options.headers };
    if (method === 'GET') {
      for (const name of Object.keys(hopHeaders)) if (name.toLowerCase() === 'content-type') delete hopHeaders[name];
    }
    const result = await send({
      target,
      method,
      body: method === 'POST' ? payload : null,
      headers: hopHeaders,
      timeoutMs,
      maxResponseBytes,
    });

    if (REDIRECTS.has(result.status) && result.location !== undefined) {
      if (redirects >= maxRedirects) {
        throw new DeliveryFailed(`${target.url.host} 的重定向超过 ${maxRedirects} 次，已停止。`, {
          retryable: false,
          status: result.status,
        });
      }
      let next: URL;
      try {
        next = new URL(result.location, target.url);
      } catch {
        throw new DeliveryFailed(`${target.url.host} 返回的重定向地址无效。`, { retryable: false, status: result.status });
      }
      current = next.href;
      if (result.status !== 307 && result.status !== 308) method = 'GET';
      continue;
    }
    if (result.status >= 200 && result.status < 300) return { status: result.status, body: result.body };
    const retryable = retryableStatus(result.status);
    throw new DeliveryFailed(`${target.url.host} 拒绝了通知，HTTP 状态 ${result.status}${retryable ? '，稍后将重试' : ''}。`, {
      retryable,
      status: result.status,
    });
  }
}
