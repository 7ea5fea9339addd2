/** JUnit XML: a testsuite per eval suite, a testcase per case, its failures (all trials) in the failure element. */
import { caseFailures, caseUsage } from '../summary';
import type { RunResult } from '../types';

export function escapeXml(s: string): string {
  // Control characters other than tab and newlines are not allowed in XML 1.0 at all.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function junitXml(run: RunResult, name = 'twinpilot-evals'): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = run.suites.flatMap((s) => s.cases);
  const failures = all.filter((c) => !c.passed).length;
  lines.push(`<testsuites name="${escapeXml(name)}" tests="${all.length}" failures="${failures}" time="${(run.ms / 1000).toFixed(3)}">`);
  for (const s of run.suites) {
    const f = s.cases.filter((c) => !c.passed).length;
    const time = s.cases.reduce((t, c) => t + caseUsage(c).ms, 0) / 1000;
    lines.push(`  <testsuite name="${escapeXml(s.suite)}" tests="${s.cases.length}" failures="${f}" errors="0" time="${time.toFixed(3)}" file="${escapeXml(s.file)}">`);
    for (const c of s.cases) {
      const t = (caseUsage(c).ms / 1000).toFixed(3);
      lines.push(`    <testcase classname="${escapeXml(s.suite)}" name="${escapeXml(c.id)}" time="${t}">`);
      if (!c.passed) {
        const msg = caseFailures(c);
        lines.push(`      <failure message="${escapeXml(msg[0] ?? 'failed')}" type="eval">${escapeXml([`task: ${c.task}`, ...msg].join('\n'))}</failure>`);
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
