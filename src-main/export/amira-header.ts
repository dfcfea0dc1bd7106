// AmiraMesh header for a uniform lattice (Avizo / Amira), as in README "Conventions"
// "Output" and public AmiraMesh writers/readers (the AmiraMesh grammar with
// `@1(HxByteRLE,N)` data formats, Bio-Formats' AmiraReader, and MATLAB
// label writers that put `Materials { Exterior { } Name { Id i, Color r g b } }`
// inside `Parameters`):
//
//   # AmiraMesh BINARY-LITTLE-ENDIAN 2.1
//   define Lattice NX NY NZ
//   Parameters { Units { Coordinates "nm" }, [Materials {...},] Content "NXxNYxNZ ushort, uniform coordinates",
//                BoundingBox xmin xmax ymin ymax zmin zmax, CoordType "uniform" }
//   Lattice { ushort Data } @1          (labels: Lattice { byte Labels } @1[(HxByteRLE,N)])
//   # Data section follows
//   @1
//   <data, x fastest>
//
// Origin convention: the BoundingBox spans the CENTRES of the first and last
// voxels (Amira's convention: dx = (xmax - xmin) / (nx - 1)); voxel (0,0,0)'s
// centre is at (0, 0, z_0) nm, the same origin as our NRRD and MetaImage
// exports. Coordinates are nm; `Units` is Avizo's unit parameter, which Amira
// keeps as an ordinary parameter.

import { AppError } from '../../src-shared/errors';
import type { DType } from '../../src-shared/dtype';
import type { VolumeInfo } from '../../src-shared/volume';
import { formatNumber } from './text-bytes';

export const AMIRA_TYPE: Record<DType, string> = { uint8: 'byte', uint16: 'ushort', float32: 'float' };

export interface AmiraMaterial {
  /** Amira parameter name: a letter or _, then letters, digits, _ or -. */
  name: string;
  /** RGB in [0, 1]. */
  color?: readonly [number, number, number];
}

/**
 * Label 0 = pore, 1 = solid (README "Conventions"), named as what they are: Amira calls material 0
 * "Exterior" by default, which a porous material's pore space is not. Gold for the solid.
 */
export const DEFAULT_MATERIALS: readonly AmiraMaterial[] = [{ name: 'Pore' }, { name: 'Solid', color: [1, 0.84, 0] }];

export interface AmiraHeaderOptions {
  /** A label field: `byte Labels` with a Materials block; material i has label value i. */
  materials?: readonly AmiraMaterial[];
  /** Byte count of the HxByteRLE data (labels only); the field is padded to a fixed width so it can be filled in after streaming. */
  rleBytes?: number;
}

/** [xmin, xmax, ymin, ymax, zmin, zmax] in nm: centres of the first and last voxels. */
export function amiraBoundingBox(info: Pick<VolumeInfo, 'shape' | 'voxelSizeNm' | 'zPositionsNm'>): number[] {
  const [nz, ny, nx] = info.shape;
  const z0 = info.zPositionsNm[0] ?? 0;
  return [0, (nx - 1) * info.voxelSizeNm.x, 0, (ny - 1) * info.voxelSizeNm.y, z0, z0 + (nz - 1) * info.voxelSizeNm.z];
}

const RLE_COUNT_WIDTH = 20;

function materialsBlock(materials: readonly AmiraMaterial[]): string[] {
  const lines = ['    Materials {'];
  materials.forEach((m, id) => {
    if (!/^[A-Za-z_][-A-Za-z0-9_]*$/.test(m.name)) {
      throw new AppError('invalid_input', `Material name "${m.name}" is not allowed in AmiraMesh: use letters, digits, _ or -, starting with a letter.`);
    }
    const entries = [`Id ${id}`];
    if (m.color) {
      if (m.color.some((c) => !(c >= 0 && c <= 1))) throw new AppError('invalid_input', `Material ${m.name}: colour components must lie in [0, 1].`);
      entries.push(`Color ${m.color.map(formatNumber).join(' ')}`);
    }
    lines.push(`        ${m.name} {`, `            ${entries.join(',\n            ')}`, '        }');
  });
  lines.push('    }');
  return lines;
}

export function amiraHeader(info: Pick<VolumeInfo, 'shape' | 'dtype' | 'voxelSizeNm' | 'zPositionsNm'>, options: AmiraHeaderOptions = {}): string {
  const [nz, ny, nx] = info.shape;
  const type = AMIRA_TYPE[info.dtype];
  const labels = options.materials !== undefined;
  if (labels && info.dtype !== 'uint8') throw new AppError('invalid_input', `Label fields are exported as uint8 (byte); this volume is ${info.dtype}.`);
  if (!labels && options.rleBytes !== undefined) throw new AppError('invalid_input', 'HxByteRLE is only written for label fields.');
  let dataRef = '@1';
  if (options.rleBytes !== undefined) dataRef = `@1(HxByteRLE,${options.rleBytes})`.padEnd('@1(HxByteRLE,)'.length + RLE_COUNT_WIDTH);
  return [
    '# AmiraMesh BINARY-LITTLE-ENDIAN 2.1',
    '',
    `define Lattice ${nx} ${ny} ${nz}`,
    '',
    'Parameters {',
    '    Units {',
    '        Coordinates "nm"',
    '    }',
    ...(labels ? materialsBlock(options.materials!) : []),
    `    Content "${nx}x${ny}x${nz} ${type}, uniform coordinates",`,
    `    BoundingBox ${amiraBoundingBox(info).map(formatNumber).join(' ')},`,
    '    CoordType "uniform"',
    '}',
    '',
    `Lattice { ${type} ${labels ? 'Labels' : 'Data'} } ${dataRef}`,
    '',
    '# Data section follows',
    '@1',
    '',
  ].join('\n');
}
