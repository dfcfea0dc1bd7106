// The quality metrics as stored and shown: one name per number, its label, unit
// and one-sentence definition (docs/metrics.md has the full ones). Shared by the
// metrics step (main), the project store and the Quality panel (renderer).

export const METRIC_NAMES = ['solid_fraction', 'e_tpcf', 'e_lpf', 'e_d', 'd_xy', 'd_xz', 'd_yz', 'mp', 'mgp', 'mds'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricDefinition {
  label: string;
  unit: string;
  definition: string;
}

export const METRIC_DEFINITIONS: Record<MetricName, MetricDefinition> = {
  solid_fraction: { label: 'solid fraction', unit: '-', definition: 'Solid voxels (label 1) / all voxels.' },
  e_tpcf: {
    label: 'e_TPCF',
    unit: '-',
    definition: 'Isotropy error of the two-point correlation: mean of e_L2(S2_x, S2_z) and e_L2(S2_y, S2_z) over r = 0..rMax, e_L2(f, g) = 2 |f - g| / (|f| + |g|). 0 = isotropic.',
  },
  e_lpf: {
    label: 'e_LPF',
    unit: '-',
    definition: 'Isotropy error of the lineal path function: mean of e_L2(L_x, L_z) and e_L2(L_y, L_z) over r = 0..rMax. 0 = isotropic.',
  },
  e_d: { label: 'e_D', unit: '-', definition: 'Ligament diameter anisotropy: (|D_xz - D_xy| + |D_yz - D_xy|) / (2 D_xy). 0 = isotropic.' },
  d_xy: { label: 'D_xy', unit: 'nm', definition: 'Mean ligament diameter in the xy plane: (D_x + D_y) / 2, D_d the mean solid chord length along axis d (from the lineal path).' },
  d_xz: { label: 'D_xz', unit: 'nm', definition: 'Mean ligament diameter in the xz plane: (D_x + D_z) / 2.' },
  d_yz: { label: 'D_yz', unit: 'nm', definition: 'Mean ligament diameter in the yz plane: (D_y + D_z) / 2.' },
  mp: { label: 'MP', unit: '%', definition: 'Misplaced voxels against the truth: 100 (1 - (TP + TN) / N), solid = positive.' },
  mgp: { label: 'MGP', unit: '%', definition: 'True solid labelled pore: 100 (1 - TP / (TP + FN)). Ignores false positives: read it with MP and MDS.' },
  mds: { label: 'MDS', unit: '-', definition: 'Mean Dice score: mean of the solid Dice 2TP / (2TP + FP + FN) and the pore Dice 2TN / (2TN + FN + FP). 1 = identical.' },
};

/** One axis's curve: r in nm and the values there. */
export interface MetricCurve {
  rNm: number[];
  values: number[];
}

export type AxisCurves = Record<'x' | 'y' | 'z', MetricCurve>;

export interface StoredMetricValue {
  name: MetricName;
  /** null when undefined (MGP with a truth without solid). */
  value: number | null;
  unit: string;
  /** Patch statistics: the standard deviation over the patches. */
  sd?: number;
}

/** One stored Quality result: the metrics of one volume from one run. */
export interface StoredMetrics {
  runId: number;
  volume: string;
  /** The ground truth volume, when MP / MGP / MDS were computed. */
  truth: string | null;
  /** When the run started (ISO 8601). */
  when: string;
  /** The run's parameters: rMaxVoxels, patch, ... */
  params: Record<string, unknown>;
  values: StoredMetricValue[];
  /** S2 and L per axis (whole-volume metrics only; patches have no single curve). */
  curves: { tpcf: AxisCurves; lpf: AxisCurves } | null;
}
