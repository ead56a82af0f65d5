import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';

/**
 * Why a webhook address was refused. The codes are stable so that the notification service can record them; the
 * message is the Chinese sentence shown to the person who configured the webhook.
 */
export type SsrfReason =
  | 'invalid_url'
  | 'scheme'
  | 'credentials'
  | 'metadata'
  | 'local_name'
  | 'blocked_address'
  | 'no_address'
  | 'unresolvable';

/**
 * A webhook address that must not be contacted. `retryable` is always false: the same address will be refused again,
 * and carrying the flag lets callers treat this and DeliveryFailed alike.
 */
export class SsrfRefused extends Error {
  readonly reason: SsrfReason;
  readonly retryable = false as const;

  constructor(reason: SsrfReason, message: string) {
    super(message);
    this.name = 'SsrfRefused';
    this.reason = reason;
  }
}

interface HostEntry {
  kind: 'host';
  /** lower case, no trailing dot */
  name: string;
  port?: number;
}

interface WildcardEntry {
  kind: 'wildcard';
  /** the part after `*.`, lower case: matches any name ending in `.${suffix}`, not the suffix itself */
  suffix: string;
  port?: number;
}

interface RangeEntry {
  kind: 'range';
  family: 4 | 6;
  network: bigint;
  prefix: number;
  port?: number;
}

type AllowEntry = HostEntry | WildcardEntry | RangeEntry;

/** Hosts, addresses and ranges an administrator has declared reachable although they would otherwise be refused. */
export interface AllowList {
  readonly entries: readonly AllowEntry[];
}

/** The empty allow-list: only public addresses are reachable. */
export const EMPTY_ALLOW_LIST: AllowList = { entries: [] };

// ---------------------------------------------------------------------------------------------------------------
// Addresses as numbers, so that every textual form of one address compares equal.

