// Fetches list rows page by page for the virtualised list: only the pages a visible
// row falls into are asked for, each once.
export class PageCache<T> {
  private pages = new Map<number, T[] | Promise<T[]>>();

  constructor(
    private readonly pageSize: number,
    private readonly fetchPage: (offset: number, limit: number) => Promise<T[]>,
    private readonly onLoaded: () => void,
  ) {}

  /** The row at `index` if its page is loaded; starts loading it otherwise. */
  row(index: number): T | undefined {
    const page = Math.floor(index / this.pageSize);
    const cached = this.pages.get(page);
    if (Array.isArray(cached)) return cached[index % this.pageSize];
    if (!cached) {
      const loading = this.fetchPage(page * this.pageSize, this.pageSize).then((rows) => {
        this.pages.set(page, rows);
        this.onLoaded();
        return rows;
      });
      this.pages.set(page, loading);
    }
    return undefined;
  }

  get loadedPages(): number {
    return [...this.pages.values()].filter(Array.isArray).length;
  }
}

/** The rows [first, last) to render for a scroll position, with `overscan` spare rows. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last };
}
