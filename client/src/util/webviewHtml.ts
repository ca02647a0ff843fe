import * as vscode from 'vscode';
import { htmlEntities as attr } from '../../../server/src/text/escape';
import { nonce } from './nonce';

/**
 * The page of one of our webviews: CSP `default-src 'none'`, styles, images and fonts only from
 * the webview's resource roots (dist/media), one script, ours, with a fresh nonce. `body` holds
 * the body's attributes (escaped here).
 */
export function webviewHtml(webview: vscode.Webview, media: vscode.Uri, name: string, title: string, body: Record<string, string> = {}): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, `${name}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, `${name}.css`));
  const attrs = Object.entries(body)
    .map(([k, v]) => ` ${k}="${attr(v)}"`)
    .join('');
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${n}';">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<link rel="stylesheet" href="${attr(style.toString())}"><title>${attr(title)}</title></head>` +
    `<body${attrs}><script nonce="${n}" src="${attr(script.toString())}"></script></body></html>`
  );
}
