// When the results were made (UTC), "cached" when they came from the cache, and re-check.
import { utc } from './visible-text.ts';

export interface ReportHeaderProps {
  domain?: string;
  checkedAt?: string;
  cachedAt?: number;
  running: boolean;
  onRecheck?: () => void;
}

export function ReportHeader({ domain, checkedAt, cachedAt, running, onRecheck }: ReportHeaderProps) {
  return (
    <div class="report-header">
      {checkedAt ? (
        <p>
          Results of <time dateTime={checkedAt}>{utc(checkedAt)}</time>
          {cachedAt !== undefined ? (
            <span class="cached" data-testid="cached">
              {' '}
              · cached
            </span>
          ) : null}
        </p>
      ) : null}
      {onRecheck && domain ? (
        <button type="button" onClick={onRecheck} disabled={running}>
          Re-check
        </button>
      ) : null}
    </div>
  );
}
