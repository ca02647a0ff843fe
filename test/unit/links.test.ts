/** What a card value may link to (text/links.ts): http(s) URLs and card paths inside the folders; everything else is text. */
import * as assert from 'assert';
import { cardPath, cardTarget, linkTarget, webUrl } from '../../server/src/text/links';
import { getLanguageService } from '../../server/src/languageService';
import { TextDocument } from 'vscode-languageserver-textdocument';

const FROM = 'file:///work/cards/sys/solar.trl.yaml';
const FOLDERS = ['file:///work/cards'];

describe('links: the one decision of what a card value links to', () => {
  const table: [string, string | undefined][] = [
    // Web pages.
    ['https://wiki.example.org/solar', 'web:https://wiki.example.org/solar'],
    ['HTTP://wiki.example.org/x.trl.yaml', 'web:HTTP://wiki.example.org/x.trl.yaml'],
    // Card paths, relative to the card, inside the folder.
    ['./solar.level-3.trl.yaml', 'card:file:///work/cards/sys/solar.level-3.trl.yaml'],
    ['solar.level-3.trl.yml', 'card:file:///work/cards/sys/solar.level-3.trl.yml'],
    ['../parts/pipe.trl.yaml', 'card:file:///work/cards/parts/pipe.trl.yaml'],
    ['../parts/my pipe.trl.yaml', 'card:file:///work/cards/parts/my%20pipe.trl.yaml'],
    ['../parts/pümpe.trl.yaml', 'card:file:///work/cards/parts/p%C3%BCmpe.trl.yaml'],
    // Every other scheme is text, whatever follows it.
    ['command:workbench.action.terminal.sendSequence?{"text":"echo x > f.txt\\r"}#.trl.yaml', undefined],
    ['command:workbench.action.terminal.sendSequence.trl.yaml', undefined],
    ['javascript:alert(1)//x.trl.yaml', undefined],
    ['data:text/html,<script>alert(1)</script>.trl.yaml', undefined],
    ['untitled:x.trl.yaml', undefined],
    ['vscode:extension/x.trl.yaml', undefined],
    ['file:///etc/x.trl.yaml', undefined],
    ['file://evil.example.org/share/x.trl.yaml', undefined],
    ['ftp://example.org/x.trl.yaml', undefined],
    ['mailto:a@example.org', undefined],
    // Hosts, absolute paths, drives, backslashes.
    ['//evil.example.org/share/x.trl.yaml', undefined],
    ['\\\\evil.example.org\\share\\x.trl.yaml', undefined],
    ['..\\..\\x.trl.yaml', undefined],
    ['/etc/x.trl.yaml', undefined],
    ['C:/cards/x.trl.yaml', undefined],
    ['~/x.trl.yaml', undefined],
    // Out of the folders.
    ['../../x.trl.yaml', undefined],
    ['../../../../../../etc/x.trl.yaml', undefined],
    ['./../../cards-other/x.trl.yaml', undefined],
    // Queries, fragments, escapes, hidden characters, not a card file.
    ['./x.trl.yaml?a=1', undefined],
    ['./x.trl.yaml#L1', undefined],
    ['./%2e%2e/%2e%2e/x.trl.yaml', undefined],
    ['./x\u202e.trl.yaml', undefined],
    ['./x\n.trl.yaml', undefined],
    ['./x.yaml', undefined],
    ['a//b.trl.yaml', undefined],
    ['https://example.org/a b', undefined],
    ['https://example.org/"onmouseover="x', undefined],
    ['https://exa\u202emple.org/', undefined],
    // Invisible characters: a zero-width space, joiner, word joiner, byte order mark.
    ['https://example.org/\u200bevil', undefined],
    ['https://exa\u200dmple.org/', undefined],
    ['https://example.org/\u2060', undefined],
    ['\ufeffhttps://example.org/', undefined],
    ['./x\u200b.trl.yaml', undefined],
    ['./x\ufeff.trl.yaml', undefined],
    ['', undefined],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected ?? 'text'}`, () => {
      const t = linkTarget(value, FROM, FOLDERS);
      assert.strictEqual(t ? `${t.kind}:${t.kind === 'web' ? t.url : t.uri}` : undefined, expected);
    });
  }

  it('keeps the scheme and authority of the card (a virtual workspace stays virtual)', () => {
    assert.strictEqual(cardTarget('vscode-vfs://github/o/r/cards/a.trl.yaml', '../b.trl.yaml', ['vscode-vfs://github/o/r']), 'vscode-vfs://github/o/r/b.trl.yaml');
    assert.strictEqual(cardTarget('vscode-vfs://github/o/r/a.trl.yaml', '../../x.trl.yaml', ['vscode-vfs://github/o/r']), undefined);
  });

  it('without folders resolves a path but never to another scheme or host', () => {
    assert.strictEqual(cardTarget(FROM, '../../x.trl.yaml'), 'file:///work/x.trl.yaml');
    assert.strictEqual(cardTarget('untitled:Untitled-1', './x.trl.yaml'), undefined);
    assert.strictEqual(cardPath('x.trl.yaml'), 'x.trl.yaml');
    assert.strictEqual(webUrl('https://x.org/' + 'a'.repeat(3000)), undefined);
  });

  it("document links: only the decision's targets, in the folders given, else in the card's own folder", () => {
    const service = getLanguageService();
    const text = ['previous:', '  - command:x.trl.yaml', '  - ./a.trl.yaml', '  - ../b.trl.yaml', 'links:', '  code: javascript:alert(1)', '  project: https://example.org/p', ''].join('\n');
    const doc = TextDocument.create(FROM, 'trl-card', 1, text);
    const targets = (folders?: string[]) => service.links(doc, service.parse(text), folders).map((l) => l.target);
    assert.deepStrictEqual(targets(FOLDERS), ['file:///work/cards/sys/a.trl.yaml', 'file:///work/cards/b.trl.yaml', 'https://example.org/p']);
    assert.deepStrictEqual(targets(), ['file:///work/cards/sys/a.trl.yaml', 'https://example.org/p']);
  });
});
