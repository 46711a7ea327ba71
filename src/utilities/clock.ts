/**
 * The plugin's clock. Expiry checks read it so tests can move time without sleeping
 * (`setClock(() => Date.now() + 4 * 86400_000)`); production never changes it.
 */
let current: () => number = () => Date.now()

export const now = (): number => current()

export const setClock = (clock: (() => number) | null): void => {
  current = clock ?? (() => Date.now())
}
