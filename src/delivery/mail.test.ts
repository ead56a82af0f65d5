import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryFailed } from './http.js';
import { createMailer, isPlainAddress, type Mailer, parseSmtpUrl } from './mail.js';

interface Delivered {
  from: string | undefined;
  to: string[];
  raw: string;
}

/** A local SMTP server that keeps what it received, or refuses every message with the reply it is given. */
async function smtpCanary(refuse?: { code: number; text: string }) {
  const delivered: Delivered[] = [];
  const logins: string[] = [];
  let sessions = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // plain-text login is acceptable on loopback only, which is all this test server listens on
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username}:${auth.password}`);
      callback(null, { user: auth.username });
    },
    onConnect(_session, callback) {
      sessions++;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse) {
          const error = Object.assign(new Error(refuse.text), { responseCode: refuse.code });
          callback(error);
          return;
        }
        delivered.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    delivered,
    logins,
    sessions: () => sessions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryFailed> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryFailed);
  return error as DeliveryFailed;
}

/** The value of one header in a raw message, with folded continuation lines joined. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** Decodes RFC 2047 encoded words, as a mail client shows the subject. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_h, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

describe('parseSmtpUrl', () => {
  it('reads smtp and smtps URLs with their defaults and decoded credentials', () => {
    expect(parseSmtpUrl('smtp://user:pass@127.0.0.1:2525')).toEqual({
      host: '127.0.0.1',
      port: 2525,
      secure: false,
      auth: { user: 'user', pass: 'pass' },
    });
    expect(parseSmtpUrl('smtps://notice%40city.gov.cn:p%40ss%3Aword@smtp.city.gov.cn')).toEqual({
      host: 'smtp.city.gov.cn',
      port: 465,
      secure: true,
      auth: { user: 'notice@city.gov.cn', pass: 'p@ss:word' },
    });
    expect(parseSmtpUrl('smtp://mail.example.org')).toEqual({ host: 'mail.example.org', port: 587, secure: false });
  });

  it.each([
    'http://mail.example.org',
    'mail.example.org:25',
    '',
    'smtp://',
    'smtp://host/path',
    'smtp://host?pool=true',
    'smtp://u:%zz@host',
  ])('refuses %j with a Chinese message', (url) => {
    expect(() => parseSmtpUrl(url)).toThrow(/SMTP 地址/);
  });

  it('does not repeat the password when refusing', () => {
    expect(() => parseSmtpUrl('ftp://user:s3cr3t@host')).toThrow(/^(?!.*s3cr3t)/);
  });
});

describe('isPlainAddress', () => {
  it.each(['zhang.san@city.gov.cn', 'ops+luoshi@example.org', '督办@示例.中国', 'a@b.cn'])('accepts %s', (address) => {
    expect(isPlainAddress(address)).toBe(true);
  });

  it.each([
    'zhang@city.gov.cn\r\nBcc: evil@example.org',
    'zhang@city.gov.cn\nBcc: evil@example.org',
    'a@b.cn, c@d.cn',
    '张三 <zhang@city.gov.cn>',
    'zhang',
    '@city.gov.cn',
    'zhang@',
    'zhang@localhost',
    'zhang@@city.gov.cn',
    'zhang @city.gov.cn',
    '"zhang"@city.gov.cn',
  ])('refuses %j', (address) => {
    expect(isPlainAddress(address)).toBe(false);
  });
});

describe('createMailer', () => {
  let inbox: Awaited<ReturnType<typeof smtpCanary>>;
  let mailer: Mailer;

  beforeAll(async () => {
    inbox = await smtpCanary();
    mailer = createMailer({ url: `smtp://luoshi:secret@127.0.0.1:${inbox.port}`, from: '落实督办系统 <noreply@luoshi.example.gov.cn>' });
  });

  afterAll(async () => {
    mailer.close();
    await inbox.close();
  });

  it('delivers a Chinese message with a deterministic Message-ID and the delivery header', async () => {
    await mailer.send({
      id: 'd-2026-0001',
      to: 'zhang.san@city.gov.cn',
      subject: '督办提醒：第三季度进展逾期',
      text: '市住建局“老旧小区改造”事项进展未按期报送。\n请于 3 个工作日内补报。',
      html: '<p>市住建局“老旧小区改造”事项进展未按期报送。</p>',
    });
    expect(inbox.delivered).toHaveLength(1);
    expect(inbox.logins).toContain('luoshi:secret');
    const mail = inbox.delivered[0]!;
    expect(mail.from).toBe('noreply@luoshi.example.gov.cn');
    expect(mail.to).toEqual(['zhang.san@city.gov.cn']);
    expect(header(mail.raw, 'Message-ID')).toBe('<d-2026-0001@luoshi>');
    expect(header(mail.raw, 'X-Luoshi-Delivery')).toBe('d-2026-0001');
    expect(decodeWords(header(mail.raw, 'Subject')!)).toBe('督办提醒：第三季度进展逾期');
    expect(decodeWords(header(mail.raw, 'From')!)).toContain('落实督办系统');
    // the body is encoded for transport; none of the Chinese text travels as raw 8-bit bytes in the headers
    expect(mail.raw.split(/\r?\n\r?\n/)[0]).not.toMatch(/[\u4e00-\u9fff]/);
    expect(mail.raw).toContain('multipart/alternative');
  });

  it('keeps a line break in the subject from becoming a header', async () => {
    await mailer.send({ id: 'd-2', to: 'li.si@city.gov.cn', subject: '提醒\r\nBcc: evil@example.org', text: '正文' });
    const mail = inbox.delivered.at(-1)!;
    expect(mail.to).toEqual(['li.si@city.gov.cn']);
    expect(header(mail.raw, 'Bcc')).toBeUndefined();
  });

  it('refuses a bad address or id before connecting', async () => {
    const before = inbox.sessions();
    const fresh = createMailer({ url: `smtp://127.0.0.1:${inbox.port}`, from: 'noreply@luoshi.example.gov.cn' });
    try {
      let error = await failure(fresh.send({ id: 'd-3', to: 'zhang@city.gov.cn\r\nRCPT TO:<evil@example.org>', subject: 's', text: 't' }));
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/不是有效的电子邮件地址/);
      error = await failure(fresh.send({ id: 'd 3>', to: 'zhang@city.gov.cn', subject: 's', text: 't' }));
      expect(error.retryable).toBe(false);
      expect(inbox.sessions()).toBe(before);
    } finally {
      fresh.close();
    }
  });
});

