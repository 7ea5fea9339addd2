/**
 * A small Markdown renderer that builds Preact vnodes, never HTML strings. Answer text quotes twin data (names,
 * notes, alarm messages) that anyone with a manifest can write, so it is data: every character becomes a text node,
 * and links are kept only for http(s) and in-app `#/` targets. Evidence ids such as `[ev3]` become links to the
 * evidence entry (or its chart) through `evidenceHref`.
 */
import { h, type VNode } from 'preact';

export interface MarkdownOptions {
  /** Link target for an evidence id, or null when the id is unknown. */
  evidenceHref?: (id: string) => string | null;
}

type Node = VNode<any>;
type Child = Node | string;

const SAFE_URL = /^(https?:\/\/|#\/|mailto:)/i;

/** Inline spans: code, bold, italic, links, evidence ids. */
export function inline(text: string, opts: MarkdownOptions = {}, keyBase = 'i'): Child[] {
  const out: Child[] = [];
  // Order matters: code first so its contents are never parsed.
  // Underscore emphasis only at word edges, so ids like create_work_order stay as written.
  const re = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*|(?<![\w])__[^_\n]+__(?![\w]))|(\*[^*\s][^*\n]*\*|(?<![\w])_[^_\s][^_\n]*_(?![\w]))|(\[[^\]\n]+\]\([^)\s]+\))|(\[(ev[\w-]+)\])/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const key = `${keyBase}-${n++}`;
    const tok = m[0];
    if (m[1]) out.push(h('code', { key }, tok.slice(1, -1)));
    else if (m[2]) out.push(h('strong', { key }, inline(tok.slice(2, -2), opts, key)));
    else if (m[3]) out.push(h('em', { key }, inline(tok.slice(1, -1), opts, key)));
    else if (m[4]) {
      const close = tok.indexOf('](');
      const label = tok.slice(1, close);
      const url = tok.slice(close + 2, -1);
      if (SAFE_URL.test(url)) {
        const external = /^https?:/i.test(url);
        out.push(h('a', { key, href: url, ...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {}) }, inline(label, opts, key)));
      } else out.push(tok);
    } else if (m[5]) {
      const id = m[6]!;
      const target = opts.evidenceHref?.(id);
      out.push(target ? h('a', { key, href: target, class: 'ev-ref', title: `Evidence ${id}` }, id) : tok);
    }
    last = m.index + tok.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function isTableSep(line: string): boolean {
  return /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);
}

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** Block structure: headings, paragraphs, lists, code fences, quotes, tables, rules. */
export function markdown(src: string, opts: MarkdownOptions = {}): Node[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Node[] = [];
  let i = 0;
  let k = 0;
  const key = () => `b${k++}`;
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^\s*$/.test(line)) {
      i++;
      continue;
    }
    const fence = /^\s*```/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i]!)) body.push(lines[i++]!);
      i++;
      blocks.push(h('pre', { key: key() }, h('code', null, body.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      // Answers sit inside a page that already has h1/h2: shift headings down to h3…h6.
      const level = Math.min(6, heading[1]!.length + 2);
      const k2 = key();
      blocks.push(h(`h${level}`, { key: k2 }, inline(heading[2]!, opts, k2)));
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push(h('hr', { key: key() }));
      i++;
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && isTableSep(lines[i + 1]!)) {
      const head = cells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.includes('|') && !/^\s*$/.test(lines[i]!)) rows.push(cells(lines[i++]!));
      const k2 = key();
      blocks.push(
        h('div', { key: k2, class: 'table-wrap' },
          h('table', null,
            h('thead', null, h('tr', null, head.map((c, j) => h('th', { key: j, scope: 'col' }, inline(c, opts, `${k2}h${j}`))))),
            h('tbody', null, rows.map((r, ri) => h('tr', { key: ri }, r.map((c, j) => h('td', { key: j }, inline(c, opts, `${k2}r${ri}c${j}`)))))),
          ),
        ),
      );
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) body.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      blocks.push(h('blockquote', { key: key() }, markdown(body.join('\n'), opts)));
      continue;
    }
    const bullet = /^\s*([-*+]|\d+[.)])\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: string[] = [];
      while (i < lines.length && (bullet.test(lines[i]!) || (/^\s{2,}\S/.test(lines[i]!) && items.length))) {
        const l = lines[i++]!;
        if (bullet.test(l)) items.push(l.replace(bullet, ''));
        else items[items.length - 1] += ` ${l.trim()}`;
      }
      const k2 = key();
      blocks.push(h(ordered ? 'ol' : 'ul', { key: k2 }, items.map((it, j) => h('li', { key: j }, inline(it, opts, `${k2}-${j}`)))));
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !/^\s*$/.test(lines[i]!) &&
      !/^(#{1,6})\s/.test(lines[i]!) &&
      !/^\s*```/.test(lines[i]!) &&
      !(para.length && bullet.test(lines[i]!))
    )
      para.push(lines[i++]!.trim());
    const k2 = key();
    blocks.push(h('p', { key: k2 }, inline(para.join(' '), opts, k2)));
  }
  return blocks;
}
