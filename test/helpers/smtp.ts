import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server on 127.0.0.1 that records the Message-ID of every message it accepted. While `state.hold` is
 * set, each message waits before MAIL FROM, nothing of it sent yet, until releaseAll(): the moment to kill a sender
 * holding messages it has not delivered.
 */
export function startCountingSmtp() {
  const accepted: string[] = [];
  const held: (() => void)[] = [];
  const state = { hold: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!state.hold) return callback();
      held.push(() => callback());
    },
    onData(stream, _session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        raw += chunk;
      });
      stream.on('end', () => {
        accepted.push(/^message-id:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '');
        callback();
      });
    },
  });
  return {
    accepted,
    state,
    held,
    listen: () =>
      new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port))),
    releaseAll() {
      state.hold = false;
      for (const release of held.splice(0)) release();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
