import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryFailed, postJson } from './http.js';
import type { AllowList } from './ssrf.js';

/** The receivers luoshi can post to: its own signed JSON, a DingTalk group robot, a WeCom group robot. */
export type WebhookKind = 'generic' | 'dingtalk' | 'wecom';

/** One notification, independent of where it goes. */
export interface WebhookMessage {
  /** stable delivery id: the same notification sent again carries the same id, so receivers can deduplicate */
  id: string;
  event: string;
  title: string;
  /** plain Chinese text, possibly several lines */
  text: string;
  link?: string;
  data?: Record<string, unknown>;
}

export interface WebhookTarget {
  url: string;
  secret?: string | null;
}

/**
 * What to POST. `body` is the serialised JSON, exactly the bytes to send: the generic signature is computed over this
 * string, and re-serialising an object could change it. postJson sends a string body unchanged.
 */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** WeCom refuses markdown content over 4096 bytes of UTF-8. */
export const WECOM_MAX_CONTENT_BYTES = 4096;

const ELLIPSIS = '…';

/**
 * The generic signature: `sha256=` and the hex HMAC-SHA256 of `${timestamp}.${rawBody}` under the secret. The
 * timestamp is inside the signed text so that a captured request cannot be replayed later with a fresh timestamp.
 */
export function genericSignature(secret: string, timestamp: string | number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

/**
 * Checks an `X-Luoshi-Signature` header as a receiver would, in constant time. Receivers should also refuse
 * timestamps far from their own clock; that policy is theirs.
 */
export function verifyGenericSignature(secret: string, timestamp: string | number, rawBody: string, header: string): boolean {
  const expected = Buffer.from(genericSignature(secret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * DingTalk's robot signature: base64 of HMAC-SHA256 with the secret as key over `${timestampMs}\n${secret}`. The value
 * returned is not yet URL-encoded; it must be encoded when put into the query (URLSearchParams does that).
 */
export function dingTalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}

/** Cuts UTF-8 text to at most `maxBytes` without splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

/**
 * The WeCom content, cut to the limit with an ellipsis. The link is kept whole at the end when it fits, since it is
 * the part the reader acts on.
 */
export function wecomContent(message: WebhookMessage): string {
  const head = [`### ${message.title}`, ...lines(message.text)].join('\n');
  const footer = message.link ? `\n[查看详情](${message.link})` : '';
  const whole = head + footer;
  if (Buffer.byteLength(whole, 'utf8') <= WECOM_MAX_CONTENT_BYTES) return whole;
  const room = WECOM_MAX_CONTENT_BYTES - Buffer.byteLength(footer + ELLIPSIS, 'utf8');
  if (room <= 0) return truncateUtf8(whole, WECOM_MAX_CONTENT_BYTES - Buffer.byteLength(ELLIPSIS, 'utf8')) + ELLIPSIS;
  return truncateUtf8(head, room) + ELLIPSIS + footer;
}

/** The DingTalk markdown text: a heading, the lines as paragraphs (single newlines do not break in DingTalk), the link. */
export function dingTalkMarkdown(message: WebhookMessage): string {
  const parts = [`#### ${message.title}`, ...lines(message.text)];
  if (message.link) parts.push(`[查看详情](${message.link})`);
  return parts.join('\n\n');
}

/**
 * Builds the request for one receiver kind. Pure: the same message and `now` give the same request, so a retry sends
 * the same id (and, for DingTalk, a fresh signature only because `now` moved).
 *
 * @throws Error with a Chinese message when the target cannot be used (a WeCom URL without `key`)
 */
export function buildWebhookRequest(kind: WebhookKind, target: WebhookTarget, message: WebhookMessage, now: Date): WebhookRequest {
  const secret = target.secret || null;
  switch (kind) {
    case 'generic': {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const body = JSON.stringify({
        id: message.id,
        event: message.event,
        title: message.title,
        text: message.text,
        link: message.link ?? null,
        data: message.data ?? null,
        sentAt: now.toISOString(),
      });
      const headers: Record<string, string> = {
        'X-Luoshi-Delivery': message.id,
        'X-Luoshi-Event': message.event,
        'X-Luoshi-Timestamp': timestamp,
      };
      if (secret) headers['X-Luoshi-Signature'] = genericSignature(secret, timestamp, body);
      return { url: target.url, headers, body };
    }
    case 'dingtalk': {
      const url = new URL(target.url);
      if (secret) {
        const timestamp = now.getTime();
        url.searchParams.set('timestamp', String(timestamp));
        url.searchParams.set('sign', dingTalkSign(secret, timestamp));
      }
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text: dingTalkMarkdown(message) } });
      return { url: url.href, headers: {}, body };
    }
    case 'wecom': {
      const url = new URL(target.url);
      if (!url.searchParams.get('key')) {
        throw new Error('企业微信群机器人地址缺少 key 参数，请复制机器人的完整 Webhook 地址。');
      }
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { content: wecomContent(message) } });
      return { url: url.href, headers: {}, body };
    }
  }
}

