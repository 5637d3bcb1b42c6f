// Asks before leaving a form with unsaved changes. The open form registers how to tell
// whether it is dirty; navigation asks `mayLeave()` first.
let isDirty: (() => boolean) | null = null;

export function guardLeaving(check: () => boolean): () => void {
  isDirty = check;
  return () => {
    if (isDirty === check) isDirty = null;
  };
}

export function mayLeave(ask: () => boolean): boolean {
  return !isDirty?.() || ask();
}
