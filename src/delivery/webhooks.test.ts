import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryFailed } from './http.js';
import { parseAllowList } from './ssrf.js';
import {
  buildWebhookRequest,
  dingTalkSign,
  sendWebhook,
  verifyGenericSignature,
  WECOM_MAX_CONTENT_BYTES,
  type WebhookMessage,
  wecomContent,
} from './webhooks.js';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A receiver on 127.0.0.1 that records what it got, byte for byte, and answers as told. */
class Receiver {
  server: Server = createServer();
  port = 0;
  received: Received[] = [];
  answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '' };

  async start(): Promise<void> {
    this.server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ url: request.url ?? '', headers: request.headers, raw: Buffer.concat(chunks) });
        const { status, body, delayMs } = this.answer;
        const reply = () => {
          if (!response.destroyed) response.writeHead(status, { 'content-type': 'application/json' }).end(body);
        };
        if (delayMs) setTimeout(reply, delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  last(): Received {
    return this.received.at(-1)!;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const message: WebhookMessage = {
  id: 'd-2026-0001',
  event: 'report.overdue',
  title: '督办提醒：第三季度进展逾期',
  text: '市住建局“老旧小区改造”事项进展未按期报送。\n请于 3 个工作日内补报。',
  link: 'https://luoshi.example.gov.cn/items/42',
  data: { itemId: 42, 单位: '市住建局' },
};

const now = new Date('2026-12-01T08:00:00.123Z');
const allow = parseAllowList('127.0.0.1');

async function failure(promise: Promise<unknown>): Promise<DeliveryFailed> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryFailed);
  return error as DeliveryFailed;
}

let receiver: Receiver;

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
});

afterAll(async () => {
  await receiver.stop();
});

describe('generic webhook', () => {
  it('sends the message with a signature that verifies over the raw bytes received', async () => {
    receiver.answer = { status: 204, body: '' };
    await sendWebhook('generic', { url: `${receiver.url}/hooks/luoshi`, secret: '机密-secret' }, message, { allow, now });
    const got = receiver.last();
    const raw = got.raw.toString('utf8');
    expect(got.url).toBe('/hooks/luoshi');
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.headers['x-luoshi-delivery']).toBe('d-2026-0001');
    expect(got.headers['x-luoshi-event']).toBe('report.overdue');
    expect(got.headers['x-luoshi-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    const timestamp = got.headers['x-luoshi-timestamp'] as string;
    const signature = got.headers['x-luoshi-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyGenericSignature('机密-secret', timestamp, raw, signature)).toBe(true);
    expect(verifyGenericSignature('wrong-secret', timestamp, raw, signature)).toBe(false);
    expect(verifyGenericSignature('机密-secret', Number(timestamp) + 1, raw, signature)).toBe(false);
    expect(verifyGenericSignature('机密-secret', timestamp, `${raw} `, signature)).toBe(false);
    expect(verifyGenericSignature('机密-secret', timestamp, raw, 'sha256=00')).toBe(false);
    expect(JSON.parse(raw)).toEqual({
      id: message.id,
      event: message.event,
      title: message.title,
      text: message.text,
      link: message.link,
      data: message.data,
      sentAt: '2026-12-01T08:00:00.123Z',
    });
  });

  it('sends no signature without a secret', () => {
    const request = buildWebhookRequest('generic', { url: 'https://hooks.example.org/x', secret: null }, message, now);
    expect(request.headers['X-Luoshi-Signature']).toBeUndefined();
    expect(request.headers['X-Luoshi-Delivery']).toBe(message.id);
  });

  it('maps the receiver’s status: 500 and 429 retryable, 400 not, a timeout retryable', async () => {
    const target = { url: `${receiver.url}/hook`, secret: 's' };
    receiver.answer = { status: 500, body: 'boom' };
    let error = await failure(sendWebhook('generic', target, message, { allow, now }));
    expect(error).toMatchObject({ retryable: true, status: 500 });
    expect(error.message).toMatch(/HTTP 状态 500/);

    receiver.answer = { status: 429, body: '' };
    expect(await failure(sendWebhook('generic', target, message, { allow, now }))).toMatchObject({ retryable: true, status: 429 });

    receiver.answer = { status: 400, body: 'bad' };
    expect(await failure(sendWebhook('generic', target, message, { allow, now }))).toMatchObject({ retryable: false, status: 400 });

    receiver.answer = { status: 200, body: '', delayMs: 1000 };
    error = await failure(sendWebhook('generic', target, message, { allow, now, timeoutMs: 100 }));
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/超时/);
  });

  it('treats a receiver that is not listening as retryable', async () => {
    const closed = new Receiver();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    const error = await failure(sendWebhook('generic', { url }, message, { allow, now }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/无法连接/);
  });
});

describe('DingTalk robot', () => {
  it('signs the URL so that the receiver can recompute the signature, and sends markdown', async () => {
    receiver.answer = { status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) };
    const secret = 'SEC0123456789abcdef';
    await sendWebhook('dingtalk', { url: `${receiver.url}/robot/send?access_token=tok123`, secret }, message, { allow, now });
    const got = receiver.last();
    const query = new URL(got.url, 'http://x').searchParams;
    expect(query.get('access_token')).toBe('tok123');
    expect(query.get('timestamp')).toBe(String(now.getTime()));
    // DingTalk's documented algorithm, computed here independently of dingTalkSign
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', secret)
      .update(`${query.get('timestamp')}\n${secret}`)
      .digest('base64');
    expect(query.get('sign')).toBe(expected);
    expect(dingTalkSign(secret, now.getTime())).toBe(expected);
    // the raw query carries it URL-encoded (base64 has +, / and =)
    expect(got.url).toContain(`sign=${encodeURIComponent(expected)}`);

    const body = JSON.parse(got.raw.toString('utf8'));
    expect(body).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: message.title,
        text:
          '#### 督办提醒：第三季度进展逾期\n\n市住建局“老旧小区改造”事项进展未按期报送。\n\n请于 3 个工作日内补报。\n\n' +
          '[查看详情](https://luoshi.example.gov.cn/items/42)',
      },
    });
  });

  it('adds no signature without a secret', () => {
    const request = buildWebhookRequest('dingtalk', { url: 'https://oapi.dingtalk.com/robot/send?access_token=t' }, message, now);
    expect(new URL(request.url).searchParams.has('sign')).toBe(false);
    expect(new URL(request.url).searchParams.get('access_token')).toBe('t');
  });

  it.each([
    [310000, false],
    [130101, true],
    [-1, true],
    [300001, false],
  ])('reads errcode %i as a failure, retryable: %s', async (errcode, retryable) => {
    receiver.answer = { status: 200, body: JSON.stringify({ errcode, errmsg: 'sign not match' }) };
    const error = await failure(
      sendWebhook('dingtalk', { url: `${receiver.url}/robot/send?access_token=t`, secret: 's' }, message, { allow, now }),
    );
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(200);
    expect(error.message).toContain(`钉钉机器人拒绝了消息（错误码 ${errcode}`);
  });

  it('refuses an answer that is not JSON', async () => {
    receiver.answer = { status: 200, body: '<html>' };
    const error = await failure(sendWebhook('dingtalk', { url: `${receiver.url}/robot/send` }, message, { allow, now }));
    expect(error.retryable).toBe(false);
  });
});

