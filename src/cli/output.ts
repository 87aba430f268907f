// What people see: aligned tables, key/value lists, statuses in colour on a terminal; and what
// scripts see: JSON, one document per command, never coloured.
import type { Json } from './client.ts';

/** Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function colourEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(text: string, colour: Colour, on: boolean): string {
  return on ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}

export function statusColour(status: string): Colour | undefined {
  if (status === 'ACTIVE' || status === 'UP' || status === 'available') return 'green';
  if (status === 'DOWN' || status === 'ERROR' || status === 'failed' || status === 'FREEZED') return 'red';
  if (status.startsWith('PENDING') || status === 'pending') return 'yellow';
  return undefined;
}

export function paintStatus(status: string, on: boolean): string {
  const colour = statusColour(status);
  return colour ? paint(status, colour, on) : status;
}

const write = (s: string): void => {
  process.stdout.write(s);
};

export function printJson(value: unknown, out: (s: string) => void = write): void {
  out(JSON.stringify(value, null, 2) + '\n');
}

// Matches the escapes paint() writes.
const visibleLength = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/** Columns padded to their widest cell; the header in bold on a terminal. */
export function table(headers: string[], rows: string[][], colour: boolean): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [paint(line(headers), 'bold', colour), ...rows.map(line)].join('\n') + '\n';
}

/** A value as one line: arrays joined, objects as key=value pairs. */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${cell(v)}`)
      .join(' ');
  }
  return String(value);
}

/** A resource as "key  value" lines; nested objects as dotted keys. */
export function details(resource: Json, colour: boolean): string {
  const rows: [string, string][] = [];
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, `${prefix}${k}.`);
      else rows.push([`${prefix}${k}`, k === 'status' ? paintStatus(String(v), colour) : cell(v)]);
    }
  };
  walk(resource, '');
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}
