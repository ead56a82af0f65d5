// Outbound delivery adapters: what the notification service uses to send mail and webhooks. No SQL, no HTTP server.
export { DeliveryFailed, isRetryable, type PostJsonOptions, type PostJsonResult, postJson, retryableStatus } from './http.js';
export {
  createMailer,
  isPlainAddress,
  type MailMessage,
  type Mailer,
  type MailerOptions,
  parseSmtpUrl,
  type SmtpSettings,
} from './mail.js';
export {
  type AllowList,
  type CheckedUrl,
  checkWebhookUrl,
  EMPTY_ALLOW_LIST,
  effectivePort,
  parseAllowList,
  SsrfRefused,
  type SsrfReason,
} from './ssrf.js';
export {
  buildWebhookRequest,
  dingTalkMarkdown,
  dingTalkSign,
  genericSignature,
  interpretVendorAnswer,
  type SendWebhookOptions,
  sendWebhook,
  verifyGenericSignature,
  WECOM_MAX_CONTENT_BYTES,
  type WebhookKind,
  type WebhookMessage,
  type WebhookRequest,
  type WebhookTarget,
  wecomContent,
} from './webhooks.js';
