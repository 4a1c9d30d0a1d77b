/** The passphrase of `sync init --encrypt`: SYNC_PASSPHRASE, or asked on the terminal without echo. */
import {createInterface} from 'node:readline/promises'
import {Writable} from 'node:stream'
import {InvalidInputError} from '#src/errors/index.js'

export async function readPassphrase(): Promise<string> {
  const given = process.env.SYNC_PASSPHRASE
  if (given !== undefined && given !== '') return given
  if (!process.stdin.isTTY) throw new InvalidInputError('--encrypt needs a passphrase: set SYNC_PASSPHRASE, or run it in a terminal to be asked')
  process.stderr.write('passphrase: ')
  const silent = new Writable({write: (_chunk, _encoding, done) => done()})
  const prompt = createInterface({input: process.stdin, output: silent, terminal: true})
  try {
    const answer = await prompt.question('')
    process.stderr.write('\n')
    if (answer === '') throw new InvalidInputError('the passphrase is empty')
    return answer
  } finally {
    prompt.close()
  }
}
