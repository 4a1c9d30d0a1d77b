import path from 'node:path'
import test from 'ava'
import {execa} from 'execa'

const module = path.resolve('dist/src/util/young-generation.js')

/** The young generation's size after a burst of allocation that survives scavenges, in a fresh node. */
async function youngGenerationAfterBurst(keepSmall: boolean): Promise<number> {
  const script = `
    import v8 from 'node:v8'
    import {keepYoungGenerationSmall} from ${JSON.stringify(module)}
    if (${keepSmall}) keepYoungGenerationSmall()
    const keep = []
    for (let i = 0; i < 3_000_000; i++) {
      keep.push({i, s: 'x' + i})
      if (keep.length > 200_000) keep.splice(0, 100_000)
    }
    console.log(v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size)`
  const {stdout} = await execa('node', ['--input-type=module', '-e', script])
  return Number(stdout)
}

test('keepYoungGenerationSmall still keeps the young generation from growing (a V8 flag set after start)', async (t) => {
  const grown = await youngGenerationAfterBurst(false)
  const kept = await youngGenerationAfterBurst(true)
  t.true(grown >= 16 * 1024 * 1024, `without it the young generation grows: ${grown} bytes`)
  t.true(kept <= 4 * 1024 * 1024, `with it: ${kept} bytes`)
})
