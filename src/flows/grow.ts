/** Copies of typed arrays at a larger length (the tables double their records when full). */
export function growF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

export function growI32(a: Int32Array, n: number, fill?: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  if (fill !== undefined) b.fill(fill, a.length);
  return b;
}

export function growU32(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

export function growU8(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
