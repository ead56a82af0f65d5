import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as dnsPromises } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeliveryFailed, postJson } from './http.js';
import { checkWebhookUrl, EMPTY_ALLOW_LIST, parseAllowList, SsrfRefused } from './ssrf.js';

async function refusal(url: string, allow = EMPTY_ALLOW_LIST): Promise<SsrfRefused | null> {
  try {
    await checkWebhookUrl(url, allow);
    return null;
  } catch (error) {
    if (error instanceof SsrfRefused) return error;
    throw error;
  }
}

describe('checkWebhookUrl', () => {
  // every one of these reaches something inside the network, however it is spelt
  const refused: [string, string][] = [
    ['ftp://example.org/', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['gopher://127.0.0.1:25/', 'scheme'],
    ['https://user:pass@hooks.example.org/', 'credentials'],
    ['https://user@hooks.example.org/', 'credentials'],
    ['not a url', 'invalid_url'],
    ['http://127.0.0.1/', 'blocked_address'],
    ['http://127.255.255.254:8080/', 'blocked_address'],
    ['http://2130706433/', 'blocked_address'],
    ['http://0177.0.0.1/', 'blocked_address'],
    ['http://0x7f.1/', 'blocked_address'],
    ['http://0x7F000001/', 'blocked_address'],
    ['http://127.1/', 'blocked_address'],
    ['http://127.0.0.1./', 'blocked_address'],
    ['http://%31%32%37.0.0.1/', 'blocked_address'],
    ['http://0/', 'blocked_address'],
    ['http://0.0.0.0/', 'blocked_address'],
    ['http://10.1.2.3/', 'blocked_address'],
    ['http://172.16.0.1/', 'blocked_address'],
    ['http://172.31.255.255/', 'blocked_address'],
    ['http://192.168.1.1/', 'blocked_address'],
    ['http://169.254.1.1/', 'blocked_address'],
    ['http://100.64.0.1/', 'blocked_address'],
    ['http://100.127.255.255/', 'blocked_address'],
    ['http://224.0.0.1/', 'blocked_address'],
    ['http://239.255.255.250/', 'blocked_address'],
    ['http://240.0.0.1/', 'blocked_address'],
    ['http://255.255.255.255/', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://0xa9fea9fe/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://METADATA.GOOGLE.INTERNAL./', 'metadata'],
    ['http://[::1]/', 'blocked_address'],
    ['http://[0:0:0:0:0:0:0:1]:8080/', 'blocked_address'],
    ['http://[::]/', 'blocked_address'],
    ['http://[fc00::1]/', 'blocked_address'],
    ['http://[fd12:3456::1]/', 'blocked_address'],
    ['http://[fe80::1]/', 'blocked_address'],
    ['http://[FE80::ABCD]/', 'blocked_address'],
    ['http://[ff02::1]/', 'blocked_address'],
    ['http://[::ffff:127.0.0.1]/', 'blocked_address'],
    ['http://[::ffff:7f00:1]/', 'blocked_address'],
    ['http://[::ffff:10.0.0.1]/', 'blocked_address'],
    ['http://[::ffff:a9fe:a9fe]/', 'metadata'],
    ['http://[::127.0.0.1]/', 'blocked_address'],
    ['http://[64:ff9b::127.0.0.1]/', 'blocked_address'],
    ['http://[64:ff9b::c0a8:101]/', 'blocked_address'],
    ['http://[2002:7f00:1::]/', 'blocked_address'],
    ['http://[2002:c0a8:0101::1]/', 'blocked_address'],
    ['http://localhost/', 'local_name'],
    ['http://LOCALHOST/', 'local_name'],
    ['http://localhost./', 'local_name'],
    ['http://api.localhost/', 'local_name'],
  ];

  it.each(refused)('refuses %s (%s)', async (url, reason) => {
    const error = await refusal(url);
    expect(error, url).not.toBeNull();
    expect(error!.reason).toBe(reason);
    expect(error!.retryable).toBe(false);
    // a Chinese sentence for the person who configured the webhook
    expect(error!.message).toMatch(/[\u4e00-\u9fff]/);
  });

  // public addresses, including IPv6 forms that carry a public IPv4 address, are fine
  const allowed: [string, string][] = [
    ['http://8.8.8.8/', '8.8.8.8'],
    ['https://1.1.1.1:8443/hook', '1.1.1.1'],
    ['http://134744072/', '8.8.8.8'],
    ['http://172.32.0.1/', '172.32.0.1'],
    ['http://100.128.0.1/', '100.128.0.1'],
    ['http://[2001:4860:4860::8888]/', '2001:4860:4860::8888'],
    ['http://[::ffff:8.8.8.8]/', '::ffff:808:808'],
    ['http://[64:ff9b::8.8.8.8]/', '64:ff9b::808:808'],
  ];

  it.each(allowed)('allows %s and pins %s', async (url, address) => {
    const checked = await checkWebhookUrl(url, EMPTY_ALLOW_LIST);
    expect(checked.address).toBe(address);
    expect(checked.url.href).toBe(new URL(url).href);
  });

  it('lets the allow-list open a host, an address or a range, and only on its port when it names one', async () => {
    expect(await refusal('http://localhost:8080/', parseAllowList('localhost'))).toBeNull();
    expect(await refusal('http://localhost:8080/', parseAllowList('localhost:8080'))).toBeNull();
    expect((await refusal('http://localhost:8081/', parseAllowList('localhost:8080')))?.reason).toBe('local_name');
    expect(await refusal('http://127.0.0.1:9000/', parseAllowList('127.0.0.1'))).toBeNull();
    expect(await refusal('http://2130706433:9000/', parseAllowList('127.0.0.1:9000'))).toBeNull();
    expect(await refusal('http://127.0.0.1:9000/', parseAllowList('127.0.0.0/8'))).toBeNull();
    expect(await refusal('http://10.20.30.40/', parseAllowList('10.20.0.0/16, 192.168.0.0/16'))).toBeNull();
    expect((await refusal('http://10.21.0.1/', parseAllowList('10.20.0.0/16')))?.reason).toBe('blocked_address');
    expect(await refusal('http://[::1]:9000/', parseAllowList('::1'))).toBeNull();
    expect(await refusal('http://[fd00::5]/', parseAllowList('fd00::/8'))).toBeNull();
    expect(await refusal('http://[fd00::5]:8443/', parseAllowList('[fd00::/8]:8443'))).toBeNull();
    // a mapped address reaches the IPv4 one, so the IPv4 entry covers it
    expect(await refusal('http://[::ffff:10.0.0.5]/', parseAllowList('10.0.0.5'))).toBeNull();
    // the metadata service stays closed whatever the list says
    expect((await refusal('http://169.254.169.254/', parseAllowList('169.254.0.0/16')))?.reason).toBe('metadata');
    // neither scheme nor credentials can be allowed
    expect((await refusal('ftp://127.0.0.1/', parseAllowList('127.0.0.1')))?.reason).toBe('scheme');
    expect((await refusal('http://a:b@127.0.0.1/', parseAllowList('127.0.0.1')))?.reason).toBe('credentials');
  });

  it('resolves names and pins the address it found', async () => {
    const checked = await checkWebhookUrl('http://localhost:1234/x', parseAllowList('localhost'));
    expect(checked.address).toBe('127.0.0.1');
    expect(checked.family).toBe(4);
  });

  it('says a name that does not resolve is a lookup failure, not a refusal', async () => {
    await expect(checkWebhookUrl('http://no-such-host.invalid/', EMPTY_ALLOW_LIST)).rejects.toThrow(/无法解析/);
    await expect(checkWebhookUrl('http://no-such-host.invalid/', EMPTY_ALLOW_LIST)).rejects.not.toBeInstanceOf(SsrfRefused);
  });
});

describe('parseAllowList', () => {
  it('reads hosts, wildcards, addresses and ranges separated by commas or spaces', () => {
    const allow = parseAllowList(' hooks.example.org, *.Example.COM  10.0.0.0/8,[::1]:8080\nfd00::/8 127.0.0.1:9000 ');
    expect(allow.entries).toHaveLength(6);
    expect(parseAllowList('').entries).toHaveLength(0);
  });

  it('names every entry it cannot read', () => {
    expect(() => parseAllowList('ok.example.org, 10.0.0.0/33, bad..name, host:99999, *.1.2.3.4, http://x, fd00::/8:80')).toThrow(
      /“10\.0\.0\.0\/33”、“bad\.\.name”、“host:99999”、“\*\.1\.2\.3\.4”、“http:\/\/x”、“fd00::\/8:80”/,
    );
  });
});

interface Canary {
  server: Server;
  port: number;
  hits: number;
  location?: string;
  host?: string;
  body?: string;
  status?: number;
  seen?: { method: string; body: string };
}

async function canary(respond: (canary: Canary) => { status: number; location?: string }): Promise<Canary> {
  const state: Canary = { server: createServer(), port: 0, hits: 0 };
  state.server.on('request', (request, response) => {
    state.hits++;
    state.host = request.headers.host;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.seen = { method: request.method ?? '', body: Buffer.concat(chunks).toString('utf8') };
      const { status, location } = respond(state);
      response.writeHead(status, location ? { location } : {});
      response.end(state.body ?? 'ok');
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

describe('postJson behind the guard', () => {
  let plain: Canary;
  let second: Canary;
  let redirecting: Canary;

  beforeAll(async () => {
    plain = await canary(() => ({ status: 200 }));
    second = await canary(() => ({ status: 200 }));
    redirecting = await canary(() => ({ status: redirecting.status ?? 307, location: redirecting.location ?? '/' }));
  });

  afterAll(async () => {
    await Promise.all([plain, second, redirecting].map((c) => new Promise((resolve) => c.server.close(resolve))));
  });

  it('refuses a loopback receiver that is not allowed, without contacting it', async () => {
    const before = plain.hits;
    await expect(postJson(`http://127.0.0.1:${plain.port}/hook`, { a: 1 }, { allow: EMPTY_ALLOW_LIST })).rejects.toBeInstanceOf(
      SsrfRefused,
    );
    await expect(postJson(`http://localhost:${plain.port}/hook`, { a: 1 }, { allow: EMPTY_ALLOW_LIST })).rejects.toBeInstanceOf(
      SsrfRefused,
    );
    await expect(postJson(`http://2130706433:${plain.port}/hook`, { a: 1 }, { allow: EMPTY_ALLOW_LIST })).rejects.toBeInstanceOf(
      SsrfRefused,
    );
    expect(plain.hits - before).toBe(0);
  });

  it.each(['127.0.0.1', '127.0.0.0/8', 'localhost'])('reaches the receiver when the allow-list names it as %s', async (entry) => {
    const before = plain.hits;
    const host = entry === 'localhost' ? 'localhost' : '127.0.0.1';
    const result = await postJson(`http://${host}:${plain.port}/hook`, { a: 1 }, { allow: parseAllowList(entry) });
    expect(result).toEqual({ status: 200, body: 'ok' });
    expect(plain.hits - before).toBe(1);
  });

  it.each([
    (port: number) => `http://127.0.0.2:${port}/`,
    (port: number) => `http://[::1]:${port}/`,
    () => 'http://169.254.169.254/latest/meta-data/',
    (port: number) => `http://localhost:${port}/`,
  ])('refuses a redirect from an allowed receiver to an address that is not allowed (%#)', async (target) => {
    redirecting.location = target(second.port);
    const before = { redirecting: redirecting.hits, second: second.hits };
    const allow = parseAllowList(`127.0.0.1:${redirecting.port}`);
    await expect(postJson(`http://127.0.0.1:${redirecting.port}/`, {}, { allow })).rejects.toBeInstanceOf(SsrfRefused);
    expect(redirecting.hits - before.redirecting).toBe(1);
    expect(second.hits - before.second).toBe(0);
  });

  it('follows a redirect to an allowed address and stops after maxRedirects', async () => {
    redirecting.location = `http://127.0.0.1:${second.port}/next`;
    const before = second.hits;
    const allow = parseAllowList(`127.0.0.1`);
    expect(await postJson(`http://127.0.0.1:${redirecting.port}/`, {}, { allow })).toEqual({ status: 200, body: 'ok' });
    expect(second.hits - before).toBe(1);

    // 307 and 308 repeat the POST with the same bytes; 303 (like 301 and 302) continues with a GET and no body
    for (const [status, method, body] of [
      [307, 'POST', '{"n":"一"}'],
      [308, 'POST', '{"n":"一"}'],
      [303, 'GET', ''],
      [301, 'GET', ''],
    ] as const) {
      redirecting.status = status;
      await postJson(`http://127.0.0.1:${redirecting.port}/`, '{"n":"一"}', { allow });
      expect(second.seen, String(status)).toEqual({ method, body });
    }
    delete redirecting.status;

    redirecting.location = '/again';
    const error = await postJson(`http://127.0.0.1:${redirecting.port}/`, {}, { allow, maxRedirects: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryFailed);
    expect((error as DeliveryFailed).retryable).toBe(false);
    expect((error as DeliveryFailed).message).toMatch(/重定向超过 2 次/);
  });

  it('connects to the address the check resolved, never resolving the name a second time', async () => {
    // the name exists only in this mocked lookup; a second resolution by the HTTP client would fail with ENOTFOUND
    const lookup = vi.spyOn(dnsPromises, 'lookup').mockImplementation((async () => [{ address: '127.0.0.1', family: 4 }]) as never);
    try {
      const before = plain.hits;
      const result = await postJson(`http://rebind.test:${plain.port}/hook`, {}, { allow: parseAllowList('127.0.0.1') });
      expect(result.status).toBe(200);
      expect(plain.hits - before).toBe(1);
      expect(plain.host).toBe(`rebind.test:${plain.port}`);
      expect(lookup).toHaveBeenCalledTimes(1);
    } finally {
      lookup.mockRestore();
    }
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const lookup = vi.spyOn(dnsPromises, 'lookup').mockImplementation((async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ]) as never);
    try {
      const error = await refusal('https://mixed.test/hook');
      expect(error?.reason).toBe('blocked_address');
      expect(error?.message).toContain('10.0.0.7');
    } finally {
      lookup.mockRestore();
    }
  });

  it('reads the response body only up to the cap', async () => {
    plain.body = '好'.repeat(10_000);
    try {
      const result = await postJson(`http://127.0.0.1:${plain.port}/`, {}, { allow: parseAllowList('127.0.0.1'), maxResponseBytes: 301 });
      expect(Buffer.byteLength(result.body)).toBe(300);
      expect(result.body.startsWith('好好好')).toBe(true);
      expect(result.body).not.toContain('\ufffd');
    } finally {
      delete plain.body;
    }
  });
});
