/** Byte counts as people read them in one line: decimal megabytes, one decimal. */
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`
