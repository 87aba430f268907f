// A throwaway self-signed certificate for 127.0.0.1 and localhost, made by the openssl CLI (Debian
// package `openssl`), for the TLS tests. Without the CLI the tests skip loudly, and fail under CI.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** Skips (on stderr) or, under CI=true, throws when openssl is missing; `file` names the test. */
export function requireOpenssl(file: string): void {
  if (hasOpenssl) return;
  const why = 'the openssl CLI is missing (Debian package `openssl`): the TLS tests cannot make a certificate';
  if (process.env.CI === 'true') throw new Error(why);
  process.stderr.write(`SKIPPING ${file}: ${why}\n`);
}

/** Writes cert.pem and key.pem (P-256, one day) into `dir`; returns their paths and the certificate to trust. */
export function makeSelfSigned(dir: string): { certFile: string; keyFile: string; cert: Buffer } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'];
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
  execFileSync('openssl', ['req', '-x509', ...key, '-out', certFile, '-days', '1', ...subject], { stdio: 'ignore' });
  return { certFile, keyFile, cert: readFileSync(certFile) };
}
