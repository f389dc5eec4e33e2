import { diffVersions } from './diff';
import type { HistoryPoint } from './types';

/**
 * The resource page's timeline math: the history's points as slider marks (index = point), the
 * point of a log position from the URL, the pair diffed by default. Pure (timeline.unit.spec.ts).
 */

export interface SliderMark {
  value: number;
  label?: string;
}

/**
 * A mark per point, at most `maxLabels` of them labelled (`#1`, `#5`...: evenly spaced, always the
 * first and the last) so the labels never overlap at 1280 px however long the history.
 */
export function sliderMarks(count: number, maxLabels = 8): SliderMark[] {
  if (count <= 0) return [];
  const labelled = new Set<number>([0, count - 1]);
  const slots = Math.max(2, Math.min(maxLabels, count));
  for (let k = 1; k < slots - 1; k++) labelled.add(Math.round((k * (count - 1)) / (slots - 1)));
  return Array.from({ length: count }, (_, i) => (labelled.has(i) ? { value: i, label: `#${i + 1}` } : { value: i }));
}

/** The index of the point at a log position (`?at=`), or the last point when absent or unknown. */
export function pointOfPosition(history: readonly Pick<HistoryPoint, 'position'>[], position: string | null): number {
  if (history.length === 0) return 0;
  if (position !== null) {
    const i = history.findIndex((p) => p.position === position);
    if (i >= 0) return i;
  }
  return history.length - 1;
}

/** An index kept inside 0..count-1. */
export const clampPoint = (index: number, count: number): number => Math.max(0, Math.min(count - 1, Math.trunc(index) || 0));

/**
 * The pair diffed when none is chosen (or a chosen one is not in the history): A the first point,
 * B the last. A history of one point diffs it with itself (nothing changed).
 */
export function defaultPair(history: readonly Pick<HistoryPoint, 'position'>[], a: string | null, b: string | null): { a: number; b: number } {
  const find = (position: string | null, fallback: number) => {
    const i = position === null ? -1 : history.findIndex((p) => p.position === position);
    return i >= 0 ? i : fallback;
  };
  return { a: find(a, 0), b: find(b, Math.max(0, history.length - 1)) };
}

/** The text of a point for a label or an option: `#2 AccountUpdated (time)`. */
export function pointText(point: Pick<HistoryPoint, 'type' | 'occurredAt'>, index: number, formatTime: (t: string) => string): string {
  return `#${index + 1} ${point.type} (${formatTime(point.occurredAt)})`;
}

/** What one point changed: the diffed paths since the previous point (`description`, `config.port`), or a word for a creation or a deletion. */
export type PointChange = { kind: 'created' } | { kind: 'deleted' } | { kind: 'fields'; paths: string[] };

export function changeAt(history: readonly Pick<HistoryPoint, 'inventory'>[], index: number): PointChange {
  const current = history[index]?.inventory;
  const previous = index > 0 ? history[index - 1]?.inventory : undefined;
  if (current === undefined) return { kind: 'deleted' };
  if (previous === undefined) return { kind: 'created' };
  return { kind: 'fields', paths: diffVersions(previous, current).filter((e) => e.kind !== 'unchanged').map((e) => e.path) };
}

/** A point's change in a few words for the timeline: at most `max` paths, then how many more. */
export function changeText(change: PointChange, max = 4): string {
  if (change.kind !== 'fields') return change.kind;
  if (change.paths.length === 0) return 'no field changed';
  const shown = change.paths.slice(0, max).join(', ');
  return change.paths.length > max ? `${shown} and ${change.paths.length - max} more` : shown;
}
