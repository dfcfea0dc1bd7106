// Chooses the voxel size, slice positions and data-bar crop of a channel from
// the user's overrides and the vendor metadata, and records where each came from.
// Pure: metadata in, decisions out.
import { AppError } from '../../src-shared/errors';
import type { ImageMetadata, MetadataOverrides, Sourced } from '../../src-shared/metadata';
import { uniformZPositions } from '../../src-shared/volume';

export interface ResolvedGeometry {
  voxelSizeNm: { x: number; y: number; z: number };
  voxelSizeSource: { x: string; y: string; z: string };
  zPositionsNm: number[];
  /** Rows kept from the top of each image (the rest is the data bar). */
  imageRows: number;
  beamVoltageV?: Sourced<number>;
  detector?: Sourced<string>;
  notices: string[];
}

const USER = 'user override';

export function resolveGeometry(args: {
  firstFile: string;
  metadata: ImageMetadata;
  /** Metadata of every slice, in slice order (for per-slice z positions). */
  sliceMetadata?: readonly ImageMetadata[];
  nz: number;
  imageHeight: number;
  overrides?: MetadataOverrides;
  cropDataBar?: boolean;
}): ResolvedGeometry {
  const { metadata: m, overrides: o = {}, nz } = args;
  const notices: string[] = [];

  const px = o.pixelSizeXNm !== undefined ? { value: o.pixelSizeXNm, source: USER } : m.pixelSizeXNm;
  // A user who gives only x means square pixels: the metadata's y must not survive beside it.
  const py =
    o.pixelSizeYNm !== undefined
      ? { value: o.pixelSizeYNm, source: USER }
      : o.pixelSizeXNm !== undefined
        ? { value: o.pixelSizeXNm, source: `${USER} (x; square pixels)` }
        : (m.pixelSizeYNm ?? px);
  if (!px || !py) {
    throw new AppError(
      'invalid_input',
      `No pixel size found in ${args.firstFile} (no Thermo Fisher/FEI, ZEISS, Fibics, Tescan or ImageJ metadata with a physical size). ` +
        'Enter the pixel size in nm (CLI: --pixel-size-nm).',
      args.firstFile,
    );
  }
  const ySource = o.pixelSizeYNm === undefined && !m.pixelSizeYNm ? `${py.source} (square pixels assumed)` : py.source;

  let zPositionsNm: number[];
  let z: Sourced<number>;
  const perSliceZ = args.sliceMetadata?.map((s) => s.zPositionNm?.value);
  if (o.sliceSpacingNm !== undefined) {
    z = { value: o.sliceSpacingNm, source: USER };
    zPositionsNm = uniformZPositions(nz, z.value);
  } else if (perSliceZ && perSliceZ.length === nz && nz > 1 && perSliceZ.every((v) => v !== undefined && Number.isFinite(v))) {
    const z0 = perSliceZ[0] as number;
    zPositionsNm = perSliceZ.map((v) => (v as number) - z0);
    const mean = zPositionsNm[nz - 1] / (nz - 1);
    if (!(mean > 0) || zPositionsNm.some((v, i) => i > 0 && v < zPositionsNm[i - 1])) {
      notices.push('The per-slice z positions in the metadata do not increase; they were ignored and even spacing assumed.');
      z = m.sliceSpacingNm ?? { value: px.value, source: 'assumed equal to the pixel size x' };
      zPositionsNm = uniformZPositions(nz, z.value);
    } else {
      z = { value: mean, source: `mean spacing of the per-slice z positions (${args.sliceMetadata?.[0].zPositionNm?.source})` };
    }
  } else if (m.sliceSpacingNm) {
    z = m.sliceSpacingNm;
    zPositionsNm = uniformZPositions(nz, z.value);
  } else {
    z = { value: px.value, source: 'assumed equal to the pixel size x: no slice spacing in the metadata' };
    notices.push(
      `No slice spacing in the metadata: slices assumed ${px.value} nm apart (the pixel size). ` +
        'Enter the slice spacing when importing (Slice spacing (nm); CLI: --slice-spacing-nm) or import the measured thickness in the Thickness step.',
    );
    zPositionsNm = uniformZPositions(nz, z.value);
  }

  let imageRows = args.imageHeight;
  if (args.cropDataBar !== false && m.imageRows && m.imageRows.value < args.imageHeight) {
    imageRows = m.imageRows.value;
    notices.push(`Data bar cropped: rows ${imageRows}..${args.imageHeight - 1} removed (${m.imageRows.source}).`);
  }

  const beamVoltageV = o.beamVoltageV !== undefined ? { value: o.beamVoltageV, source: USER } : m.beamVoltageV;
  const detector = o.detector !== undefined ? { value: o.detector, source: USER } : m.detector;

  return {
    voxelSizeNm: { x: px.value, y: py.value, z: z.value },
    voxelSizeSource: { x: px.source, y: ySource, z: z.source },
    zPositionsNm,
    imageRows,
    beamVoltageV,
    detector,
    notices,
  };
}
