// Apart from mail.ts so that reading the configuration and checking an account's address do not load nodemailer.

/** Where to hand mail over, read from an smtp:// or smtps:// URL. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, normally port 465); smtp upgrades with STARTTLS when the server offers it */
  secure: boolean;
  auth?: { user: string; pass: string };
}

/**
 * Reads an SMTP URL in nodemailer's form: `smtp://user:pass@host:587` or `smtps://user:pass@host:465` (the port
 * defaults to 587 and 465). User name and password are percent-decoded.
 *
 * @throws Error with a Chinese message for anything else; the message never repeats the password
 */
export function parseSmtpUrl(url: string): SmtpSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('SMTP 地址不是有效的网址，应为 smtp://用户名:密码@主机:端口 或 smtps://…');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`SMTP 地址只能以 smtp:// 或 smtps:// 开头，不接受“${parsed.protocol.replace(/:$/, '')}”。`);
  }
  if (parsed.hostname === '') throw new Error('SMTP 地址缺少主机名。');
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search || parsed.hash) {
    throw new Error('SMTP 地址只应包含用户名、密码、主机和端口，不应带路径或参数。');
  }
  const secure = parsed.protocol === 'smtps:';
  const port = parsed.port === '' ? (secure ? 465 : 587) : Number(parsed.port);
  const settings: SmtpSettings = { host: parsed.hostname.replace(/^\[|\]$/g, ''), port, secure };
  if (parsed.username !== '') {
    try {
      settings.auth = { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) };
    } catch {
      throw new Error('SMTP 地址中的用户名或密码编码有误（% 转义不完整）。');
    }
  }
  return settings;
}

// One plain address: local part without spaces, quotes or brackets, a domain of letter/digit labels with a dot.
// Anything fancier (display names, lists, quoted local parts) is refused rather than interpreted, since a recipient
// comes from a user record and a second address in it would be a second, unintended recipient.
const ADDRESS = /^[^\s@<>()[\]\\,;:"']{1,64}@(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;

/** Whether a recipient is one plain e-mail address (no CR/LF, no display name, no second address). */
export function isPlainAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}
