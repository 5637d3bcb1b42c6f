// Locks the store after a stretch without keyboard or mouse use.
//
// The clock and the timer are injected so the rule is tested without waiting: every
// `checkEveryMs` the watcher compares the time since the last activity with the limit
// (read afresh each time, so a change in Settings applies at once; 0 = never).

export interface IdleWatch {
  /** Call on user activity. */
  touch(): void;
  /** Stops watching. */
  stop(): void;
}

export interface IdleOptions {
  limitMinutes: () => number;
  onIdle: () => void;
  now?: () => number;
  checkEveryMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function watchIdle(options: IdleOptions): IdleWatch {
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimer ?? ((fn, ms) => setInterval(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));
  let last = now();
  let fired = false;
  const handle = setTimer(() => {
    const limit = options.limitMinutes();
    if (limit > 0 && !fired && now() - last >= limit * 60_000) {
      fired = true;
      options.onIdle();
    }
  }, options.checkEveryMs ?? 15_000);
  return {
    touch() {
      last = now();
      fired = false;
    },
    stop() {
      clearTimer(handle);
    },
  };
}

/** The DOM events that count as activity. */
export const ACTIVITY_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;
