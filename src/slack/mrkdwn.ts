/**
 * Markdown (as the copilot writes it) to Slack mrkdwn, and safe truncation. Twin text is data: `&`, `<` and `>`
 * are escaped so nothing in an answer can become a mention (`<!channel>`) or a link Slack would follow.
 */

export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Convert the markdown subset the copilot writes: headings, bold, links, bullets. */
export function toMrkdwn(markdown: string): string {
  const links: string[] = [];
  // Pull links out before escaping, so their `<url|text>` syntax survives; only http(s) targets are kept as links.
  const withoutLinks = markdown.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => {
    if (!/^https?:\/\//.test(url)) return text;
    links.push(`<${url.replace(/[<>|]/g, '')}|${escapeSlack(text).replace(/\|/g, '/')}>`);
    return `\u0000${links.length - 1}\u0000`;
  });
  return escapeSlack(withoutLinks)
    .split('\n')
    .map((line) =>
      line
        .replace(/^#{1,6}\s+(.*)$/, '*$1*')
        .replace(/^\s*[-*]\s+/, '• ')
        .replace(/\*\*(.+?)\*\*/g, '*$1*')
        .replace(/__(.+?)__/g, '_$1_'),
    )
    .join('\n')
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => links[Number(i)]);
}

/** Cut a text to at most `max` characters at a line or word boundary, marking the cut. */
export function truncate(text: string, max: number, marker = '…'): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const room = max - marker.length;
  let end = text.lastIndexOf('\n', room);
  if (end < room * 0.6) end = text.lastIndexOf(' ', room);
  if (end < room * 0.6) end = room;
  // Never leave half an escape (`&am`) or half a link (`<http…`) at the cut.
  let head = text.slice(0, end);
  const openLink = head.lastIndexOf('<');
  if (openLink > head.lastIndexOf('>')) head = head.slice(0, openLink);
  head = head.replace(/&[a-z]{0,4}$/, '');
  return { text: head + marker, cut: true };
}
