/**
 * Recipe-like text for benchmarks, from a seed: Cooklang front matter, sections, steps that name ingredients,
 * cookware and timers, blank lines. Lines repeat as they do in real cookbooks (front matter keys, blank lines,
 * common steps) but most steps are unique, so dedup does not flatter the figures.
 */
import {createHash} from 'node:crypto'
import {mkdir, open, writeFile} from 'node:fs/promises'
import path from 'node:path'

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ADJECTIVES = [
  'Classic',
  'Quick',
  'Spicy',
  'Creamy',
  'Rustic',
  'Smoky',
  'Lemony',
  'Crispy',
  'Slow-Cooked',
  'Herbed',
  'Golden',
  'Summer',
  'Winter',
  "Grandma's",
  'Roasted',
]
const DISHES = [
  'Risotto',
  'Curry',
  'Pancakes',
  'Pizza',
  'Salad',
  'Stew',
  'Tacos',
  'Soup',
  'Lasagne',
  'Burrito',
  'Frittata',
  'Dal',
  'Gnocchi',
  'Paella',
  'Chili',
  'Tart',
  'Noodles',
  'Pilaf',
]
const INGREDIENTS = [
  'onion',
  'garlic',
  'olive oil',
  'butter',
  'salt',
  'black pepper',
  'flour',
  'eggs',
  'milk',
  'arborio rice',
  'vegetable stock',
  'parmesan cheese',
  'tomatoes',
  'basil',
  'chili flakes',
  'coconut milk',
  'green curry paste',
  'chicken thighs',
  'red beans',
  'cumin',
  'coriander',
  'lime',
  'avocado',
  'sugar',
  'yeast',
  'mozzarella',
  'spinach',
  'mushrooms',
  'white wine',
  'cream',
  'lemon zest',
  'paprika',
  'carrots',
  'celery',
  'potatoes',
  'lentils',
  'ginger',
  'soy sauce',
  'honey',
  'thyme',
]
const UNITS = ['g', 'ml', 'tbsp', 'tsp', 'cup', 'l', 'kg', 'pinch', '']
const COOKWARE = ['large pot', 'frying pan', 'saucepan', 'baking tray', 'mixing bowl', 'oven', 'blender', 'wok', 'skillet', 'colander']
const VERBS = ['Chop', 'Dice', 'Slice', 'Add', 'Stir in', 'Whisk', 'Fold in', 'Season with', 'Sprinkle', 'Pour in', 'Mix', 'Toss', 'Grate', 'Mash', 'Crush']
const CONNECTIVES = [
  'and cook until soft',
  'until fragrant',
  'then set aside',
  'and bring to a simmer',
  'stirring often',
  'until golden brown',
  'over medium heat',
  'and let it rest',
  'until combined',
  'and mix well',
]
const COMMON_STEPS = [
  'Season with @salt{} and @black pepper{} to taste.',
  'Serve immediately.',
  'Preheat the #oven{} to 200°C.',
  'Let it cool for ~{10%minutes} before serving.',
  '> Leftovers keep for three days in the fridge.',
]
const TAGS = ['italian', 'vegetarian', 'quick', 'comfort food', 'breakfast', 'spicy', 'vegan', 'thai', 'mexican', 'baking', 'soup', 'weeknight']