interface Ip {
  family: 4 | 6;
  value: bigint;
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    // only canonical dotted decimal: other spellings were already normalised by the URL parser or are refused
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(input: string): bigint | null {
  let text = input;
  const zone = text.indexOf('%');
  // a zone only says which interface to use; the address itself decides whether it is link-local
  if (zone >= 0) text = text.slice(0, zone);
  if (isIP(text) !== 6) return null;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // a trailing dotted quad stands for the last two groups
    const quad = parseIPv4(last);
    if (quad === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(quad >> 16n).toString(16)}:${(quad & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const toGroups = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  let groups: number[];
  if (halves.length === 2) {
    const head = toGroups(halves[0]!);
    const rest = toGroups(halves[1]!);
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    groups = toGroups(text);
  }
  if (groups.length !== 8 || groups.some((group) => Number.isNaN(group) || group < 0 || group > 0xffff)) return null;
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function parseIp(text: string): Ip | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIPv4(bare);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIPv6(bare);
  if (v6 !== null) return { family: 6, value: v6 };
  return null;
}

function inRange(ip: Ip, family: 4 | 6, network: bigint, prefix: number): boolean {
  if (ip.family !== family) return false;
  const bits = family === 4 ? 32 : 128;
  const shift = BigInt(bits - prefix);
  return ip.value >> shift === network >> shift;
}

function v4(text: string): bigint {
  return parseIPv4(text)!;
}

function v6(text: string): bigint {
  return parseIPv6(text)!;
}

const BLOCKED_V4: ReadonlyArray<[bigint, number, string]> = [
  [v4('0.0.0.0'), 8, '未指定地址'],
  [v4('10.0.0.0'), 8, '内网地址'],
  [v4('100.64.0.0'), 10, '运营商级 NAT 地址'],
  [v4('127.0.0.0'), 8, '本机回环地址'],
  [v4('169.254.0.0'), 16, '链路本地地址'],
  [v4('172.16.0.0'), 12, '内网地址'],
  [v4('192.0.0.0'), 24, '保留地址'],
  [v4('192.0.2.0'), 24, '文档示例地址'],
  [v4('192.168.0.0'), 16, '内网地址'],
  [v4('198.18.0.0'), 15, '测试网络地址'],
  [v4('198.51.100.0'), 24, '文档示例地址'],
  [v4('203.0.113.0'), 24, '文档示例地址'],
  [v4('224.0.0.0'), 4, '组播地址'],
  [v4('240.0.0.0'), 4, '保留或广播地址'],
];

const BLOCKED_V6: ReadonlyArray<[bigint, number, string]> = [
  [v6('::'), 128, '未指定地址'],
  [v6('::1'), 128, '本机回环地址'],
  [v6('64:ff9b:1::'), 48, '本地 NAT64 地址'],
  [v6('100::'), 64, '丢弃前缀地址'],
  [v6('2001:db8::'), 32, '文档示例地址'],
  [v6('fc00::'), 7, '内网地址'],
  [v6('fe80::'), 10, '链路本地地址'],
  [v6('fec0::'), 10, '站点本地地址'],
  [v6('ff00::'), 8, '组播地址'],
];

const METADATA_ADDRESSES: readonly Ip[] = [parseIp('169.254.169.254')!, parseIp('fd00:ec2::254')!];
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/**
 * The IPv4 address an IPv6 address carries and would reach: IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), the deprecated IPv4-compatible form (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and
 * Teredo (2001::/32, client address inverted). Without this an attacker writes 127.0.0.1 as ::ffff:7f00:1.
 */
function embeddedIPv4(ip: Ip): bigint | null {
  if (ip.family !== 6) return null;
  const low32 = ip.value & 0xffffffffn;
  if (ip.value >> 32n === 0xffffn) return low32;
  if (ip.value >> 32n === 0xffff0000n) return low32;
  if (ip.value >> 32n === 0n && ip.value > 1n) return low32;
  if (ip.value >> 32n === v6('64:ff9b::') >> 32n) return low32;
  if (ip.value >> 112n === 0x2002n) return (ip.value >> 80n) & 0xffffffffn;
  if (ip.value >> 96n === 0x20010000n) return low32 ^ 0xffffffffn;
  return null;
}

/** Why an address must not be contacted, or null when it is an ordinary public address. */
function blockedBecause(ip: Ip): string | null {
  const embedded = embeddedIPv4(ip);
  if (embedded !== null) {
    const inner = blockedBecause({ family: 4, value: embedded });
    return inner === null ? null : `内嵌${inner}的 IPv6 地址`;
  }
  const table = ip.family === 4 ? BLOCKED_V4 : BLOCKED_V6;
  for (const [network, prefix, label] of table) {
    if (inRange(ip, ip.family, network, prefix)) return label;
  }
  return null;
}

function isMetadata(ip: Ip): boolean {
  const embedded = embeddedIPv4(ip);
  const candidate: Ip = embedded === null ? ip : { family: 4, value: embedded };
  return METADATA_ADDRESSES.some((meta) => meta.family === candidate.family && meta.value === candidate.value);
}

function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((ip.value >> shift) & 0xffn).toString()).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((ip.value >> shift) & 0xffffn).toString(16));
  // the URL parser writes IPv6 the canonical short way (RFC 5952), which is how people recognise an address
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

// ---------------------------------------------------------------------------------------------------------------
// The allow-list.

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function isHostname(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}

function parsePort(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

function parseEntry(entry: string): AllowEntry | null {
  // a range: 10.0.0.0/8, 10.0.0.0/8:8080, fd00::/8, [fd00::/8]:8443
  const range = /^(?:\[([0-9a-f:.]+)\/([0-9]{1,3})\]|([0-9a-f:.]+)\/([0-9]{1,3}))(?::([0-9]+))?$/i.exec(entry);
  if (range) {
    const address = range[1] ?? range[3]!;
    const prefix = Number(range[2] ?? range[4]);
    const port = parsePort(range[5]);
    const ip = parseIp(address);
    // an unbracketed IPv6 range cannot carry a port: its last colon belongs to the address
    if (!ip || port === null || (range[3] !== undefined && range[5] !== undefined && ip.family === 6)) return null;
    if (prefix > (ip.family === 4 ? 32 : 128)) return null;
    const shift = BigInt((ip.family === 4 ? 32 : 128) - prefix);
    return { kind: 'range', family: ip.family, network: (ip.value >> shift) << shift, prefix, port };
  }
  // a bare IPv6 address without brackets has no port
  const bareV6 = parseIPv6(entry);
  if (bareV6 !== null && !entry.startsWith('[')) return { kind: 'range', family: 6, network: bareV6, prefix: 128 };

  const wildcard = entry.startsWith('*.');
  const rest = wildcard ? entry.slice(2) : entry;
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return null;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || rest.endsWith('/')) return null;
  const port = parsePort(url.port === '' ? undefined : url.port);
  if (port === null) return null;
  const host = stripTrailingDot(url.hostname);
  const ip = parseIp(host);
  if (ip) {
    if (wildcard) return null;
    return { kind: 'range', family: ip.family, network: ip.value, prefix: ip.family === 4 ? 32 : 128, port };
  }
  if (!isHostname(host)) return null;
  return wildcard ? { kind: 'wildcard', suffix: host, port } : { kind: 'host', name: host, port };
}

/**
 * Reads an allow-list from configuration text: entries separated by commas or white space, each a hostname
 * (`hooks.example.org`), a wildcard (`*.example.org`, any name under it), an IPv4 or IPv6 address or a CIDR range,
 * optionally followed by `:port` (IPv6 with a port in brackets: `[fd00::1]:8443`, `[fd00::/8]:8443`).
 *
 * @throws Error naming every entry that could not be read, so that configuration can report them all at once
 */
export function parseAllowList(text: string): AllowList {
  const entries: AllowEntry[] = [];
  const bad: string[] = [];
  for (const raw of text.split(/[\s,，]+/)) {
    if (raw === '') continue;
    const entry = parseEntry(raw.toLowerCase());
    if (entry) entries.push(entry);
    else bad.push(raw);
  }
  if (bad.length) {
    throw new Error(
      `Webhook 允许列表中有无法识别的条目：${bad.map((entry) => `“${entry}”`).join('、')}。每项应为主机名、*.域名、IP 地址或 CIDR 网段，可带“:端口”。`,
    );
  }
  return { entries };
}

function portMatches(entryPort: number | undefined, port: number): boolean {
  return entryPort === undefined || entryPort === port;
}

function allowsHost(allow: AllowList, host: string, port: number): boolean {
  return allow.entries.some(
    (entry) =>
      portMatches(entry.port, port) &&
      ((entry.kind === 'host' && entry.name === host) || (entry.kind === 'wildcard' && host.endsWith(`.${entry.suffix}`))),
  );
}

function allowsAddress(allow: AllowList, ip: Ip, port: number): boolean {
  const embedded = embeddedIPv4(ip);
  // ::ffff:10.0.0.5 reaches 10.0.0.5, so an entry for 10.0.0.5 covers it
  const forms: Ip[] = embedded !== null && ip.value >> 32n === 0xffffn ? [ip, { family: 4, value: embedded }] : [ip];
  return allow.entries.some(
    (entry) =>
      entry.kind === 'range' &&
      portMatches(entry.port, port) &&
      forms.some((form) => inRange(form, entry.family, entry.network, entry.prefix)),
  );
}

function stripTrailingDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** The port a URL connects to, with the scheme's default filled in. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** The result of a passed check: connect to `address` (and nothing else) for `url`. */
export interface CheckedUrl {
  url: URL;
  address: string;
  family: 4 | 6;
}

/**
 * Decides whether a webhook address may be contacted, and pins the address to contact.
 *
 * Refused: schemes other than http and https; user names or passwords in the URL; cloud metadata names and addresses
 * (always, even if listed, since nothing legitimate lives there); `localhost` and names under `.localhost`; and hosts
 * that resolve to ANY loopback, unspecified, private, link-local, CGNAT, multicast, broadcast or reserved address,
 * including such an IPv4 address carried inside IPv6 (mapped, compatible, NAT64, 6to4, Teredo). A host or address
 * named by the allow-list is reachable nonetheless. Numeric spellings (2130706433, 0177.0.0.1, 0x7f.1, 127.1) are
 * normalised by the WHATWG URL parser before the check, so they are judged as the address they mean.
 *
 * The caller must connect to the returned `address`: looking the name up again could give another answer (DNS
 * rebinding) and would undo the check.
 *
 * @throws SsrfRefused when the address must not be contacted
 * @throws Error (not SsrfRefused) when the name cannot be resolved, which may be temporary
 */
export async function checkWebhookUrl(url: string, allow: AllowList): Promise<CheckedUrl> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SsrfRefused('invalid_url', 'Webhook 地址不是有效的网址。');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SsrfRefused('scheme', `Webhook 地址只能使用 http 或 https，不接受“${parsed.protocol.replace(/:$/, '')}”。`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new SsrfRefused('credentials', 'Webhook 地址中不得包含用户名或密码，请改用签名密钥。');
  }
  const host = stripTrailingDot(parsed.hostname.replace(/^\[|\]$/g, ''));
  const port = effectivePort(parsed);
  if (METADATA_NAMES.has(host)) {
    throw new SsrfRefused('metadata', `Webhook 地址“${host}”是云平台元数据服务，禁止访问。`);
  }

