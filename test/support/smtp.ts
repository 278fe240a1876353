import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  /** A BASCULE_SMTP_URL for it (with the credentials it wants, if any). */
  readonly url: string;
  /** Every message it took, parsed, in order. */
  readonly received: ParsedMail[];
  /** While set, recipients are refused with this temporary failure (451), as a busy server does. */
  refusing: string | null;
  /** The messages it took for `address`. */
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free loopback port, for one test file: plain SMTP (no STARTTLS), and
 * password authentication only when `credentials` are given.
 */
export async function startSmtpServer(credentials?: {
  readonly user: string;
  readonly password: string;
}): Promise<TestSmtpServer> {
  const server: SMTPServer = new SMTPServer({
    logger: false,
    disabledCommands: credentials === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: credentials === undefined,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (credentials !== undefined && auth.username === credentials.user && auth.password === credentials.password)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, callback) {
      if (smtp.refusing === null) callback();
      else callback(Object.assign(new Error(smtp.refusing), { responseCode: 451 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          smtp.received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const smtp = {
    url: '',
    received: [] as ParsedMail[],
    refusing: null as string | null,
    to: (address: string) =>
      smtp.received.filter((mail) =>
        [mail.to ?? []].flat().some((to) => to.value.some((entry) => entry.address === address)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const userinfo =
    credentials === undefined
      ? ''
      : `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`;
  smtp.url = `smtp://${userinfo}127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return smtp;
}
