/** Paths as the CLI prints them and the pages show them: as they are, or quoted with escapes when a terminal would act on them. */
import test from 'ava'
import {SHOWN_PATH_SCRIPT, shownPath} from '#src/util/shown-path.js'
import {UI_PAGE} from '#src/daemon-ui/ui-page.js'
import {STATUS_PAGE} from '#server/status/status-page.js'

test('a plain path, accents, emoji and a real U+FFFD are printed as they are', (t) => {
  for (const path of ['Risotto.cook', 'Desserts/Crème brûlée.cook', 'notes/🍝.md', 'odd \uFFFD.cook', 'a "quoted" \\ name']) t.is(shownPath(path), path)
})

test('controls, DEL, C1 controls and bidirectional formatting are escaped, the path quoted', (t) => {
  t.is(shownPath('new\nline.cook'), '"new\\nline.cook"')
  t.is(shownPath('bell\u0007.cook'), '"bell\\u0007.cook"')
  t.is(shownPath('title\u001b]0;owned\u0007.cook'), '"title\\u001b]0;owned\\u0007.cook"')
  t.is(shownPath('del\u007f.cook'), '"del\\u007f.cook"')
  t.is(shownPath('csi\u009b31m.cook'), '"csi\\u009b31m.cook"')
  t.is(shownPath('invoice\u202efdp.exe'), '"invoice\\u202efdp.exe"')
  t.is(shownPath('tab\t"and" \\.cook'), '"tab\\t\\"and\\" \\\\.cook"')
})

test("the pages' scripts get the same function, and both pages have it", (t) => {
  const inPage = new Function(`${SHOWN_PATH_SCRIPT}; return shownPath`)() as (path: string) => string
  for (const path of ['Risotto.cook', 'new\nline.cook', 'invoice\u202efdp.exe', 'csi\u009b31m.cook', 'a "b" \\ c']) t.is(inPage(path), shownPath(path))
  t.true(UI_PAGE.html.includes(SHOWN_PATH_SCRIPT))
  t.true(STATUS_PAGE.html.includes(SHOWN_PATH_SCRIPT))
})