export function recipe(random: () => number, n: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const amount = () => {
    const unit = pick(UNITS)
    const qty = random() < 0.3 ? Math.ceil(random() * 4) : Math.round(random() * 500)
    return unit ? `${qty}%${unit}` : String(qty)
  }
  const step = () => {
    if (random() < 0.15) return pick(COMMON_STEPS)
    const first = `${pick(VERBS)} the @${pick(INGREDIENTS)}{${amount()}}`
    const second = random() < 0.6 ? ` with the @${pick(INGREDIENTS)}{${amount()}}` : ''
    const tool = random() < 0.4 ? ` in a #${pick(COOKWARE)}{}` : ''
    const timer = random() < 0.35 ? ` for ~{${Math.ceil(random() * 40)}%minutes}` : ''
    return `${first}${second}${tool} ${pick(CONNECTIVES)}${timer}.`
  }
  const lines = [
    '---',
    `title: ${pick(ADJECTIVES)} ${pick(DISHES)} ${n}`,
    `servings: ${1 + Math.floor(random() * 8)}`,
    `tags: ${pick(TAGS)}, ${pick(TAGS)}`,
    `prep time: ${5 * (1 + Math.floor(random() * 6))} min`,
    `cook time: ${5 * (1 + Math.floor(random() * 12))} min`,
    '---',
    '',
  ]
  const sections = 1 + Math.floor(random() * 3)
  for (let s = 0; s < sections; s++) {
    if (sections > 1) lines.push(`= ${pick(['Prepare', 'Cook', 'Finish', 'Assemble', 'Serve'])} =`, '')
    const steps = 3 + Math.floor(random() * 6)
    for (let i = 0; i < steps; i++) lines.push(step(), '')
  }
  return `${lines.join('\n')}\n`
}

/** The recipes of a text of about `bytes` bytes, in order. */
function* recipes(bytes: number, seed: number): Generator<string> {
  const random = seededRandom(seed)
  let total = 0
  for (let n = 0; total < bytes; n++) {
    const text = recipe(random, n)
    yield text
    total += Buffer.byteLength(text)
  }
}

/** A text of about `bytes` bytes made of recipes. */
export function recipeText(bytes: number, seed: number): string {
  return [...recipes(bytes, seed)].join('')
}

/** Bytes written to a file at a time: a text past 512 MB cannot be one string. */
const WRITE_BYTES = 4 * 1024 * 1024

/**
 * Writes recipeText(bytes, seed) to `file` without holding it, with `insert.line` after the first line that ends
 * at or past byte `insert.at`; returns the file's size and SHA-256 (hex), to compare copies without reading two.
 */
export async function writeRecipeFile(file: string, bytes: number, seed: number, insert?: {at: number; line: string}): Promise<{size: number; sha256: string}> {
  const handle = await open(file, 'w')
  const hash = createHash('sha256')
  let size = 0
  let batch: string[] = []
  let batchBytes = 0
  const flush = async () => {
    const buffer = Buffer.from(batch.join(''))
    hash.update(buffer)
    await handle.write(buffer)
    size += buffer.length
    batch = []
    batchBytes = 0
  }
  try {
    let inserted = insert === undefined
    for (let text of recipes(bytes, seed)) {
      const length = Buffer.byteLength(text)
      if (!inserted && size + batchBytes + length > insert!.at) {
        const within = Buffer.from(text)
        const lineEnd = within.indexOf(0x0a, Math.max(0, insert!.at - size - batchBytes)) + 1
        text = `${within.subarray(0, lineEnd).toString()}${insert!.line}${within.subarray(lineEnd).toString()}`
        inserted = true
      }
      batch.push(text)
      batchBytes += Buffer.byteLength(text)
      if (batchBytes >= WRITE_BYTES) await flush()
    }
    await flush()
  } finally {
    await handle.close()
  }
  return {size, sha256: hash.digest('hex')}
}

/** Writes `count` recipe files into nested folders under `dir`; returns the total bytes written. */
export async function writeCookbook(dir: string, count: number, seed: number): Promise<number> {
  const random = seededRandom(seed)
  let total = 0
  for (let n = 0; n < count; n++) {
    const folder = path.join(dir, `cuisine-${n % 20}`, `course-${Math.floor(n / 20) % 10}`)
    if (n < 200) await mkdir(folder, {recursive: true})
    const text = recipe(random, n)
    await writeFile(path.join(folder, `recipe-${n}.cook`), text)
    total += Buffer.byteLength(text)
  }
  return total
}
