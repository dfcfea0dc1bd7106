// An error as the backend wrote it: the message already says what to do.
import type { AppErrorValue } from '../../src-shared/errors';

export function ErrorBanner({ error, onDismiss }: { error: AppErrorValue; onDismiss: () => void }) {
  return (
    <div className="error-banner" role="alert" data-tag={error.tag}>
      <div className="error-text">
        <p className="error-message">{error.message}</p>
        {error.file && <p className="error-file">File: {error.file}</p>}
      </div>
      <button type="button" className="secondary" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