  const literal = parseIp(host);
  const hostAllowed = literal === null && allowsHost(allow, host, port);
  if (literal === null && !hostAllowed && (host === 'localhost' || host.endsWith('.localhost'))) {
    throw new SsrfRefused('local_name', `Webhook 地址“${host}”指向本机，禁止访问。`);
  }

  let addresses: Ip[];
  if (literal) {
    addresses = [literal];
  } else {
    let found: { address: string; family: number }[];
    try {
      found = await dns.lookup(host, { all: true, verbatim: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '未知错误';
      throw new Error(`无法解析 Webhook 主机名“${host}”（${code}）。`, { cause: error });
    }
    addresses = found.map((entry) => parseIp(entry.address)).filter((ip): ip is Ip => ip !== null);
    if (addresses.length === 0) {
      throw new SsrfRefused('no_address', `Webhook 主机名“${host}”没有解析到任何地址。`);
    }
  }

  // every address counts, not just the first: the connection could be made to any of them
  for (const ip of addresses) {
    if (isMetadata(ip)) {
      throw new SsrfRefused('metadata', `Webhook 地址“${host}”指向云平台元数据服务（${formatIp(ip)}），禁止访问。`);
    }
    if (hostAllowed || allowsAddress(allow, ip, port)) continue;
    const because = blockedBecause(ip);
    if (because !== null) {
      const shown = literal ? `“${host}”` : `“${host}”解析到的 ${formatIp(ip)}`;
      throw new SsrfRefused('blocked_address', `Webhook 地址${shown}是${because}，禁止访问。如确需访问，请由管理员将其加入允许列表。`);
    }
  }
  const first = addresses[0]!;
  return { url: parsed, address: formatIp(first), family: first.family };
}
