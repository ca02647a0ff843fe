import { randomBytes } from 'crypto';

/** A fresh nonce for a webview's Content-Security-Policy (128 random bits, base64). */
export function nonce(): string {
  return randomBytes(16).toString('base64');
}
