/** The answer renderer builds vnodes only: twin text can never become markup, script or a javascript: link. */
import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { markdown } from '../../../src/web/app/lib/markdown';

type Any = VNode<Record<string, unknown>>;

function walk(nodes: unknown, visit: (n: Any) => void): void {
  if (Array.isArray(nodes)) return nodes.forEach((n) => walk(n, visit));
  if (nodes && typeof nodes === 'object' && 'type' in (nodes as object)) {
    const n = nodes as Any;
    visit(n);
    walk(n.props.children, visit);
  }
}

function text(nodes: unknown): string {
  if (Array.isArray(nodes)) return nodes.map(text).join('');
  if (typeof nodes === 'string' || typeof nodes === 'number') return String(nodes);
  if (nodes && typeof nodes === 'object' && 'props' in (nodes as object)) return text((nodes as Any).props.children);
  return '';
}

const tags = (nodes: unknown) => {
  const out: string[] = [];
  walk(nodes, (n) => out.push(String(n.type)));
  return out;
};

describe('markdown', () => {
  it('renders headings, lists, emphasis, code and tables', () => {
    const v = markdown('# Title\n\nSome **bold** and *it* and `code`.\n\n- one\n- two\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx < y\n```');
    const t = tags(v);
    for (const tag of ['h3', 'p', 'strong', 'em', 'code', 'ul', 'ol', 'li', 'table', 'th', 'td', 'pre']) expect(t).toContain(tag);
    expect(text(v)).toContain('x < y');
  });

  it('keeps HTML in twin text as text, never as elements or raw HTML', () => {
    const hostile = '<img src=x onerror=alert(1)> <script>alert(2)</script> <a href="javascript:alert(3)">x</a>';
    const v = markdown(`Alarm note: ${hostile}`);
    const t = tags(v);
    expect(t).not.toContain('img');
    expect(t).not.toContain('script');
    expect(t).not.toContain('a');
    walk(v, (n) => expect(n.props).not.toHaveProperty('dangerouslySetInnerHTML'));
    expect(text(v)).toContain('<script>alert(2)</script>');
  });

  it('links only http(s), mailto and in-app targets', () => {
    const v = markdown('[ok](https://example.com) [bad](javascript:alert(1)) [data](data:text/html,x) [app](#/twin)');
    const hrefs: string[] = [];
    walk(v, (n) => n.type === 'a' && hrefs.push(String(n.props.href)));
    expect(hrefs).toEqual(['https://example.com', '#/twin']);
    expect(text(v)).toContain('[bad](javascript:alert(1))');
    let external: Any | undefined;
    walk(v, (n) => n.props.href === 'https://example.com' && (external = n));
    expect(external?.props.rel).toBe('noopener noreferrer');
  });

  it('turns evidence ids into links only when the answer has that evidence', () => {
    const v = markdown('Vibration rose [ev1] and [ev9].', { evidenceHref: (id) => (id === 'ev1' ? '#/twin/demo-plant/cnc-a2?ev=ev1' : null) });
    const links: Any[] = [];
    walk(v, (n) => n.type === 'a' && links.push(n));
    expect(links).toHaveLength(1);
    expect(links[0]!.props.href).toBe('#/twin/demo-plant/cnc-a2?ev=ev1');
    expect(text(v)).toContain('[ev9]');
  });

  it('leaves snake_case ids alone but still reads _emphasis_ at word edges', () => {
    const v = markdown('create_work_order and duration_hours, but _this_ is emphasis');
    expect(text(v)).toContain('create_work_order and duration_hours');
    const ems: string[] = [];
    walk(v, (n) => n.type === 'em' && ems.push(text(n.props.children)));
    expect(ems).toEqual(['this']);
  });

  it('survives odd input without throwing', () => {
    for (const s of ['', '\n\n', '**', '|', '| a |\n|---|', '```', '> ', '-', '1.', '#', '[x](', '\u0000\u202e', 'a'.repeat(10_000)]) expect(() => markdown(s)).not.toThrow();
  });
});