// DingTalk: 130101 发送太快; -1 系统繁忙. WeCom: 45009 接口调用超过限制; -1 系统繁忙. Everything else (bad signature,
// keyword missing, wrong key, malformed message) repeats identically on retry.
const RETRYABLE_ERRCODES: Record<Exclude<WebhookKind, 'generic'>, ReadonlySet<number>> = {
  dingtalk: new Set([130101, -1]),
  wecom: new Set([45009, -1]),
};

const VENDOR_NAMES: Record<Exclude<WebhookKind, 'generic'>, string> = { dingtalk: '钉钉机器人', wecom: '企业微信机器人' };

/**
 * Reads a DingTalk or WeCom answer: both say HTTP 200 and put the outcome in `{ errcode, errmsg }`.
 *
 * @throws DeliveryFailed unless errcode is 0
 */
export function interpretVendorAnswer(kind: Exclude<WebhookKind, 'generic'>, status: number, body: string): void {
  const vendor = VENDOR_NAMES[kind];
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(body) as typeof answer;
  } catch {
    // the robot always answers JSON; anything else means the address is not the robot's
    throw new DeliveryFailed(`${vendor}的回答不是 JSON，请检查 Webhook 地址。`, { retryable: false, status });
  }
  const errcode = typeof answer?.errcode === 'number' ? answer.errcode : Number.NaN;
  if (errcode === 0) return;
  const errmsg = typeof answer?.errmsg === 'string' ? answer.errmsg : '';
  if (Number.isNaN(errcode)) {
    throw new DeliveryFailed(`${vendor}的回答缺少 errcode，请检查 Webhook 地址。`, { retryable: false, status });
  }
  const retryable = RETRYABLE_ERRCODES[kind].has(errcode);
  throw new DeliveryFailed(`${vendor}拒绝了消息（错误码 ${errcode}${errmsg ? `：${errmsg}` : ''}）${retryable ? '，稍后将重试' : ''}。`, {
    retryable,
    status,
  });
}

export interface SendWebhookOptions {
  allow: AllowList;
  /** the time stamped into the request and its signature; the current time by default */
  now?: Date;
  timeoutMs?: number;
}

/**
 * Sends one message to one webhook and reads the receiver's verdict.
 *
 * @throws SsrfRefused when the address (or a redirect) is refused
 * @throws DeliveryFailed when the message did not arrive, with `retryable` telling whether trying again can help
 */
export async function sendWebhook(
  kind: WebhookKind,
  target: WebhookTarget,
  message: WebhookMessage,
  options: SendWebhookOptions,
): Promise<void> {
  let request: WebhookRequest;
  try {
    request = buildWebhookRequest(kind, target, message, options.now ?? new Date());
  } catch (error) {
    const text = error instanceof TypeError ? 'Webhook 地址不是有效的网址。' : (error as Error).message;
    throw new DeliveryFailed(text, { retryable: false, cause: error });
  }
  const result = await postJson(request.url, request.body, {
    headers: request.headers,
    allow: options.allow,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  if (kind !== 'generic') interpretVendorAnswer(kind, result.status, result.body);
}
