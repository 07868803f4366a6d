// The theme's colours, read once per frame from the CSS variables (the diagram draws on a
// canvas, which cannot use them directly).
import { cssVar } from '../chart-kit.js';

export interface Palette {
  text: string;
  dim: string;
  border: string;
  panel: string;
  panel2: string;
  accent: string;
  lost: string;
  partitioned: string;
  duplicated: string;
  corrupted: string;
  past: string;
  future: string;
  /** Events concurrent with the hovered one. */
  concurrent: string;
  faultBand: string;
  partitionBand: string;
  font: string;
  mono: string;
}

export function readPalette(): Palette {
  return {
    text: cssVar('--text'),
    dim: cssVar('--text-dim'),
    border: cssVar('--border'),
    panel: cssVar('--panel'),
    panel2: cssVar('--panel-2'),
    accent: cssVar('--accent'),
    lost: cssVar('--lost'),
    partitioned: cssVar('--partitioned'),
    duplicated: cssVar('--paused'),
    corrupted: cssVar('--suspected'),
    past: cssVar('--accent'),
    future: cssVar('--up'),
    concurrent: cssVar('--paused'),
    faultBand: cssVar('--fault-band'),
    partitionBand: cssVar('--fault-band-partition'),
    font: cssVar('--font'),
    mono: cssVar('--mono'),
  };
}
