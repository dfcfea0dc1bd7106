// One measured job of the import benchmark, in its own process so that its
// peak memory (maxRSS) is its own. Prints one JSON line.
import { rmSync } from 'node:fs';
import { importChannels } from '../src-main/import/import-channels';
import { createProject } from '../src-main/project/open-project';
import { listStackFiles, openTiff } from '../src-main/tiff';

const [mode, input, projectPath] = process.argv.slice(2);

async function readAll(paths: string[]): Promise<{ bytes: number; checksum: number }> {
  let bytes = 0;
  let checksum = 0;
  // One plane buffer reused for every page, as a viewer stepping through slices would.
  let target: Uint8Array | Uint16Array | undefined;
  for (const p of paths) {
    const tiff = await openTiff(p);
    for (let i = 0; i < tiff.pages.length; i++) {
      const plane = await tiff.readPage(i, { target });
      target = plane.data;
      bytes += plane.data.byteLength;
      checksum = (checksum + plane.data[plane.data.length >> 1]) % 1e9;
    }
    await tiff.close();
  }
  return { bytes, checksum };
}

const t0 = performance.now();
let bytes = 0;
if (mode === 'read') {
  const paths = input.endsWith('.tif') ? [input] : await listStackFiles(input);
  bytes = (await readAll(paths)).bytes;
} else if (mode === 'import') {
  for (const suffix of ['', '-wal', '-shm']) rmSync(projectPath + suffix, { force: true });
  const project = createProject(projectPath, { appVersion: 'bench' });
  const r = await importChannels(project, { channels: [{ name: 'bench', paths: [input] }], overrides: { pixelSizeXNm: 5, sliceSpacingNm: 10 } }, { appVersion: 'bench' });
  project.close();
  bytes = r.channels[0].rawBytes;
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ mode, input, seconds, bytes, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
