/** Adds values after those already listed under key: a step's inserted lines keep the order the passes added them in. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  map.set(key, [...(map.get(key) ?? []), ...values]);
}
