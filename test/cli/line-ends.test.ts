/** Lone CR line ends (a line break in YAML): parsed like LF, and incremental updates still equal a full parse. */
import * as assert from 'assert';
import { cardText } from '../../server/src/card/document';
import { getLanguageService } from '../../server/src/languageService';
import { rng } from '../helpers';

const service = getLanguageService();

describe('lone CR line ends', () => {
  it('give the same problems as LF line ends', () => {
    const lf = '# card\ntechnology: x\nlevel: 1\nrequirements:\n  - id: "1"\n    kind: product\nversion: 1.0\n';
    const strip = (text: string) => service.problems(service.parse(text)).map((p) => [p.code, p.start, p.end, p.message]);
    assert.deepStrictEqual(strip(lf.replace(/\n/g, '\r')), strip(lf));
    assert.ok(strip(lf).length > 0);
  });

  it('keep incremental updates equal to a full parse when an edit makes or removes one', () => {
    // The edits that matter: a CR typed in a split list item, an LF deleted after a CR, CRLF typed (no lone CR).
    const pieces = ['\r', '\n', '\r\n', 'a: 1', '- x', '  ', 'requirements:', '#', ':'];
    const random = rng(20);
    for (let run = 0; run < 100; run++) {
      let text = 'technology: x\r\nlevel: 1\nrequirements:\n  - id: "1"\n    text: a\r\n  - id: "2"\n';
      let card = service.parse(text);
      for (let k = 0; k < 20; k++) {
        const start = Math.floor(random() * (text.length + 1));
        const end = Math.min(text.length, start + Math.floor(random() * 3));
        const insert = Array.from({ length: Math.floor(random() * 3) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
        const before = text;
        text = text.slice(0, start) + insert + text.slice(end);
        card = service.update(card, { start, end, text: insert });
        const context = `run ${run}, edit ${k}: ${JSON.stringify(before)} [${start}, ${end}) ← ${JSON.stringify(insert)}`;
        assert.strictEqual(cardText(card), text, context);
        assert.deepStrictEqual(service.problems(card), service.problems(service.parse(text)), context);
      }
    }
  });
});