describe('SMTP failures', () => {
  it.each([
    [550, false],
    [554, false],
    [451, true],
    [452, true],
  ])('a %i reply is retryable: %s', async (code, retryable) => {
    const server = await smtpCanary({ code, text: code >= 500 ? 'Mailbox unavailable' : 'Try again later' });
    const mailer = createMailer({ url: `smtp://127.0.0.1:${server.port}`, from: 'noreply@luoshi.example.gov.cn' });
    try {
      const error = await failure(mailer.send({ id: `d-${code}`, to: 'zhang@city.gov.cn', subject: '主题', text: '正文' }));
      expect(error.retryable).toBe(retryable);
      expect(error.status).toBe(code);
      expect(error.message).toMatch(/邮件服务器拒绝了/);
    } finally {
      mailer.close();
      await server.close();
    }
  });

  it('an unreachable server is retryable', async () => {
    // a port that was just free: nothing listens there any more
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'noreply@luoshi.example.gov.cn', timeoutMs: 2000 });
    try {
      const error = await failure(mailer.send({ id: 'd-x', to: 'zhang@city.gov.cn', subject: '主题', text: '正文' }));
      expect(error.retryable).toBe(true);
      expect(error.status).toBeUndefined();
      expect(error.message).toMatch(/无法连接邮件服务器/);
    } finally {
      mailer.close();
    }
  });

  it('a server that never greets times out as retryable', async () => {
    const silent = createTcpServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'noreply@luoshi.example.gov.cn', timeoutMs: 300 });
    try {
      const error = await failure(mailer.send({ id: 'd-y', to: 'zhang@city.gov.cn', subject: '主题', text: '正文' }));
      expect(error.retryable).toBe(true);
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a refused login is permanent', async () => {
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(_auth, _session, callback) {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const mailer = createMailer({ url: `smtp://luoshi:wrong@127.0.0.1:${port}`, from: 'noreply@luoshi.example.gov.cn' });
    try {
      const error = await failure(mailer.send({ id: 'd-z', to: 'zhang@city.gov.cn', subject: '主题', text: '正文' }));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(535);
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
