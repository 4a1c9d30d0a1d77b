/**
 * Progress bars on stderr for long work, only on a terminal (quiet in scripts, cron and pipes): the scan's files
 * read, then each transfer's bytes and files received or sent, with its rate. cli-progress is loaded only then:
 * its 17 modules are a tenth of a no-change `sync once`.
 */
import type {Phase} from '#src/sync/syncer.js'
import type {TransferProgress} from '#src/sync/transfer-meter.js'
import {mb} from './megabytes.js'

/** Below this many files, or bytes to move, work is quick: no bar. */
const WORTH_A_BAR = {files: 50, bytes: 4_000_000}

export interface ProgressBar {
  /** The scan's progress (a Syncer's onProgress); the other phases show as transfers. */
  update(phase: Phase, done: number, total: number): void
  /** A Syncer's onTransfer. */
  transfer(progress: TransferProgress): void
  stop(): void
}

const quiet: ProgressBar = {update: () => {}, transfer: () => {}, stop: () => {}}

export async function progressBar(): Promise<ProgressBar> {
  if (!process.stderr.isTTY) return quiet
  const {default: cliProgress} = await import('cli-progress')
  const bar = new cliProgress.SingleBar(
    {stream: process.stderr, format: '{what} [{bar}] {percentage}% | {amount}{rate}', hideCursor: true, clearOnComplete: true},
    cliProgress.Presets.shades_classic,
  )
  let shown: 'scan' | 'up' | 'down' | undefined
  let started = 0
  const show = (what: typeof shown, total: number, done: number, payload: {what: string; amount: string; rate: string}) => {
    if (what !== shown) {
      if (shown) bar.stop()
      bar.start(total, done, payload)
      shown = what
      started = Date.now()
    } else bar.update(done, payload)
  }
  const end = () => {
    bar.stop()
    shown = undefined
  }
  return {
    update(phase, done, total) {
      if (phase !== 'scan' || total < WORTH_A_BAR.files) return
      show('scan', total, done, {what: 'reading files', amount: `${done}/${total} files`, rate: ''})
      if (done >= total) end()
    },
    transfer(progress) {
      const {direction, files, filesTotal, bytes, bytesTotal} = progress
      if (filesTotal < WORTH_A_BAR.files && bytesTotal < WORTH_A_BAR.bytes) return
      const seconds = (Date.now() - started) / 1000
      const rate = shown === direction && seconds > 0 ? ` | ${mb(bytes / seconds)}/s` : ''
      const amount = `${mb(bytes)}/${mb(bytesTotal)} | ${files}/${filesTotal} files`
      // Empty files move no bytes: their bar counts files.
      const [done, total] = bytesTotal > 0 ? [bytes, bytesTotal] : [files, filesTotal]
      show(direction, total, done, {what: direction === 'down' ? 'receiving' : 'sending', amount, rate})
      if (progress.done) end()
    },
    stop: () => bar.stop(),
  }
}
