/** The daemon's recent events for its web page: the last few hundred lines it logged, newest last. */
export interface ActivityLine {
  /** A number that grows by one per line: the page asks for lines after the last it has. */
  seq: number
  time: number
  text: string
  level: 'info' | 'warning' | 'error'
}

export class ActivityLog {
  private readonly lines: ActivityLine[] = []
  private seq = 0

  constructor(private readonly keep = 200) {}

  add(text: string, level: ActivityLine['level'] = 'info'): void {
    this.lines.push({seq: ++this.seq, time: Date.now(), text, level})
    if (this.lines.length > this.keep) this.lines.shift()
  }

  /** The lines kept, oldest first. */
  list(): readonly ActivityLine[] {
    return this.lines
  }
}
