/**
 * One timer for many deadlines (`HttpPolicy.onDeadline`): a pending deadline is an entry in a set,
 * and one timer is armed for the earliest. It is re-armed only when an earlier deadline arrives or
 * when it fires; a deadline removed before it is due costs a set deletion.
 */

/** A pending deadline: `at` in `Date.now()` milliseconds; `expire` runs if it is still pending then. */
export interface Entry {
  readonly at: number
  readonly expire: () => void
}

/** A set of deadlines served by one timer. */
export class Deadlines {
  private readonly pending = new Set<Entry>()
  private timer: ReturnType<typeof setTimeout> | undefined = undefined
  private armedAt = Number.POSITIVE_INFINITY

  /** Adds `entry`; its `expire` runs at `entry.at` unless it was removed first. */
  add(entry: Entry): void {
    this.pending.add(entry)
    if (entry.at < this.armedAt) this.arm(entry.at)
  }

  /** Removes `entry` (its request ended); the timer stays armed for whatever comes next. */
  delete(entry: Entry): void {
    this.pending.delete(entry)
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.armedAt = at
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()))
    // Pending requests keep the process alive by themselves; the timer never does.
    // (Node's timers are objects with `unref`; a browser's are numbers.)
    const timer: unknown = this.timer
    if (typeof timer === "object" && timer !== null && "unref" in timer && typeof timer.unref === "function") {
      timer.unref()
    }
  }

  private fire(): void {
    this.timer = undefined
    this.armedAt = Number.POSITIVE_INFINITY
    const now = Date.now()
    let next = Number.POSITIVE_INFINITY
    const due: Array<Entry> = []
    for (const entry of this.pending) {
      if (entry.at <= now) due.push(entry)
      else if (entry.at < next) next = entry.at
    }
    for (const entry of due) this.pending.delete(entry)
    if (next !== Number.POSITIVE_INFINITY) this.arm(next)
    for (const entry of due) entry.expire()
  }
}
