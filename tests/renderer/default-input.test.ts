// Which volume a step offers first (src-renderer/components/default-input.ts).
import { describe, expect, it } from 'vitest';
import { defaultExportVolume, defaultReconstructInput, defaultSegmentInput, newestVolume, registrable } from '../../src-renderer/components/default-input';
import type { VolumeSummary } from '../../src-shared/contract';

type V = Pick<VolumeSummary, 'name' | 'kind' | 'role' | 'metadata'>;
const vol = (name: string, kind: V['kind'], metadata: Record<string, unknown> = {}, role: V['role'] = 'derived'): V => ({ name, kind, role, metadata });

const channel = vol('2kV', 'grey', {}, 'channel');
const labels = vol('2kV-otsu', 'labels', { method: 'otsu' });
const registered = vol('2kV-reg', 'grey', { registeredFrom: '2kV', translationsPx: [] });
const uncertainty = vol('2kV-pc-uncertainty', 'probability');
const recon = vol('2kV-otsu-cubic', 'labels', { planes: 20 });

describe('default step inputs', () => {
  it('newestVolume: the last volume passing the first test any passes', () => {
    expect(newestVolume([channel, labels, registered], (v) => v.kind === 'labels', () => true)?.name).toBe('2kV-otsu');
    expect(newestVolume([channel, registered], (v) => v.kind === 'labels', () => true)?.name).toBe('2kV-reg');
    expect(newestVolume([channel], (v) => v.kind === 'labels')).toBeUndefined();
    expect(newestVolume([])).toBeUndefined();
  });

  it('registration offers grey stacks not registered yet, never labels or probabilities', () => {
    expect([channel, labels, registered, uncertainty, recon].filter(registrable).map((v) => v.name)).toEqual(['2kV']);
  });

  it('reconstruction starts from the newest volume not yet reconstructed', () => {
    expect(defaultReconstructInput([channel])?.name).toBe('2kV');
    expect(defaultReconstructInput([channel, registered])?.name).toBe('2kV-reg');
    expect(defaultReconstructInput([channel, registered, labels, uncertainty])?.name).toBe('2kV-otsu');
    expect(defaultReconstructInput([channel, labels, recon])?.name).toBe('2kV-otsu');
    expect(defaultReconstructInput([recon])?.name).toBe('2kV-otsu-cubic');
  });

  it('segmentation starts from the newest grey stack: the registered one after registration; never labels', () => {
    const greyRecon = vol('2kV-reg-cubic', 'grey', { planes: 20 });
    expect(defaultSegmentInput([channel])?.name).toBe('2kV');
    expect(defaultSegmentInput([channel, registered, labels, uncertainty])?.name).toBe('2kV-reg');
    expect(defaultSegmentInput([channel, registered, greyRecon])?.name).toBe('2kV-reg');
    expect(defaultSegmentInput([greyRecon])?.name).toBe('2kV-reg-cubic');
    expect(defaultSegmentInput([labels, recon])).toBeUndefined();
  });

  it('export starts from the newest reconstruction, else the newest volume', () => {
    expect(defaultExportVolume([channel, recon, registered])?.name).toBe('2kV-otsu-cubic');
    expect(defaultExportVolume([channel, registered])?.name).toBe('2kV-reg');
  });
});
