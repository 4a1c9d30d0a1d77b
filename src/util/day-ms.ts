/** Milliseconds in a day: retention and keep-days are counted in days. */
export const DAY_MS = 86_400_000
