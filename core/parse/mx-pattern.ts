// `mx` patterns of an MTA-STS policy: syntax (RFC 8461 §3.2 `["*."] Domain`) and matching
// (RFC 8461 §4.1 with RFC 6125 §6.4: case-insensitive, `*` only as the whole leftmost label).
import { ldhProblem, toALabel } from './domain-name.ts';

export type MxPatternSyntax =
  | { ok: true; normalized: string; trailingDot: boolean }
  | { ok: false; reason: string };

/**
 * Checks `sts-policy-mx-value = ["*."] Domain`. `normalized` is lower case without the trailing
 * dot; a trailing dot is outside the ABNF but reported through `trailingDot` (ambiguity A6),
 * not as a failure, so the caller can warn and still match the pattern.
 */
export function checkMxPatternSyntax(pattern: string): MxPatternSyntax {
  if (typeof pattern !== 'string' || pattern.length === 0) return { ok: false, reason: 'the pattern is empty' };
  if (pattern.length > 300) return { ok: false, reason: `the pattern is ${pattern.length} characters long` };
  if (/[^\x00-\x7f]/.test(pattern)) {
    return { ok: false, reason: 'it contains non-ASCII characters: internationalised names must be written as A-labels (xn--…)' };
  }
  if (/[\s,]/.test(pattern)) return { ok: false, reason: 'it contains spaces or commas: write one pattern per mx line' };
  if (pattern.startsWith('[') || pattern.includes(':')) {
    return { ok: false, reason: 'it is an IP address literal, which is not a host name pattern' };
  }
  const trailingDot = pattern.endsWith('.') && pattern !== '.';
  const body = trailingDot ? pattern.slice(0, -1) : pattern;
  const wildcard = body.startsWith('*.');
  const domain = wildcard ? body.slice(2) : body;
  if (domain.includes('*')) {
    const where = body === '*' ? 'a bare "*" matches nothing' : '"*" may only be the whole leftmost label, followed by "." (e.g. "*.example.com"); partial-label wildcards are not allowed';
    return { ok: false, reason: where };
  }
  const problem = ldhProblem(domain);
  if (problem !== undefined) return { ok: false, reason: problem };
  const normalized = (wildcard ? '*.' : '') + domain.toLowerCase();
  return { ok: true, normalized, trailingDot };
}

/** Lower case, one trailing dot dropped, Unicode converted to A-labels; undefined if not a name. */
function normalizeHost(host: string): string | undefined {
  if (typeof host !== 'string' || host.length === 0 || host.length > 300) return undefined;
  return toALabel(host);
}

/**
 * RFC 8461 §4.1: does the policy's `mx` pattern allow this MX host? Case-insensitive ASCII,
 * one trailing dot stripped from both sides, `*.` covers exactly one non-empty leftmost label
 * and never the bare suffix. Patterns with syntax errors match nothing.
 */
export function mxPatternMatches(pattern: string, host: string): boolean {
  const syntax = checkMxPatternSyntax(pattern);
  if (!syntax.ok) return false;
  const name = normalizeHost(host);
  if (name === undefined) return false;
  const p = syntax.normalized;
  if (!p.startsWith('*.')) return p === name;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === p.slice(2);
}

/** The patterns (as given) that allow `host`, in their order. */
export function matchingPatterns(patterns: readonly string[], host: string): string[] {
  return patterns.filter((p) => mxPatternMatches(p, host));
}
