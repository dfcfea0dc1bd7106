// Freezes the public API of src-main/export (names only).
import { expect, it } from 'vitest';
import * as api from '../../src-main/export';

it('exports exactly these names', () => {
  expect(Object.keys(api).sort()).toEqual(
    [
      'DEFAULT_MATERIALS', 'EXPORT_FORMATS', 'UNIFORM_Z_REL_TOLERANCE', 'amiraBoundingBox', 'amiraHeader', 'decodeHxByteRLE',
      'encodeHxByteRLE', 'exportFormat', 'exportVolume', 'firstUnevenGap', 'hasUniformZ', 'writeAmiraMesh', 'writeDragonflyRaw',
      'writeMetaImage', 'writeMrc', 'writeNrrd', 'writeStackedSlices', 'writeOmeZarr', 'readAmiraMesh', 'readMetaImage', 'readNrrd',
    ].sort(),
  );
});
