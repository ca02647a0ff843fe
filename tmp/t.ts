import { getLanguageService } from '../server/src/languageService';
import { TextDocument } from 'vscode-languageserver-textdocument';
const ls = getLanguageService();
const text = `technology: Solar
level: 4
owners:
  rnd:
    owner: Ada
    reviewers: [Bob]
  prodct: {}
version: 1.0
requirements:
  - id: 1.a
    kind: reserch
    text: foo
    p_failure: 1.5
    value: 3
    risk: 2
  - id: 2
tldr:
hypotheses: []
`;
const doc = TextDocument.create('file:///x.trl.yaml', 'trl-card', 1, text);
const card = ls.parse(text);
for (const d of ls.diagnostics(doc, card)) console.log(d.range.start.line+1, d.range.start.character+1, '-', d.range.end.line+1, d.range.end.character+1, d.code, d.message);
const c = ls.complete(doc, card, {line: 18, character: 0});
console.log(c.items.slice(0,8).map(i => i.label + ' | ' + i.labelDetails?.description + ' | ' + JSON.stringify((i.textEdit as any).newText)));
console.log(JSON.stringify(ls.hover(doc, card, {line:1, character: 8})?.contents));
