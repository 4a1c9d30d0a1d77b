/**
 * Benchmark rows: our figure beside the reference it is compared to, measured in the same run, and the ratio.
 * Suites return rows; run.ts prints them as a Markdown table and keeps them in bench/results.json.
 */
export interface Row {
  suite: string
  name: string
  ours: number
  reference?: number
  referenceName?: string
  unit: string
  /** Goal on ours/reference (ratio) or on ours alone (when there is no reference), and its direction. */
  goal?: {max?: number; min?: number; on: 'ratio' | 'value'}
  note?: string
}

export function ratio(row: Row): number | undefined {
  return row.reference ? row.ours / row.reference : undefined
}

export function met(row: Row): boolean | undefined {
  if (!row.goal) return undefined
  const value = row.goal.on === 'ratio' ? ratio(row) : row.ours
  if (value === undefined) return undefined
  return (row.goal.max === undefined || value <= row.goal.max) && (row.goal.min === undefined || value >= row.goal.min)
}

const fmt = (n: number | undefined, unit = '') =>
  n === undefined ? '' : `${n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3)}${unit ? ` ${unit}` : ''}`

function goalText(row: Row): string {
  if (!row.goal) return ''
  const subject = row.goal.on === 'ratio' ? 'ratio' : row.unit
  const parts = [row.goal.max !== undefined ? `≤ ${row.goal.max}` : '', row.goal.min !== undefined ? `≥ ${row.goal.min}` : ''].filter(Boolean)
  return `${parts.join(', ')} ${row.goal.on === 'ratio' ? '×' : subject}`.trim()
}

export function markdownTable(rows: Row[]): string {
  const lines = ['| suite | measure | ours | reference | ratio | goal | met |', '|---|---|---|---|---|---|---|']
  for (const row of rows) {
    const r = ratio(row)
    const ok = met(row)
    lines.push(
      `| ${row.suite} | ${row.name}${row.note ? ` (${row.note})` : ''} | ${fmt(row.ours, row.unit)} | ${row.reference === undefined ? '' : `${fmt(row.reference, row.unit)} (${row.referenceName})`} | ${r === undefined ? '' : `${r.toFixed(2)}×`} | ${goalText(row)} | ${ok === undefined ? '' : ok ? 'yes' : '**no**'} |`,
    )
  }
  return lines.join('\n')
}
