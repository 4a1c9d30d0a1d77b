/**
 * A progress bar on stderr for long work, only on a terminal (quiet in scripts, cron and pipes). cli-progress
 * is loaded only then: its 17 modules are a tenth of a no-change `sync once`.
 */
import type {Phase} from '#src/sync/syncer.js'

const labels: Record<Phase, string> = {scan: 'reading files', settle: 'waiting before deleting', apply: 'applying changes', send: 'sending changes'}
/** Below this many items a phase is quick: no bar. */
const WORTH_A_BAR = 50

export async function progressBar(): Promise<{update: (phase: Phase, done: number, total: number) => void; stop: () => void}> {
  if (!process.stderr.isTTY) return {update: () => {}, stop: () => {}}
  const {default: cliProgress} = await import('cli-progress')
  const bar = new cliProgress.SingleBar(
    {stream: process.stderr, format: '{phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true},
    cliProgress.Presets.shades_classic,
  )
  let current: Phase | undefined
  return {
    update(phase, done, total) {
      if (total < WORTH_A_BAR) return
      if (phase !== current) {
        if (current) bar.stop()
        bar.start(total, done, {phase: labels[phase]})
        current = phase
      } else bar.update(done)
      if (done >= total) {
        bar.stop()
        current = undefined
      }
    },
    stop: () => bar.stop(),
  }
}
