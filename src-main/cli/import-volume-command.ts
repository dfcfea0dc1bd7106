// `fibrecon import-volume`: brings a volume back from Avizo/Amira (.am),
// ITK/Fiji (.mhd/.mha) or NRRD (.nrrd/.nhdr) into the project as a volume,
// with the voxel size the file carries.
import { basename, extname } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { readAmiraMesh, readMetaImage, readNrrd } from '../export';
import { distinctValues, toBinaryLabels } from '../geometry/binary-labels';
import { saveDerivedVolume } from '../project/save-volume';
import { volumeNameExists } from '../project/volume-store';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, parse } from './command-helpers';
import { withProjectStep } from './project-step';

const READERS: Record<string, typeof readAmiraMesh> = { '.am': readAmiraMesh, '.mhd': readMetaImage, '.mha': readMetaImage, '.nrrd': readNrrd, '.nhdr': readNrrd };

export const importVolume: Command = {
  summary: 'bring a volume back from .am (Avizo/Amira), .mhd/.mha (ITK, Fiji) or .nrrd/.nhdr into the project',
  usage: 'fibrecon import-volume PROJECT.fibrecon FILE [--name NAME] [--labels]',
  async run(args, io) {
    const { values, positionals } = parse(args, { name: { type: 'string' }, labels: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    if (positionals.length !== 2) throw new UsageError(`give the project and the file.\nUsage: ${this.usage}`);
    const [projectPath, file] = positionals;
    const reader = READERS[extname(file).toLowerCase()];
    if (!reader) throw new AppError('unsupported_format', `${basename(file)}: import-volume reads ${Object.keys(READERS).join(', ')}; for TIFF stacks use fibrecon import.`, file);
    const name = (values.name as string | undefined) ?? basename(file).replace(/\.[^.]+$/, '');
    return withProjectStep(projectPath, 'import-volume', io, async ({ project, start, finish }) => {
      if (volumeNameExists(project.db, name)) throw new AppError('invalid_input', `The project already has a volume named "${name}": choose another with --name.`);
      // Read (and so checked) before the run is recorded: a file that cannot be read leaves the project as it was.
      const { volume, notes } = await reader(file);
      const runId = start({ file, name });
      notes.forEach((n) => io.err(`notice: ${n}`));
      const source = `${basename(file)} header`;
      const labels = values.labels === true || /Labels/.test(notes.join(' '));
      // Labels are labels: a two-valued label field (0/255, Avizo's 1/2) is stored as 0/1 (the higher value solid).
      let stored = volume;
      if (labels && !distinctValues(volume.slices).more) {
        const m = toBinaryLabels(volume, `"${name}"`);
        stored = m.volume;
        if (m.mapping.changed) {
          notes.push(`Labels: ${m.mapping.note}`);
          io.err(`notice: Labels: ${m.mapping.note}`);
        }
      }
      await saveDerivedVolume(project.db, stored, {
        name,
        kind: labels ? 'labels' : 'grey',
        voxelSizeSource: { x: source, y: source, z: source },
        metadata: { importedFrom: file, notes },
        runId,
        finishRun: finish,
      });
      const [nz, ny, nx] = volume.shape;
      io.out(`Imported "${name}": ${nz} x ${ny} x ${nx} (z, y, x) ${stored.dtype}, voxel ${volume.voxelSizeNm.x} x ${volume.voxelSizeNm.y} x ${volume.voxelSizeNm.z} nm.`);
      return EXIT.ok;
    });
  },
};
