// What every volume export takes: a Volume-like record whose slices may be an
// array, an (async) iterable in z order or a loader (z) => slice, plus the
// job's cancel signal and progress callback.

import type { VolumeInfo } from '../../src-shared/volume';
import type { SliceSource } from '../tiff-write/slice-source';

/** A volume to export: shape (z, y, x), dtype, voxel size in nm, z of every slice in nm, and its slices. */
export interface ExportVolume extends VolumeInfo {
  slices: SliceSource;
}

export interface ExportControl {
  signal?: AbortSignal;
  /** Called with (slices written, nz); the last call (nz, nz) comes once every file is complete. */
  onProgress?: (done: number, total: number) => void;
}

export interface ExportResult {
  /** Every file written, the main one first. */
  files: string[];
  /** Bytes written over all files. */
  bytes: number;
}
