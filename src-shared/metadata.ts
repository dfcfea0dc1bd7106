// Acquisition metadata as the app records it: every value carries where it came
// from, so that a user (and a reviewer of their paper) can trace each number.

export interface Sourced<T> {
  value: T;
  /** Where the value came from, e.g. "FEI tag 34682 [Scan] PixelWidth", "ImageJ description spacing", "user override". */
  source: string;
}

export type Vendor = 'thermo-fei' | 'zeiss' | 'fibics' | 'tescan' | 'imagej' | 'unknown';

export interface ImageMetadata {
  vendor: Vendor;
  /** In-plane pixel size along x (columns), nm. */
  pixelSizeXNm?: Sourced<number>;
  /** In-plane pixel size along y (rows), nm. */
  pixelSizeYNm?: Sourced<number>;
  /** Nominal slice spacing, nm (ImageJ spacing, Atlas slice interval). */
  sliceSpacingNm?: Sourced<number>;
  /** z position of this slice, nm (Fibics / Atlas ZPos). */
  zPositionNm?: Sourced<number>;
  /** Accelerating voltage, V. */
  beamVoltageV?: Sourced<number>;
  /** Detector name as the instrument writes it (ETD, TLD, ICD, HE-SE2, InLens...). */
  detector?: Sourced<string>;
  /** Rows that hold the image; rows below are the vendor's data bar and are cropped. */
  imageRows?: Sourced<number>;
  /** Things the user should know (malformed values ignored, units guessed...). */
  notices: string[];
  /** Flat key/value pairs of the vendor text, for provenance. */
  raw: Record<string, string>;
}

export type MetadataOverrides = {
  pixelSizeXNm?: number;
  pixelSizeYNm?: number;
  sliceSpacingNm?: number;
  beamVoltageV?: number;
  detector?: string;
};
