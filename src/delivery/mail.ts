import nodemailer from 'nodemailer';
import { DeliveryFailed } from './http.js';
import { isPlainAddress, parseSmtpUrl } from './smtp-url.js';

export { isPlainAddress, parseSmtpUrl, type SmtpSettings } from './smtp-url.js';

export interface MailMessage {
  /** stable delivery id: becomes the Message-ID, so a resent mail is recognisably the same one */
  id: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /**
   * Hands one message to the SMTP server.
   *
   * @throws DeliveryFailed: SMTP 5xx replies are permanent (not retryable); 4xx replies and network trouble are not
   */
  send(message: MailMessage): Promise<void>;
  /** Closes the pooled connections; the mailer cannot send afterwards. */
  close(): void;
}

export interface MailerOptions {
  url: string;
  from: string;
  /** connection, greeting and socket timeouts; 10 s by default */
  timeoutMs?: number;
}

// the id goes into the Message-ID header between < and @, where only these characters are safe
const DELIVERY_ID = /^[A-Za-z0-9._-]{1,200}$/;

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

function mailFailure(error: unknown, to: string): DeliveryFailed {
  const smtp = error as SmtpError;
  const code = typeof smtp?.responseCode === 'number' ? smtp.responseCode : undefined;
  if (code !== undefined) {
    const permanent = code >= 500;
    const reply = (smtp.response ?? smtp.message ?? '').replace(/\s+/g, ' ').slice(0, 200);
    return new DeliveryFailed(
      `邮件服务器拒绝了发给 ${to} 的邮件（${code}${reply ? `：${reply}` : ''}）${permanent ? '' : '，稍后将重试'}。`,
      { retryable: !permanent, status: code, cause: error },
    );
  }
  const what = smtp?.code ?? smtp?.message ?? '未知错误';
  return new DeliveryFailed(`无法连接邮件服务器发送给 ${to} 的邮件（${what}），稍后将重试。`, { retryable: true, cause: error });
}

/**
 * A pooled SMTP sender (at most two connections). Each message's Message-ID is `<id@luoshi>` and it carries
 * `X-Luoshi-Delivery: id`, so a receiver (or the office's own mail archive) can recognise a message sent twice after
 * a retry. Chinese subjects and bodies are encoded by nodemailer.
 *
 * @throws Error with a Chinese message when the URL is not an SMTP URL
 */
export function createMailer(options: MailerOptions): Mailer {
  const settings = parseSmtpUrl(options.url);
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 2,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.auth ? { auth: settings.auth } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(message) {
      if (!isPlainAddress(message.to)) {
        throw new DeliveryFailed(`收件人地址“${message.to.replace(/[\r\n]/g, ' ').slice(0, 100)}”不是有效的电子邮件地址。`, {
          retryable: false,
        });
      }
      if (!DELIVERY_ID.test(message.id)) {
        throw new DeliveryFailed('通知编号只能包含字母、数字、点、下划线和连字符。', { retryable: false });
      }
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          // a line break in a subject would end the header early; it is never meant
          subject: message.subject.replace(/[\r\n]+/g, ' '),
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
          messageId: `<${message.id}@luoshi>`,
          headers: { 'X-Luoshi-Delivery': message.id },
        });
      } catch (error) {
        throw mailFailure(error, message.to);
      }
    },
    close() {
      transport.close();
    },
  };
}