describe('WeCom robot', () => {
  it('sends markdown content to the URL with its key', async () => {
    receiver.answer = { status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) };
    await sendWebhook('wecom', { url: `${receiver.url}/cgi-bin/webhook/send?key=693a91f6-7xxx` }, message, { allow, now });
    const got = receiver.last();
    expect(new URL(got.url, 'http://x').searchParams.get('key')).toBe('693a91f6-7xxx');
    expect(got.headers['x-luoshi-signature']).toBeUndefined();
    expect(JSON.parse(got.raw.toString('utf8'))).toEqual({
      msgtype: 'markdown',
      markdown: {
        content:
          '### 督办提醒：第三季度进展逾期\n市住建局“老旧小区改造”事项进展未按期报送。\n请于 3 个工作日内补报。\n' +
          '[查看详情](https://luoshi.example.gov.cn/items/42)',
      },
    });
  });

  it('cuts long content to 4096 bytes of UTF-8 with an ellipsis, keeping the link', () => {
    const long = { ...message, text: '落实'.repeat(3000) };
    const content = wecomContent(long);
    const bytes = Buffer.byteLength(content, 'utf8');
    expect(bytes).toBeLessThanOrEqual(WECOM_MAX_CONTENT_BYTES);
    expect(bytes).toBeGreaterThan(WECOM_MAX_CONTENT_BYTES - 4);
    expect(content).toContain('…\n[查看详情](https://luoshi.example.gov.cn/items/42)');
    expect(content).not.toContain('\ufffd');
    const request = buildWebhookRequest('wecom', { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }, long, now);
    expect(JSON.parse(request.body).markdown.content).toBe(content);

    const withoutLink = wecomContent({ ...long, link: undefined });
    expect(Buffer.byteLength(withoutLink, 'utf8')).toBeLessThanOrEqual(WECOM_MAX_CONTENT_BYTES);
    expect(withoutLink.endsWith('…')).toBe(true);
    // short content is left alone
    expect(wecomContent(message)).not.toContain('…');
  });

  it('reads 45009 as retryable and other errcodes as permanent', async () => {
    const target = { url: `${receiver.url}/cgi-bin/webhook/send?key=k` };
    receiver.answer = { status: 200, body: JSON.stringify({ errcode: 45009, errmsg: 'api freq out of limit' }) };
    expect(await failure(sendWebhook('wecom', target, message, { allow, now }))).toMatchObject({ retryable: true });
    receiver.answer = { status: 200, body: JSON.stringify({ errcode: 93000, errmsg: 'invalid webhook url' }) };
    expect(await failure(sendWebhook('wecom', target, message, { allow, now }))).toMatchObject({ retryable: false });
  });

  it('refuses a URL without key before sending anything', async () => {
    const before = receiver.received.length;
    const error = await failure(sendWebhook('wecom', { url: `${receiver.url}/cgi-bin/webhook/send` }, message, { allow, now }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/缺少 key/);
    expect(receiver.received.length).toBe(before);
  });
});
