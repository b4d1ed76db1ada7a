/**
 * The only exception the filter compiler throws. `column` is 1-based (what a
 * person counts when reading the line); `offset` is the same place 0-based for
 * a UI that underlines the text, and `length` how many characters are at fault.
 */
export class FilterError extends Error {
  readonly column: number;
  readonly offset: number;
  readonly length: number;

  constructor(message: string, offset: number, length = 1) {
    super(message);
    this.name = 'FilterError';
    this.offset = Math.max(0, offset);
    this.column = this.offset + 1;
    this.length = Math.max(1, length);
  }
}
