/**
 * Recipe-like text for benchmarks, from a seed: Cooklang front matter, sections, steps that name ingredients,
 * cookware and timers, blank lines. Lines repeat as they do in real cookbooks (front matter keys, blank lines,
 * common steps) but most steps are unique, so dedup does not flatter the figures.
 */
import {mkdir, writeFile} from 'node:fs/promises'
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

/** A text of about `bytes` bytes made of recipes. */
export function recipeText(bytes: number, seed: number): string {
  const random = seededRandom(seed)
  const parts: string[] = []
  let total = 0
  for (let n = 0; total < bytes; n++) {
    const text = recipe(random, n)
    parts.push(text)
    total += Buffer.byteLength(text)
  }
  return parts.join('')
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
