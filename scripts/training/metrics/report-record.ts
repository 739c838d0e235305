/**
 * The shape of a quality report: plain data (numbers, names, verdicts), made by quality-report.ts
 * and read by the table and the page, so each view depends on the record and not on how it is made.
 */
import type { TrackName } from '../../../server/families/symbolic/piano-roll.js';

/** The pass rule's three numbers: |g − d| ≤ tolerance·|d|, or ≤ absoluteTolerance where |d| < absoluteBelow (see `withinTolerance`). */
export interface PassRule {
  readonly tolerance: number;
  readonly absoluteBelow: number;
  readonly absoluteTolerance: number;
}

/** Which set a figure belongs to: MuseGAN's objective metrics or the listener figures. */
export type FigureGroup = 'musegan' | 'listener';
/** The track a figure is about; TD compares two. */
export type FigureTrack = TrackName | 'bass-chords';

/** One figure measured in both sets, and the verdict on it. */
export interface FigureComparison {
  /** 'QN.bass', 'oneStep.chords', 'similarity4.drums': the part after the dot is the track. */
  readonly name: string;
  readonly group: FigureGroup;
  readonly track: FigureTrack;
  readonly description: string;
  readonly data: number;
  readonly generated: number;
  /** generated − data (signed; the pass rule takes its size). */
  readonly difference: number;
  readonly pass: boolean;
  /** Units the figure averaged over in each set; 0 means undefined there. */
  readonly support: { readonly data: number; readonly generated: number };
  /** Why a verdict is not just the pass rule (a figure undefined in one set or both). */
  readonly note?: string;
}

/** Phrase diversity of both sets (see diversity.ts) and the verdict on their ratio. */
export interface DiversityComparison {
  readonly data: number;
  readonly generated: number;
  /** generated / data; 1 when the data's diversity is 0 (nothing to fall short of). */
  readonly ratio: number;
  readonly minRatio: number;
  readonly pass: boolean;
  readonly distinct: { readonly data: number; readonly generated: number };
  /** Phrases in each set. */
  readonly count: { readonly data: number; readonly generated: number };
}

/** Everything `compareSongs` found: plain data, ready for JSON, the table and the page. */
export interface QualityReport {
  readonly rule: PassRule;
  /** The MuseGAN metrics (group 'musegan'), then the listener figures by track (group 'listener'). */
  readonly figures: readonly FigureComparison[];
  readonly diversity: DiversityComparison;
  /** Every figure and the diversity check passed. */
  readonly passed: boolean;
}
