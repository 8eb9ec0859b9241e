// A tally of the deviations from RFC 8460 §4.4 that the parser tolerated: one line per kind,
// with how often and where, so a report with 10 000 entries does not give 10 000 lines.

const MAX_PLACES = 3;

export class DeviationLog {
  private readonly kinds = new Map<string, { text: string; places: string[]; count: number }>();

  /** `kind` groups; `text` says what was tolerated and which rule it departs from; `place` is a JSON path. */
  add(kind: string, text: string, place: string): void {
    const e = this.kinds.get(kind);
    if (e) {
      e.count++;
      if (e.places.length < MAX_PLACES) e.places.push(place);
    } else this.kinds.set(kind, { text, places: [place], count: 1 });
  }

  has(kind: string): boolean {
    return this.kinds.has(kind);
  }

  list(): string[] {
    return [...this.kinds.values()].map(({ text, places, count }) => {
      const where = places.filter(Boolean);
      const at = where.length === 0 ? '' : ` (at ${where.join(', ')}${count > where.length ? ` and ${count - where.length} more` : ''})`;
      return `${text}${count > 1 ? ` [${count}×]` : ''}${at}`;
    });
  }
}
